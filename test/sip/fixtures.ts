/** Test helpers shared by the SIP tests: RFC 4475 fixtures and message text with CRLF line ends. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDatagram } from '../../runtime/sip/parser.ts';
import type { SipMessage } from '../../runtime/sip/message.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc4475/', import.meta.url));

/** The bytes of RFC 4475 test message `name`, e.g. "3.1.1.1-wsinv". */
export function torture(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}.dat`);
}

/** The names of every RFC 4475 test message, e.g. "3.1.1.1-wsinv". */
export function tortureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.dat'))
    .map((file) => file.slice(0, -'.dat'.length));
}

/** `lines` joined with CRLF, as bytes, ending with the empty line (and then `body`). */
export function wire(lines: readonly string[], body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** Parses a datagram that the test knows is valid, failing the test with the parser's reason otherwise. */
export function parseOk(bytes: Buffer): SipMessage {
  const parsed = parseDatagram(bytes);
  if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message}`);
  return parsed.value;
}

/** A minimal valid request header block (no trailing empty line), to vary one line at a time. */
export const OPTIONS_LINES: readonly string[] = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'To: Bob <sip:bob@example.com>',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 63104 OPTIONS',
  'Content-Length: 0',
];
