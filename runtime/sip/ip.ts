/**
 * Host syntax of RFC 3261 §25.1 (hostname / IPv4address / IPv6reference) and the address
 * comparisons the transport needs (RFC 3261 §18.2.1 "differs from the packet source address").
 */
import { isIPv4, isIPv6 } from 'node:net';
import { ALPHA, DIGIT, is } from './charsets.ts';

export type HostKind = 'ipv4' | 'ipv6' | 'hostname';

/**
 * Classifies `host` as written in a URI or Via: an IPv6 reference keeps its brackets.
 * hostname = *( domainlabel "." ) toplabel [ "." ], and a toplabel starts with ALPHA, which is how
 * "256.1.1.1" is neither an IPv4 address nor a hostname.
 */
export function hostKind(host: string): HostKind | undefined {
  if (host.startsWith('[')) {
    return host.endsWith(']') && isIPv6(host.slice(1, -1)) ? 'ipv6' : undefined;
  }
  if (isIPv4(host)) return 'ipv4';
  return isHostname(host) ? 'hostname' : undefined;
}

function isHostname(host: string): boolean {
  const end = host.endsWith('.') ? host.length - 1 : host.length;
  if (end === 0) return false;
  let labelStart = 0;
  for (let i = 0; i <= end; i++) {
    if (i < end && host.charCodeAt(i) !== 0x2e) continue;
    if (!isLabel(host, labelStart, i, i === end)) return false;
    labelStart = i + 1;
  }
  return true;
}

// domainlabel = alphanum / alphanum *( alphanum / "-" ) alphanum; a toplabel must start with ALPHA.
function isLabel(host: string, start: number, end: number, top: boolean): boolean {
  if (end <= start) return false;
  const first = host.charCodeAt(start);
  if (!is(first, top ? ALPHA : ALPHA | DIGIT)) return false;
  if (!is(host.charCodeAt(end - 1), ALPHA | DIGIT)) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = host.charCodeAt(i);
    if (c !== 0x2d && !is(c, ALPHA | DIGIT)) return false;
  }
  return true;
}

/** The address a socket API wants: an IPv6 reference loses its brackets. */
export function hostToAddress(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** The host as written in a Via sent-by or URI: a bare IPv6 address gains brackets. */
export function addressToHost(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}

/**
 * The form in which two addresses compare: IPv4-mapped IPv6 becomes IPv4 (`sourceAddress`), other
 * IPv6 is expanded to eight lower-case hex groups, hostnames are lower-cased.
 */
export function canonicalAddress(address: string): string {
  const bare = sourceAddress(hostToAddress(address));
  if (!isIPv6(bare)) return bare.toLowerCase();
  return expandIPv6(bare)
    .map((g) => g.toString(16))
    .join(':');
}

/**
 * A packet's source address as peers write it: an IPv4-mapped IPv6 address ("::ffff:192.0.2.1",
 * what a dual-stack socket reports) becomes the IPv4 address; anything else is kept.
 */
export function sourceAddress(address: string): string {
  const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : '';
  return isIPv4(mapped) ? mapped : address;
}

/** Whether two hosts or addresses denote the same IP literal, or the same hostname (case-insensitive). */
export function sameAddress(a: string, b: string): boolean {
  return a === b || canonicalAddress(a) === canonicalAddress(b);
}

// Only called with text that node:net already accepted as IPv6. A dotted IPv4 tail becomes two groups.
function expandIPv6(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const toGroups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const headGroups = toGroups(head);
  if (rest === undefined) return headGroups;
  const restGroups = toGroups(rest);
  const zeros = new Array<number>(8 - headGroups.length - restGroups.length).fill(0);
  return [...headGroups, ...zeros, ...restGroups];
}
