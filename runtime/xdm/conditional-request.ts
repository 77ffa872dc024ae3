/**
 * HTTP conditional requests (RFC 9110 §13) as the embedded XDMS evaluates them: `If-Match` and
 * `If-None-Match` against a document's ETag. Date-based conditions are not evaluated: the XDMS
 * sends no `Last-Modified`, so a client has no date to send (RFC 9110 §13.1.3).
 */
import { createHash } from 'node:crypto';

/** RFC 9110 §8.8.3: `entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE`; `opaque` keeps the quotes. */
export interface EntityTag {
  weak: boolean;
  opaque: string;
}

export type PreconditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

export interface Preconditions {
  ifMatch: '*' | EntityTag[] | undefined;
  ifNoneMatch: '*' | EntityTag[] | undefined;
}

/** A strong ETag (RFC 9110 §8.8.1): equal iff the bytes are equal. */
export function strongEntityTag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url')}"`;
}

/** The request's preconditions, or `undefined` when a header is not a valid list (answer 400). */
export function readPreconditions(ifMatch: string | undefined, ifNoneMatch: string | undefined): Preconditions | undefined {
  const match = ifMatch === undefined ? undefined : parseEntityTagList(ifMatch);
  const noneMatch = ifNoneMatch === undefined ? undefined : parseEntityTagList(ifNoneMatch);
  if (match === null || noneMatch === null) return undefined;
  return { ifMatch: match, ifNoneMatch: noneMatch };
}

/**
 * RFC 9110 §13.2.2 steps 1 and 3, for a document whose current ETag is `current` (`undefined`
 * when it does not exist). `safe` is true for GET and HEAD.
 */
export function evaluatePreconditions(
  p: Preconditions,
  current: string | undefined,
  safe: boolean,
): PreconditionOutcome {
  // RFC 9110 §13.1.1: If-Match uses the strong comparison; "*" needs a current representation.
  if (p.ifMatch !== undefined && !matches(p.ifMatch, current, (t) => !t.weak && t.opaque === current)) {
    return 'precondition-failed';
  }
  // RFC 9110 §13.1.2: If-None-Match uses the weak comparison; when it fails, a GET or HEAD
  // answers 304 and any other method 412.
  if (p.ifNoneMatch !== undefined && matches(p.ifNoneMatch, current, (t) => t.opaque === current)) {
    return safe ? 'not-modified' : 'precondition-failed';
  }
  return 'proceed';
}

/** RFC 9110 §13.1.1–2: "*" matches any current representation; a list, one that `equals`. */
function matches(list: '*' | EntityTag[], current: string | undefined, equals: (tag: EntityTag) => boolean): boolean {
  return current !== undefined && (list === '*' || list.some(equals));
}

/** RFC 9110 §13.1.1: `"*" / #entity-tag`; `null` when malformed. */
function parseEntityTagList(header: string): '*' | EntityTag[] | null {
  if (header.trim() === '*') return '*';
  const tags: EntityTag[] = [];
  let i = 0;
  const skipListSeparators = (): void => {
    while (i < header.length && (header[i] === ' ' || header[i] === '\t' || header[i] === ',')) i++;
  };
  for (skipListSeparators(); i < header.length; skipListSeparators()) {
    const weak = header.startsWith('W/', i);
    if (weak) i += 2;
    if (header[i] !== '"') return null;
    // etagc excludes DQUOTE, so the next one closes the tag.
    const close = header.indexOf('"', i + 1);
    if (close < 0) return null;
    tags.push({ weak, opaque: header.slice(i, close + 1) });
    i = close + 1;
    if (i < header.length && ![' ', '\t', ','].includes(header[i] ?? '')) return null;
  }
  return tags.length === 0 ? null : tags;
}
