/**
 * SIP, SIPS (RFC 3261 §19.1, §25.1) and tel (RFC 3966 §3) URIs, plus any other absoluteURI kept
 * opaque (RFC 3261 §19.1: a Request-URI or name-addr may carry any scheme; RFC 4475 §3.3.2).
 * Components are kept as written (escapes included) so a URI prints back unchanged; `unescape`
 * gives the meant text, and `uri-equality.ts` compares per §19.1.4.
 */
import { ALPHA, DIGIT, HEX, RESERVED, UNRESERVED, is } from './charsets.ts';
import { SipParseError, attempt, type Parsed, type SipErrorCode } from './errors.ts';
import { hostKind } from './ip.ts';
import type { Param } from './params.ts';
import { HEADER_CHARS, PARAM_CHARS, PASSWORD_CHARS, USER_CHARS, escape, isEscapedText } from './uri-escape.ts';

export interface UriHeader {
  readonly name: string;
  readonly value: string;
}

export interface SipUri {
  readonly kind: 'sip';
  /** Lower-case: the scheme is case-insensitive (RFC 3261 §19.1.4). */
  readonly scheme: 'sip' | 'sips';
  /** As written, escapes included; null when there is no userinfo. */
  readonly user: string | null;
  readonly password: string | null;
  /** As written; an IPv6 reference keeps its brackets (`[::1]`). */
  readonly host: string;
  readonly port: number | null;
  readonly params: readonly Param[];
  readonly headers: readonly UriHeader[];
}

export interface TelUri {
  readonly kind: 'tel';
  /** telephone-subscriber digits as written, e.g. "+1-201-555-0123" or "7042" (then with phone-context). */
  readonly number: string;
  readonly params: readonly Param[];
}

export interface AbsoluteUri {
  readonly kind: 'absolute';
  readonly scheme: string;
  readonly opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

/** @example parseUri('sip:alice@[2001:db8::1]:5070;transport=tcp') */
export function parseUri(text: string): Parsed<Uri> {
  return attempt(() => readUri(text, 'CPM_ERR_SIP_BAD_URI'));
}

/** Parses `text`, throwing `SipParseError` with `code` on a fault (for callers that add context). */
export function readUri(text: string, code: SipErrorCode): Uri {
  const fail = (why: string): never => {
    throw new SipParseError(code, `${why} in URI "${text}"`);
  };
  const colon = text.indexOf(':');
  if (colon <= 0) return fail('missing scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return readSipUri(text, colon + 1, scheme, fail);
  if (scheme === 'tel') return readTelUri(text, colon + 1, fail);
  // absoluteURI = scheme ":" ( hier-part / opaque-part ), scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (!is(scheme.charCodeAt(0), ALPHA)) return fail('bad scheme');
  for (let i = 1; i < colon; i++) {
    const c = scheme.charCodeAt(i);
    if (!is(c, ALPHA | DIGIT) && c !== 0x2b && c !== 0x2d && c !== 0x2e) fail('bad scheme');
  }
  if (!isEscapedText(text, colon + 1, text.length, RESERVED | UNRESERVED)) fail('bad character');
  return { kind: 'absolute', scheme, opaque: text.slice(colon + 1) };
}

type Fail = (why: string) => never;

// SIP-URI = "sip:" [ userinfo ] hostport uri-parameters [ headers ]. No raw "@" can appear after the
// userinfo (not in host, pvalue or hvalue), so the first "@" ends the userinfo, however many ";" or
// "?" the user part holds (RFC 4475 §3.1.1.2, §3.1.1.9).
function readSipUri(text: string, start: number, scheme: 'sip' | 'sips', fail: Fail): SipUri {
  let pos = start;
  let user: string | null = null;
  let password: string | null = null;
  const at = text.indexOf('@', start);
  if (at >= 0) {
    const userinfo = text.slice(start, at);
    const colon = userinfo.indexOf(':');
    user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    password = colon < 0 ? null : userinfo.slice(colon + 1);
    if (user === '' || !isEscapedText(user, 0, user.length, USER_CHARS)) fail('bad user');
    if (password !== null && password !== '' && !isEscapedText(password, 0, password.length, PASSWORD_CHARS)) {
      fail('bad password');
    }
    pos = at + 1;
  }
  let hostEnd: number;
  if (text.charCodeAt(pos) === 0x5b) {
    hostEnd = text.indexOf(']', pos) + 1;
    if (hostEnd === 0) fail('unterminated IPv6 reference');
  } else {
    hostEnd = pos;
    while (hostEnd < text.length && !';:?'.includes(text[hostEnd]!)) hostEnd++;
  }
  const host = text.slice(pos, hostEnd);
  if (hostKind(host) === undefined) fail('bad host');
  pos = hostEnd;
  let port: number | null = null;
  if (text[pos] === ':') {
    const portEnd = scanWhile(text, pos + 1, DIGIT);
    port = toPort(text.slice(pos + 1, portEnd), fail);
    pos = portEnd;
  }
  const params: Param[] = [];
  while (text[pos] === ';') {
    // uri-parameter = pname [ "=" pvalue ]; pname = 1*paramchar; pvalue = 1*paramchar
    const end = findEither(text, pos + 1, ';?');
    const eq = text.indexOf('=', pos + 1);
    const nameEnd = eq >= 0 && eq < end ? eq : end;
    if (!isEscapedText(text, pos + 1, nameEnd, PARAM_CHARS)) fail('bad uri-parameter name');
    if (nameEnd < end && !isEscapedText(text, nameEnd + 1, end, PARAM_CHARS)) fail('bad uri-parameter value');
    params.push({ name: text.slice(pos + 1, nameEnd), value: nameEnd < end ? text.slice(nameEnd + 1, end) : null });
    pos = end;
  }
  const headers: UriHeader[] = [];
  if (text[pos] === '?') {
    // headers = "?" header *( "&" header ); header = hname "=" hvalue; hvalue may be empty
    for (const pair of text.slice(pos + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || !isEscapedText(pair, 0, eq, HEADER_CHARS)) fail('bad header name');
      if (eq + 1 < pair.length && !isEscapedText(pair, eq + 1, pair.length, HEADER_CHARS)) fail('bad header value');
      headers.push({ name: pair.slice(0, eq), value: pair.slice(eq + 1) });
    }
    pos = text.length;
  }
  if (pos !== text.length) fail('unexpected text');
  return { kind: 'sip', scheme, user, password, host, port, params, headers };
}

// telephone-subscriber = global-number / local-number (RFC 3966 §3); a local number needs a
// phone-context parameter. Parameters: ";" pname [ "=" pvalue ], pname = 1*( alphanum / "-" ).
function readTelUri(text: string, start: number, fail: Fail): TelUri {
  const semi = text.indexOf(';', start);
  const end = semi < 0 ? text.length : semi;
  const number = text.slice(start, end);
  const global = number.startsWith('+');
  let digits = 0;
  for (let i = global ? 1 : 0; i < number.length; i++) {
    const c = number.charCodeAt(i);
    const isDigit = global ? is(c, DIGIT) : is(c, HEX) || c === 0x2a || c === 0x23;
    if (isDigit) digits++;
    else if (!'-.()'.includes(number[i]!)) fail('bad telephone-subscriber');
  }
  if (digits === 0) fail('telephone-subscriber without digits');
  const params: Param[] = [];
  let pos = end;
  while (pos < text.length) {
    const next = findEither(text, pos + 1, ';');
    const eq = text.indexOf('=', pos + 1);
    const nameEnd = eq >= 0 && eq < next ? eq : next;
    const name = text.slice(pos + 1, nameEnd);
    if (name === '' || ![...name].every((c) => c === '-' || is(c.charCodeAt(0), ALPHA | DIGIT))) fail('bad parameter');
    if (nameEnd < next && !isEscapedText(text, nameEnd + 1, next, PARAM_CHARS)) fail('bad parameter value');
    params.push({ name, value: nameEnd < next ? text.slice(nameEnd + 1, next) : null });
    pos = next;
  }
  if (!global && !params.some((p) => p.name.toLowerCase() === 'phone-context')) fail('local number without phone-context');
  return { kind: 'tel', number, params };
}

function scanWhile(text: string, from: number, flags: number): number {
  let i = from;
  while (i < text.length && is(text.charCodeAt(i), flags)) i++;
  return i;
}

function findEither(text: string, from: number, stops: string): number {
  let i = from;
  while (i < text.length && !stops.includes(text[i]!)) i++;
  return i;
}

function toPort(digits: string, fail: Fail): number {
  const port = Number(digits);
  if (digits.length === 0 || digits.length > 5 || port > 65535) fail('bad port');
  return port;
}

export function formatUri(uri: Uri): string {
  if (uri.kind === 'absolute') return `${uri.scheme}:${uri.opaque}`;
  if (uri.kind === 'tel') return `tel:${uri.number}${formatUriParams(uri.params)}`;
  let out = `${uri.scheme}:`;
  if (uri.user !== null) out += uri.password === null ? `${uri.user}@` : `${uri.user}:${uri.password}@`;
  out += uri.host;
  if (uri.port !== null) out += `:${uri.port}`;
  out += formatUriParams(uri.params);
  if (uri.headers.length > 0) out += `?${uri.headers.map((h) => `${h.name}=${h.value}`).join('&')}`;
  return out;
}

function formatUriParams(params: readonly Param[]): string {
  let out = '';
  for (const { name, value } of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** What `sipUri` builds from: the meant (unescaped) user; host as written (`[::1]` for IPv6). */
export interface SipUriParts {
  readonly scheme?: 'sip' | 'sips';
  readonly user?: string;
  readonly host: string;
  readonly port?: number;
  readonly params?: readonly Param[];
}

/**
 * Builds a SIP URI, escaping the user part as §19.1.2 requires; throws `SipParseError` when the host
 * is not a hostname, IPv4 address or bracketed IPv6 address (a programming error in the caller).
 * @example sipUri({ user: 'alice', host: 'example.com', params: [{ name: 'transport', value: 'tcp' }] })
 */
export function sipUri(parts: SipUriParts): SipUri {
  if (hostKind(parts.host) === undefined) throw new SipParseError('CPM_ERR_SIP_BAD_URI', `bad host "${parts.host}"`);
  return {
    kind: 'sip',
    scheme: parts.scheme ?? 'sip',
    user: parts.user === undefined ? null : escape(parts.user, USER_CHARS),
    password: null,
    host: parts.host,
    port: parts.port ?? null,
    params: parts.params ?? [],
    headers: [],
  };
}
