/**
 * Whether a chunk's Content-Type is one the session negotiated (415 otherwise, RFC 4975 §10).
 *
 * RFC 4975 §9: accept-types = accept-type *(SP accept-type)
 *              accept-type  = media-type / "*" ; media-type may have subtype "*"
 * RFC 4975 §8.6: the answerer's a=accept-types lists what it is willing to receive, "*" meaning
 * anything.
 */
import { parseMediaType } from '../headers.ts';

export function acceptsContentType(acceptTypes: readonly string[], contentType: string): boolean {
  const parsed = parseMediaType(contentType);
  if (!parsed.ok) return false;
  const type = parsed.value.type.toLowerCase();
  const subtype = parsed.value.subtype.toLowerCase();
  return acceptTypes.some((accepted) => {
    const wanted = accepted.toLowerCase();
    if (wanted === '*') return true;
    const slash = wanted.indexOf('/');
    // Parameters of an accept-type (after ";") do not narrow it here: RFC 4975 gives them no
    // matching rule, and the CF relays the body untouched.
    const end = wanted.indexOf(';');
    const wantedType = wanted.slice(0, slash);
    const wantedSubtype = wanted.slice(slash + 1, end === -1 ? undefined : end).trim();
    return slash !== -1 && wantedType === type && (wantedSubtype === '*' || wantedSubtype === subtype);
  });
}
