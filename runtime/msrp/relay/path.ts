/**
 * An SDP a=path as the relay uses it: the URIs to put in the To-Path, the first of which is the
 * next hop to connect to (RFC 4975 §6.2, §8.2).
 */
import type { MsrpMedia } from '../../../machines/types.ts';
import { parseMsrpUri, type MsrpUri } from '../uri.ts';
import { RelayError } from './relay-errors.ts';

export type PathResult = { readonly ok: true; readonly value: readonly [MsrpUri, ...MsrpUri[]] } | { readonly ok: false; readonly error: RelayError };

export function parsePathOf(media: MsrpMedia): PathResult {
  const uris: MsrpUri[] = [];
  for (const text of media.path) {
    const uri = parseMsrpUri(text);
    if (!uri.ok) return unusable(uri.reason);
    uris.push(uri.value);
  }
  const [first, ...rest] = uris;
  if (first === undefined) return unusable('a=path is empty');
  // *NOT IMPLEMENTED*: msrps (TLS, RFC 4975 §14). The CF refuses such a path rather than send in clear.
  if (first.secure) return unusable(`${media.path[0]} asks for TLS (msrps), which this relay does not implement`);
  if (first.transport.toLowerCase() !== 'tcp') return unusable(`${media.path[0]} names transport ${first.transport}; only tcp is implemented`);
  return { ok: true, value: [first, ...rest] };
}

/** RFC 4975 §6.2 (read here): a URI without a port means the MSRP default port. */
export const MSRP_DEFAULT_PORT = 2855;

function unusable(reason: string): PathResult {
  return { ok: false, error: new RelayError('CPM_ERR_MSRP_UNUSABLE_PATH', reason) };
}
