/**
 * Chunk-boundary property (style anchors, "properties/"): any split of a valid stream yields the
 * same messages as the unsplit stream, and any bytes at all yield messages or one typed error,
 * never a throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SipParseError } from '../../../runtime/sip/errors.ts';
import { getHeader, type SipMessage } from '../../../runtime/sip/message.ts';
import { SipStreamFramer } from '../../../runtime/sip/stream-framer.ts';
import { OPTIONS_LINES, wire } from '../fixtures.ts';

const LIMITS = { maxHeaderBytes: 1024, maxBodyBytes: 1024, maxBufferedBytes: 2048 };

function frame(chunks: Buffer[]): { messages: SipMessage[]; errors: SipParseError[] } {
  const messages: SipMessage[] = [];
  const errors: SipParseError[] = [];
  const framer = new SipStreamFramer(LIMITS, { onMessage: (m) => messages.push(m), onPing: () => undefined, onError: (e) => errors.push(e) });
  for (const chunk of chunks) framer.push(chunk);
  return { messages, errors };
}

function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  return chunks;
}

const message = fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,12}$/), body: fc.string({ maxLength: 60 }), lf: fc.boolean(), pings: fc.nat(2) }).map(({ id, body, lf, pings }) => {
  const lines = [...OPTIONS_LINES.filter((l) => !l.startsWith('Call-ID') && !l.startsWith('Content-Length')), `Call-ID: ${id}`, `Content-Length: ${Buffer.byteLength(body)}`];
  const bytes = wire(lines, body);
  const text = lf ? Buffer.from(bytes.toString('utf8').replace(/\r\n(?=[\s\S]*\r\n\r\n)/g, '\n')) : bytes;
  return { id, body, bytes: Buffer.concat([Buffer.from('\r\n\r\n'.repeat(pings)), text]) };
});

describe('SipStreamFramer properties', () => {
  it('any split of a valid stream yields the messages of the unsplit stream', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (messages, cuts) => {
        const stream = Buffer.concat(messages.map((m) => m.bytes));
        const { messages: out, errors } = frame(split(stream, cuts));
        expect(errors).toEqual([]);
        expect(out.map((m) => [getHeader(m, 'call-id'), m.body.toString('utf8')])).toEqual(messages.map((m) => [m.id, m.body]));
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes never throw and end in messages or one typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const { errors } = frame(split(Buffer.from(bytes), cuts));
        expect(errors.length).toBeLessThanOrEqual(1);
        for (const error of errors) expect(error).toBeInstanceOf(SipParseError);
      }),
      { numRuns: 300 },
    );
  });
});
