/**
 * The inverse of `focusMsrpUri` (machines/media.ts): which session and which leg a request is for,
 * read from the session-id of its To-Path. One listener serves every session, so this is the whole
 * of the routing.
 */
import type { MediaLeg } from '../../../machines/media.ts';
import type { MsrpUri } from '../uri.ts';

export interface FocusTarget {
  readonly sessionId: string;
  readonly leg: MediaLeg;
}

// `focusMsrpUri` writes `<sessionId>-o` or `<sessionId>-m<leg>`; the session-id is base64url and
// may itself hold "-", so the suffix is read from the right.
const FOCUS_SESSION_ID = /^(.+)-(?:(o)|m(0|[1-9][0-9]{0,8}))$/;

/**
 * The session and leg a request names, or undefined when its first To-Path URI is not one the CF
 * hands out. RFC 4975 §7.3 (read here): the receiver looks at the first To-Path URI, the one naming
 * itself. The session-id is the secret (RFC 4975 §14); host and port are not compared, as the CF
 * may be reached under more than one address.
 */
export function focusTargetOf(toPath: readonly MsrpUri[]): FocusTarget | undefined {
  const sessionId = toPath[0]?.sessionId;
  if (sessionId === undefined) return undefined;
  const m = FOCUS_SESSION_ID.exec(sessionId);
  if (m === null) return undefined;
  const [, id = '', originator, leg] = m;
  return { sessionId: id, leg: originator === undefined ? Number(leg) : 'originator' };
}
