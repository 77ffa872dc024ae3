import { describe, expect, it } from 'vitest';
import type { SipParseError } from '../../runtime/sip/errors.ts';
import { getHeader, type SipMessage } from '../../runtime/sip/message.ts';
import { SipStreamFramer, type FramerLimits } from '../../runtime/sip/stream-framer.ts';
import { OPTIONS_LINES, wire } from './fixtures.ts';

const LIMITS: FramerLimits = { maxHeaderBytes: 2048, maxBodyBytes: 1024, maxBufferedBytes: 4096 };

function collect(limits: FramerLimits = LIMITS) {
  const messages: SipMessage[] = [];
  const errors: SipParseError[] = [];
  let pings = 0;
  const framer = new SipStreamFramer(limits, { onMessage: (m) => messages.push(m), onPing: () => pings++, onError: (e) => errors.push(e) });
  return { framer, messages, errors, pings: () => pings };
}

const withBody = (body: string, callId = 'a84b4c76e66710@pc33.example.com') =>
  wire([...OPTIONS_LINES.filter((l) => !l.startsWith('Content-Length') && !l.startsWith('Call-ID')), `Call-ID: ${callId}`, `Content-Length: ${Buffer.byteLength(body)}`], body);

describe('stream framing (RFC 3261 §18.3)', () => {
  it('yields the same messages whatever byte boundary splits the stream', () => {
    const stream = Buffer.concat([withBody('first ✓', 'one'), Buffer.from('\r\n'), withBody('', 'two'), withBody('third\r\n\r\nwith blank lines', 'three')]);
    for (let cut = 1; cut < stream.length; cut++) {
      const { framer, messages, errors } = collect();
      framer.push(stream.subarray(0, cut));
      framer.push(stream.subarray(cut));
      expect(errors).toEqual([]);
      expect(messages.map((m) => [getHeader(m, 'call-id'), m.body.toString()]), `cut at ${cut}`).toEqual([
        ['one', 'first ✓'],
        ['two', ''],
        ['three', 'third\r\n\r\nwith blank lines'],
      ]);
    }
  });

  it('reads a message delivered one byte at a time', () => {
    const { framer, messages } = collect();
    for (const byte of withBody('xyz')) framer.push(Buffer.from([byte]));
    expect(messages.map((m) => m.body.toString())).toEqual(['xyz']);
  });

  it('answers each CRLFCRLF keep-alive ping, and skips a lone CRLF (RFC 5626 §4.4.1)', () => {
    const { framer, messages, pings } = collect();
    framer.push(Buffer.from('\r\n\r\n'));
    framer.push(Buffer.from('\r'));
    framer.push(Buffer.from('\n\r\n'));
    framer.push(Buffer.from('\r\n'));
    framer.push(withBody(''));
    expect(pings()).toBe(2);
    expect(messages).toHaveLength(1);
  });
});

describe('framing faults end the stream with one typed error', () => {
  it('"Content-Length: abc" fails as soon as the header block ends, without waiting for a body', () => {
    const { framer, errors, messages } = collect();
    framer.push(wire([...OPTIONS_LINES.slice(0, -1), 'Content-Length: abc']));
    expect(errors.map((e) => [e.code, e.status])).toEqual([['CPM_ERR_SIP_BAD_CONTENT_LENGTH', 400]]);
    expect(errors[0]!.response?.method).toBe('OPTIONS');
    framer.push(withBody('ignored'));
    expect([errors.length, messages.length]).toEqual([1, 0]);
  });

  it('a missing Content-Length is a fault on a stream', () => {
    const { framer, errors } = collect();
    framer.push(wire(OPTIONS_LINES.slice(0, -1)));
    expect(errors.map((e) => e.code)).toEqual(['CPM_ERR_SIP_MISSING_CONTENT_LENGTH']);
  });

  it('a Content-Length above maxBodyBytes fails before any body byte arrives', () => {
    const { framer, errors } = collect();
    framer.push(wire([...OPTIONS_LINES.slice(0, -1), 'Content-Length: 1025']));
    expect(errors.map((e) => [e.code, e.status, e.response !== undefined])).toEqual([['CPM_ERR_SIP_BODY_TOO_LARGE', 513, true]]);
  });

  it('a header block longer than maxHeaderBytes fails once that many bytes are held, naming the request if it can', () => {
    const { framer, errors } = collect();
    framer.push(Buffer.from(`${OPTIONS_LINES.join('\r\n')}\r\n`));
    for (let i = 0; i < 100 && errors.length === 0; i++) framer.push(Buffer.from(`X-Filler-${i}: ${'x'.repeat(40)}\r\n`));
    expect(errors.map((e) => [e.code, e.status])).toEqual([['CPM_ERR_SIP_HEADER_TOO_LARGE', 513]]);
    expect(errors[0]!.response?.method).toBe('OPTIONS');
  });

  it('an endless line without CRLFCRLF fails after maxHeaderBytes, holding no more than that', () => {
    const { framer, errors } = collect();
    const junk = Buffer.alloc(100, 0x41);
    let pushed = 0;
    while (errors.length === 0 && pushed < 1_000_000) {
      framer.push(junk);
      pushed += junk.length;
    }
    expect(errors.map((e) => e.code)).toEqual(['CPM_ERR_SIP_HEADER_TOO_LARGE']);
    expect(pushed).toBeLessThanOrEqual(LIMITS.maxHeaderBytes + junk.length);
    expect(errors[0]!.response).toBeUndefined();
  });

  it('more bytes held than maxBufferedBytes is a fault', () => {
    const { framer, errors } = collect({ maxHeaderBytes: 2048, maxBodyBytes: 4096, maxBufferedBytes: 1024 });
    framer.push(wire([...OPTIONS_LINES.slice(0, -1), 'Content-Length: 4000']));
    framer.push(Buffer.alloc(1500, 0x20));
    expect(errors.map((e) => e.code)).toEqual(['CPM_ERR_SIP_BUFFER_OVERFLOW']);
  });

  it('a malformed start line is reported with its code', () => {
    const { framer, errors } = collect();
    framer.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(errors.map((e) => e.code)).toEqual(['CPM_ERR_SIP_BAD_START_LINE']);
  });
});
