/**
 * URI comparison of RFC 3261 §19.1.4 (SIP/SIPS) and RFC 3966 §4 (tel). Escapes are decoded before
 * comparing, so "sip:%61lice@atlanta.com" equals "sip:alice@atlanta.com".
 */
import { sameAddress } from './ip.ts';
import type { Param } from './params.ts';
import { unescapeOctets } from './uri-escape.ts';
import type { SipUri, TelUri, Uri } from './uri.ts';

/** @example uriEquals(requestUri, groupUri) */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind === 'sip' && b.kind === 'sip') return sipUriEquals(a, b);
  if (a.kind === 'tel' && b.kind === 'tel') return telUriEquals(a, b);
  if (a.kind === 'absolute' && b.kind === 'absolute') return a.scheme === b.scheme && unescapeOctets(a.opaque) === unescapeOctets(b.opaque);
  return false;
}

// Parameters that §19.1.4 says never match when present in only one of the URIs.
const MUST_BE_IN_BOTH = new Set(['user', 'ttl', 'method', 'maddr']);

function sipUriEquals(a: SipUri, b: SipUri): boolean {
  // "A SIP and SIPS URI are never equivalent."
  if (a.scheme !== b.scheme) return false;
  // "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive."
  if (decoded(a.user) !== decoded(b.user) || decoded(a.password) !== decoded(b.password)) return false;
  // "Comparison of all other components of the URI is case-insensitive" (IP literals by value).
  if (!sameAddress(a.host, b.host)) return false;
  // "An IP address that is the result of a DNS lookup of a host name does not match that host name",
  // and "a URI omitting any component with a default value will not match a URI explicitly containing
  // that component with its default value" (so no port means not 5060).
  if (a.port !== b.port) return false;
  if (!paramsMatch(a.params, b.params)) return false;
  // "URI header components are never ignored. Any present header component MUST be present in both
  // URIs and match for the URIs to match."
  return headersMatch(a, b);
}

function paramsMatch(a: readonly Param[], b: readonly Param[]): boolean {
  const left = paramMap(a);
  const right = paramMap(b);
  for (const [name, value] of left) {
    const other = right.get(name);
    // "Any uri-parameter appearing in both URIs must match."
    if (other !== undefined && other !== value) return false;
    // "A user, ttl, or method uri-parameter appearing in only one URI never matches ... A URI that
    // includes an maddr parameter will not match a URI that contains no maddr parameter."
    if (other === undefined && MUST_BE_IN_BOTH.has(name)) return false;
  }
  for (const name of right.keys()) {
    if (!left.has(name) && MUST_BE_IN_BOTH.has(name)) return false;
  }
  return true;
}

function paramMap(params: readonly Param[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { name, value } of params) map.set(unescapeOctets(name).toLowerCase(), unescapeOctets(value ?? '').toLowerCase());
  return map;
}

function headersMatch(a: SipUri, b: SipUri): boolean {
  if (a.headers.length !== b.headers.length) return false;
  const key = (h: { name: string; value: string }): string => `${unescapeOctets(h.name).toLowerCase()}=${unescapeOctets(h.value)}`;
  const right = b.headers.map(key).sort();
  return a.headers.map(key).sort().every((h, i) => h === right[i]);
}

function decoded(part: string | null): string | null {
  return part === null ? null : unescapeOctets(part);
}

// RFC 3966 §4: visual separators are ignored, hex digits and parameters compare case-insensitively,
// and parameters may appear in any order but must all be present in both.
function telUriEquals(a: TelUri, b: TelUri): boolean {
  const digits = (n: string): string => n.replace(/[-.()]/g, '').toLowerCase();
  if (digits(a.number) !== digits(b.number)) return false;
  const left = paramMap(a.params);
  const right = paramMap(b.params);
  if (left.size !== right.size) return false;
  for (const [name, value] of left) if (right.get(name) !== value) return false;
  return true;
}
