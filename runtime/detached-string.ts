/**
 * Strings parsed out of a larger text that must outlive it. V8 makes a substring of 13 characters
 * or more a slice that points into its parent, so a field kept from a parsed body (an MSRP URI of
 * a=path, say) keeps the whole body alive for as long as the field lives: for a held session,
 * every member's SDP answer and the originator's offer.
 */

/** Shorter substrings are copied by V8 anyway (`SlicedString::kMinLength`). */
const SLICE_MIN_LENGTH = 13;

/** `text` in memory of its own (a JSON round trip copies it: ~0.3 µs for a URI). */
export function detached(text: string): string {
  return text.length < SLICE_MIN_LENGTH ? text : (JSON.parse(JSON.stringify(text)) as string);
}
