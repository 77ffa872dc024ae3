/**
 * SDP bodies (RFC 4566) as far as the CF reads and writes them: the MSRP media line of RFC 4975 §8
 * (`m=message <port> TCP/MSRP *` with `a=path`, `a=accept-types`, `a=accept-wrapped-types`,
 * `a=max-size`) and RFC 6135 `a=setup`, mapped to and from the machines' `MsrpMedia`. Every other
 * media-level attribute is kept verbatim so that it travels through the focus (open question 4).
 */
import type { MsrpMedia } from '../machines/types.ts';
import { detached } from './detached-string.ts';

/** A body that is not SDP at all (RFC 3261 §21.4.1: 400); SDP without MSRP media is not an error. */
export class SdpError extends Error {
  override readonly name = 'SdpError';
  readonly code = 'CPM_ERR_SDP_MALFORMED';
}

export type SdpParse = { readonly ok: true; readonly media: MsrpMedia | null } | { readonly ok: false; readonly error: SdpError };

/** RFC 4975 §8.1: MSRP runs over TCP, or TLS for `msrps`. */
const MSRP_PROTOCOLS = new Set(['TCP/MSRP', 'TCP/TLS/MSRP']);
/** The attributes `MsrpMedia` has fields for; any other goes to `otherAttributes`. */
const MAPPED = new Set(['path', 'accept-types', 'accept-wrapped-types', 'max-size', 'setup']);
/** RFC 4566 §5: `<type>=<value>`, the type one lower-case letter. */
const LINE = /^([a-z])=(.*)$/;
/** RFC 4975 §9 MSRP-URI authority: `msrp[s]://host[:port]/…`; host may be an IPv6 reference. */
const MSRP_AUTHORITY = /^msrps?:\/\/(\[[0-9A-Fa-f:.]+\]|[^:/;[\]]+)(?::(\d{1,5}))?\//i;
/** RFC 4975 §8: no well-known port is used in practice, but 2855 is the registered one. */
const MSRP_DEFAULT_PORT = 2855;

/**
 * The first usable MSRP media description of an SDP body, or null when it offers none (no
 * `m=message` line with an MSRP protocol and a non-zero port, RFC 3264 §6).
 *
 * @example
 * const parsed = parseMsrpSdp(invite.body);
 * if (!parsed.ok) answer(400, parsed.error.message);
 * else if (parsed.media === null) answer(488);
 */
export function parseMsrpSdp(body: Buffer | string): SdpParse {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  // RFC 4566 §5: "An SDP session description ... begins with a "v=" line"; version 0 is the only one.
  if (lines[0] !== 'v=0') return malformed('the body does not start with v=0');
  let media: MsrpMedia | null = null;
  let inMsrpMedia = false;
  for (const [index, line] of lines.entries()) {
    const match = LINE.exec(line);
    if (match === null) return malformed(`line ${index + 1} is not <type>=<value>`);
    const [, type, value = ''] = match;
    if (type === 'm') {
      if (media !== null) break;
      const fields = value.split(' ');
      // RFC 4566 §5.14: m=<media> <port> <proto> <fmt> ...
      if (fields.length < 4 || !/^\d+(\/\d+)?$/.test(fields[1] ?? '')) return malformed(`line ${index + 1} is not a media description`);
      inMsrpMedia = fields[0] === 'message' && MSRP_PROTOCOLS.has((fields[2] ?? '').toUpperCase()) && Number.parseInt(fields[1] ?? '0', 10) !== 0;
      if (inMsrpMedia) media = emptyMedia();
      continue;
    }
    if (type === 'a' && inMsrpMedia && media !== null) media = withAttribute(media, value);
  }
  return { ok: true, media };
}

function emptyMedia(): MsrpMedia {
  return { path: [], acceptTypes: [], acceptWrappedTypes: [], maxSize: null, setup: null, otherAttributes: [] };
}

/** The media description outlives its SDP text (a session keeps it): what it keeps is `detached`. */
function withAttribute(media: MsrpMedia, attribute: string): MsrpMedia {
  const colon = attribute.indexOf(':');
  const name = (colon < 0 ? attribute : attribute.slice(0, colon)).toLowerCase();
  const value = colon < 0 ? '' : attribute.slice(colon + 1).trim();
  if (!MAPPED.has(name)) return { ...media, otherAttributes: [...media.otherAttributes, detached(attribute)] };
  const words = value.split(/\s+/).filter((w) => w.length > 0).map(detached);
  switch (name) {
    case 'path':
      return { ...media, path: words };
    case 'accept-types':
      return { ...media, acceptTypes: words };
    case 'accept-wrapped-types':
      return { ...media, acceptWrappedTypes: words };
    case 'max-size':
      return { ...media, maxSize: /^\d{1,15}$/.test(value) ? Number(value) : null };
    default: {
      // RFC 6135 §3 / RFC 4145 §4: active, passive, actpass; `holdconn` is kept verbatim.
      const setup = value.toLowerCase();
      return setup === 'active' || setup === 'passive' || setup === 'actpass'
        ? { ...media, setup }
        : { ...media, otherAttributes: [...media.otherAttributes, detached(attribute)] };
    }
  }
}

function malformed(why: string): SdpParse {
  return { ok: false, error: new SdpError(`malformed SDP: ${why}`) };
}

export interface SdpOrigin {
  /** RFC 4566 §5.2 sess-id: numeric, stable for the life of the session. */
  readonly sessionId: string;
  /** sess-version: increased on every new description of the same session. */
  readonly version: number;
}

/**
 * An SDP body describing `media`. Per RFC 4975 §8.1 the `c=` address and the `m=` port are those of
 * the last (the endpoint's own) URI of `a=path`, and the protocol is TCP/TLS/MSRP for an `msrps` URI.
 *
 * @example formatMsrpSdp(focusAnswer.answer, { sessionId: '2890844526', version: 1 })
 */
export function formatMsrpSdp(media: MsrpMedia, origin: SdpOrigin): string {
  const own = media.path[media.path.length - 1] ?? '';
  const authority = MSRP_AUTHORITY.exec(own);
  if (authority === null) throw new SdpError(`a=path ends with "${own}", which is not an MSRP URI`);
  const host = authority[1] ?? '';
  const address = host.startsWith('[') ? host.slice(1, -1) : host;
  const family = address.includes(':') ? 'IP6' : 'IP4';
  const port = authority[2] === undefined ? MSRP_DEFAULT_PORT : Number(authority[2]);
  const protocol = own.toLowerCase().startsWith('msrps:') ? 'TCP/TLS/MSRP' : 'TCP/MSRP';
  const lines = [
    'v=0',
    `o=- ${origin.sessionId} ${origin.version} IN ${family} ${address}`,
    's=-',
    `c=IN ${family} ${address}`,
    't=0 0',
    `m=message ${port} ${protocol} *`,
  ];
  if (media.acceptTypes.length > 0) lines.push(`a=accept-types:${media.acceptTypes.join(' ')}`);
  if (media.acceptWrappedTypes.length > 0) lines.push(`a=accept-wrapped-types:${media.acceptWrappedTypes.join(' ')}`);
  if (media.maxSize !== null) lines.push(`a=max-size:${media.maxSize}`);
  if (media.setup !== null) lines.push(`a=setup:${media.setup}`);
  lines.push(`a=path:${media.path.join(' ')}`);
  for (const attribute of media.otherAttributes) lines.push(`a=${attribute}`);
  return `${lines.join('\r\n')}\r\n`;
}
