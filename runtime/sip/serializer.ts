/**
 * Writing a message (RFC 3261 §7): start line, headers with canonical names, and a Content-Length
 * that is always recomputed from the body's octets (§20.14 counts octets, not characters), so a
 * stale or hand-written Content-Length can never misframe the body on a stream (§18.3).
 */
import { canonicalName } from './header-names.ts';
import type { SipMessage } from './message.ts';
import { formatUri } from './uri.ts';

/**
 * Throws TypeError when a header value holds a line break (a caller bug, never peer input).
 * @example socket.write(serializeMessage(createResponse(request, 200)))
 */
export function serializeMessage(message: SipMessage): Buffer {
  let head =
    message.kind === 'request'
      ? `${message.method} ${formatUri(message.uri)} SIP/2.0\r\n`
      : `SIP/2.0 ${message.status} ${message.reason}\r\n`;
  for (const { name, key, value } of message.headers) {
    if (key === 'content-length') continue;
    // A CR or LF in a value would let it inject headers or end the header block.
    if (value.includes('\n') || value.includes('\r')) throw new TypeError(`line break in ${name} header value`);
    head += `${canonicalName(key, name)}: ${value}\r\n`;
  }
  head += `Content-Length: ${message.body.length}\r\n\r\n`;
  const headLength = Buffer.byteLength(head, 'utf8');
  // Memory of its own, not a slice of Node's shared 8 KB pool: the bytes of a message may be kept
  // for a retransmission or a session's length, and a kept slice keeps its whole slab alive.
  const out = Buffer.allocUnsafeSlow(headLength + message.body.length);
  out.write(head, 0, headLength, 'utf8');
  message.body.copy(out, headLength);
  return out;
}
