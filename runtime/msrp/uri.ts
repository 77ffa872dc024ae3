/**
 * MSRP URIs (RFC 4975 §6): parse, format, compare, and mint session-ids.
 *
 *   MSRP-URI = msrp-scheme "://" authority ["/" session-id] ";" transport *( ";" URI-parameter)
 */
import { randomBytes } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { isToken } from './abnf.ts';
import type { ParseResult } from './errors.ts';

export interface MsrpUriParam {
  readonly name: string;
  readonly value?: string;
}

export interface MsrpUri {
  /** `msrps` (TLS) rather than `msrp`. */
  readonly secure: boolean;
  readonly userinfo?: string;
  /** As written; an IPv6 address keeps its brackets. */
  readonly host: string;
  readonly port?: number;
  readonly sessionId?: string;
  /** `tcp`, or an extension transport. */
  readonly transport: string;
  readonly params: readonly MsrpUriParam[];
}

const SCHEME = /^(msrps?):\/\//i;
// RFC 3986 §3.2.1 userinfo = *( unreserved / pct-encoded / sub-delims / ":" )
const USERINFO = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*$/;
// RFC 3986 §3.2.2 reg-name = *( unreserved / pct-encoded / sub-delims ), less ";" which
// starts the MSRP transport and so cannot be part of the host.
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,=]|%[0-9A-Fa-f]{2})+$/;
const PORT = /^[0-9]{1,5}$/;
// RFC 4975 §9: session-id = 1*( unreserved / "+" / "=" / "/" )
const SESSION_ID = /^[A-Za-z0-9\-._~+=/]+$/;
// RFC 4975 §9: transport = "tcp" / 1*ALPHANUM
const TRANSPORT = /^[A-Za-z0-9]+$/;
const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * Parses one MSRP URI.
 *
 * @example
 * parseMsrpUri('msrp://bob.example.com:8888/9di4eae923wzd;tcp')
 * // { ok: true, value: { secure: false, host: 'bob.example.com', port: 8888, sessionId: '9di4eae923wzd', transport: 'tcp', params: [] } }
 */
export function parseMsrpUri(text: string): ParseResult<MsrpUri> {
  const scheme = SCHEME.exec(text);
  if (scheme === null) return fail(text, 'it does not start with "msrp://" or "msrps://"');
  const rest = text.slice(scheme[0].length);
  // The authority ends at the session-id's "/" or the transport's ";"; RFC 4975 §9 makes
  // `";" transport` mandatory, so a URI without ";" is refused.
  const semicolon = rest.indexOf(';');
  if (semicolon === -1) return fail(text, 'the ";tcp" transport is missing (RFC 4975 §9)');
  const slash = rest.indexOf('/');
  const authorityEnd = slash !== -1 && slash < semicolon ? slash : semicolon;
  const authority = parseAuthority(rest.slice(0, authorityEnd));
  if (!authority.ok) return fail(text, authority.reason);

  let sessionId: string | undefined;
  if (authorityEnd === slash) {
    sessionId = rest.slice(slash + 1, semicolon);
    if (!SESSION_ID.test(sessionId)) {
      return fail(text, `session-id "${sessionId}" is not 1*( unreserved / "+" / "=" / "/" )`);
    }
  }

  const [transport = '', ...rawParams] = rest.slice(semicolon + 1).split(';');
  if (!TRANSPORT.test(transport)) return fail(text, `transport "${transport}" is not 1*ALPHANUM`);
  const params: MsrpUriParam[] = [];
  for (const raw of rawParams) {
    const param = parseParam(raw);
    if (param === undefined) return fail(text, `URI-parameter "${raw}" is not token ["=" token]`);
    params.push(param);
  }

  return {
    ok: true,
    value: {
      secure: scheme[1]?.toLowerCase() === 'msrps',
      ...authority.value,
      ...(sessionId === undefined ? {} : { sessionId }),
      transport,
      params,
    },
  };
}

/** Writes a URI back in the RFC 4975 §9 form; `parseMsrpUri(formatMsrpUri(u))` gives back `u`. */
export function formatMsrpUri(uri: MsrpUri): string {
  const userinfo = uri.userinfo === undefined ? '' : `${uri.userinfo}@`;
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  const sessionId = uri.sessionId === undefined ? '' : `/${uri.sessionId}`;
  const params = uri.params.map((p) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`));
  return `${uri.secure ? 'msrps' : 'msrp'}://${userinfo}${uri.host}${port}${sessionId};${uri.transport}${params.join('')}`;
}

/**
 * URI equality of RFC 4975 §6.1. URI-parameters other than the transport do not take part,
 * as §6.1 lists none of them.
 */
export function msrpUriEquals(a: MsrpUri, b: MsrpUri): boolean {
  // RFC 4975 §6.1: the scheme must match, compared case-insensitively.
  if (a.secure !== b.secure) return false;
  // RFC 4975 §6.1: an explicit IP address is compared for address equivalence, other
  // authorities as case-insensitive strings after percent-decoding unreserved characters;
  // userinfo takes no part.
  if (comparableHost(a.host) !== comparableHost(b.host)) return false;
  // RFC 4975 §6.1: an explicit port must match exactly, and never equals an absent one.
  if (a.port !== b.port) return false;
  // RFC 4975 §6.1: the session-id is compared case-sensitively, and a URI without one never
  // equals a URI with one.
  if (a.sessionId !== b.sessionId) return false;
  // RFC 4975 §6.1: different transports never match; the transport is case-insensitive.
  return a.transport.toLowerCase() === b.transport.toLowerCase();
}

/**
 * What a URI needs of a transport connection, as a string to look connections up by: scheme, host
 * (compared as in §6.1), port (`defaultPort` when the URI has none) and transport. RFC 4975 §5.4:
 * "If the sender already has such a connection, that is, one associated with the same host, port,
 * and URI scheme, then it SHOULD reuse that connection."
 */
export function connectionKey(uri: MsrpUri, defaultPort: number): string {
  return `${uri.secure ? 'msrps' : 'msrp'}://${comparableHost(uri.host)}:${uri.port ?? defaultPort};${uri.transport.toLowerCase()}`;
}

/**
 * A fresh session-id: 16 bytes from the CSPRNG in base64url, whose alphabet is all session-id
 * characters. RFC 4975's security considerations (§14) make the session-id a secret that must
 * be hard to guess, with at least 80 bits of randomness; this gives 128.
 */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

type Authority = Pick<MsrpUri, 'userinfo' | 'host' | 'port'>;

function parseAuthority(text: string): ParseResult<Authority> {
  const at = text.lastIndexOf('@');
  const userinfo = at === -1 ? undefined : text.slice(0, at);
  if (userinfo !== undefined && !USERINFO.test(userinfo)) {
    return { ok: false, reason: `userinfo "${userinfo}" has characters RFC 3986 §3.2.1 does not allow` };
  }
  const hostport = text.slice(at + 1);
  const hostEnd = hostport.startsWith('[') ? hostport.indexOf(']') + 1 : hostport.indexOf(':');
  const host = hostEnd <= 0 ? hostport : hostport.slice(0, hostEnd);
  if (!isHost(host)) return { ok: false, reason: `host "${host}" is neither an IPv6 reference nor a host name` };

  const afterHost = hostport.slice(host.length);
  let port: number | undefined;
  if (afterHost !== '') {
    const digits = afterHost.slice(1);
    if (!afterHost.startsWith(':') || !PORT.test(digits) || Number(digits) > 65535) {
      return { ok: false, reason: `port "${afterHost}" is not ":" followed by 0..65535` };
    }
    port = Number(digits);
  }
  return {
    ok: true,
    value: {
      ...(userinfo === undefined ? {} : { userinfo }),
      host,
      ...(port === undefined ? {} : { port }),
    },
  };
}

function isHost(host: string): boolean {
  if (host.startsWith('[')) {
    // RFC 3986 §3.2.2 IP-literal: zone identifiers ("%eth0") are RFC 6874's, not RFC 3986's.
    const address = host.slice(1, -1);
    return host.endsWith(']') && isIPv6(address) && !address.includes('%');
  }
  return REG_NAME.test(host);
}

function parseParam(raw: string): MsrpUriParam | undefined {
  // RFC 4975 §9: URI-parameter = token ["=" token]; "=" is not a token character, so the
  // first "=" is the separator.
  const eq = raw.indexOf('=');
  const name = eq === -1 ? raw : raw.slice(0, eq);
  const value = eq === -1 ? undefined : raw.slice(eq + 1);
  if (!isToken(name) || (value !== undefined && !isToken(value))) return undefined;
  return value === undefined ? { name } : { name, value };
}

function comparableHost(host: string): string {
  // WHATWG URL serialises an IPv6 address in its one canonical (RFC 5952) text form.
  if (host.startsWith('[')) return new URL(`msrp://${host}/`).hostname;
  return host
    .replace(PERCENT_ESCAPE, (escape, hex: string) => {
      const char = String.fromCharCode(Number.parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : escape;
    })
    .toLowerCase();
}

function fail(text: string, why: string): ParseResult<never> {
  return { ok: false, reason: `MSRP URI "${text}" is invalid: ${why}` };
}
