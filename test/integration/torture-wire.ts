/**
 * RFC 4475 messages prepared for the wire: the top Via of a message the parser accepts is rewritten
 * to the test peer's transport and address with `rport`, so the CF's answer (routed by RFC 3261
 * §18.2.2 to the Via) comes back to the test; every other byte is left as the RFC has it. A message
 * the parser refuses is sent untouched (the CF answers those to the packet's source).
 */
import { parseDatagram } from '../../runtime/sip/parser.ts';
import { torture } from '../sip/fixtures.ts';
import type { WirePeer } from '../support/wire-peer.ts';

/** The first Via header line (`Via` or `v`, any case, any spacing) with its continuation lines. */
const TOP_VIA = /^(?:via|v)[ \t]*:(?:[^\r\n]*)(?:\r?\n[ \t]+[^\r\n]*)*/im;

export function prepared(name: string, peer: WirePeer): Buffer {
  const bytes = torture(name);
  if (!parseDatagram(bytes).ok) return bytes;
  const text = bytes.toString('latin1');
  const match = TOP_VIA.exec(text);
  if (match === null) return bytes;
  const branch = /branch[ \t]*=[ \t]*([^;,\s]+)/i.exec(match[0])?.[1];
  const via = `Via: SIP/2.0/${peer.transport.toUpperCase()} ${peer.sentBy};rport${branch === undefined ? '' : `;branch=${branch}`}`;
  return Buffer.from(text.slice(0, match.index) + via + text.slice(match.index + match[0].length), 'latin1');
}
