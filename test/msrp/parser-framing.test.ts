import { describe, expect, it } from 'vitest';
import { comparable, crlf, everySplit, parseInPieces, recorder } from './support/recorder.ts';

const TO = 'msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp';
const FROM = 'msrp://atlanta.example.com:7654/jshA7weztas;tcp';

/** The SEND of RFC 4975 §4's example. */
const RFC_SEND = crlf(
  'MSRP a786hjs2 SEND',
  `To-Path: ${TO}`,
  `From-Path: ${FROM}`,
  'Message-ID: 87652491',
  'Byte-Range: 1-25/25',
  'Content-Type: text/plain',
  '',
  'Hey Bob, are you there?',
  '-------a786hjs2$',
);

/** The 200 OK answering it. */
const RFC_OK = crlf('MSRP a786hjs2 200 OK', `To-Path: ${FROM}`, `From-Path: ${TO}`, '-------a786hjs2$');

/** A SEND of `tid` whose body is `body` (latin1), with the end-line flag `flag`. */
function send(tid: string, body: string, flag = '$'): Buffer {
  const head = crlf(`MSRP ${tid} SEND`, `To-Path: ${TO}`, `From-Path: ${FROM}`, 'Message-ID: m1234', 'Content-Type: text/plain', '');
  return Buffer.concat([head, Buffer.from(body, 'latin1'), crlf('', `-------${tid}${flag}`)]);
}

function bodyOf(bytes: Buffer): Buffer | undefined {
  const rec = parseInPieces(bytes, []);
  const body = rec.events.find((e) => e.type === 'body');
  expect(rec.events.filter((e) => e.type === 'error')).toEqual([]);
  return body?.type === 'body' ? body.data : undefined;
}

describe('RFC 4975 §9 framing of requests', () => {
  it('reads the SEND of the §4 example: head, streamed body, end-line with "$"', () => {
    const { events } = parseInPieces(RFC_SEND, []);
    expect(events.map((e) => e.type)).toEqual(['head', 'body', 'end']);
    const [head, body, end] = events;
    expect(head?.type === 'head' && head.head).toMatchObject({
      transactionId: 'a786hjs2',
      method: 'SEND',
      hasBody: true,
      headers: {
        toPath: [{ host: 'biloxi.example.com', port: 12763, sessionId: 'kjhd37s2s20w2a', transport: 'tcp' }],
        fromPath: [{ host: 'atlanta.example.com', port: 7654, sessionId: 'jshA7weztas' }],
        messageId: '87652491',
        byteRange: { start: 1, end: 25, total: 25 },
        contentType: 'text/plain',
      },
    });
    expect(body?.type === 'body' && body.data.toString()).toBe('Hey Bob, are you there?');
    expect(end?.type === 'end' && end.end).toEqual({ transactionId: 'a786hjs2', flag: '$', bodyBytes: 23 });
  });

  it('§7.1: the CRLF before the end-line is not part of the body', () => {
    expect(bodyOf(send('abcd1234', 'line one\r\nline two\r\n'))?.toString()).toBe('line one\r\nline two\r\n');
  });

  it.each(['$', '+', '#'] as const)('§7.1: reports the continuation flag "%s"', (flag) => {
    const { events } = parseInPieces(send('abcd1234', 'part', flag), []);
    expect(events.at(-1)).toEqual({ type: 'end', end: { transactionId: 'abcd1234', flag, bodyBytes: 4 } });
  });

  it('§9: a request without content-stuff has no blank line: a REPORT ends right after its headers', () => {
    const report = crlf(
      'MSRP dkei38sd REPORT',
      'To-Path: msrp://alice.example.com:7777/iau39soe2843z;tcp',
      'From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp',
      'Message-ID: 12339sdqwer',
      'Byte-Range: 1-106/106',
      'Status: 000 200 OK',
      '-------dkei38sd$',
    );
    const { events } = parseInPieces(report, []);
    expect(events.map((e) => e.type)).toEqual(['head', 'end']);
    expect(events[0]?.type === 'head' && events[0].head).toMatchObject({
      method: 'REPORT',
      hasBody: false,
      headers: { status: { namespace: '000', code: 200, comment: 'OK' }, byteRange: { start: 1, end: 106, total: 106 } },
    });
    expect(events[1]).toEqual({ type: 'end', end: { transactionId: 'dkei38sd', flag: '$', bodyBytes: 0 } });
  });

  it('§5.4: reads an empty SEND (Byte-Range 1-0/0, no Content-Type, no body)', () => {
    const empty = crlf('MSRP a786hjs2 SEND', `To-Path: ${TO}`, `From-Path: ${FROM}`, 'Message-ID: 87652491', 'Byte-Range: 1-0/0', '-------a786hjs2$');
    const { events } = parseInPieces(empty, []);
    expect(events.map((e) => e.type)).toEqual(['head', 'end']);
    expect(events[0]?.type === 'head' && events[0].head.hasBody).toBe(false);
  });

  it('§9 content-stuff: a body section with zero data bytes gives no onBody and bodyBytes 0', () => {
    const { events } = parseInPieces(send('abcd1234', ''), []);
    expect(events.map((e) => e.type)).toEqual(['head', 'end']);
    expect(events[0]?.type === 'head' && events[0].head.hasBody).toBe(true);
    expect(events[1]?.type === 'end' && events[1].end.bodyBytes).toBe(0);
  });

  it('passes every byte value through a body unchanged', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(bodyOf(send('abcd1234', all.toString('latin1')))).toEqual(all);
  });

  it('reads frames written back to back in one write', () => {
    const { events } = parseInPieces(Buffer.concat([RFC_SEND, RFC_OK, send('zzzz9999', 'x', '+')]), []);
    expect(events.map((e) => e.type)).toEqual(['head', 'body', 'end', 'response', 'head', 'body', 'end']);
  });

  it('reads header names case-insensitively and keeps extension and MIME fields in order', () => {
    const frame = crlf(
      'MSRP abcd1234 SEND',
      `to-path: ${TO}`,
      `FROM-PATH: ${FROM}`,
      'X-Custom: one two',
      'Content-ID: <part1@example.com>',
      'Content-Disposition: inline',
      'content-type: text/plain;charset=utf-8',
      '',
      'hi',
      '-------abcd1234$',
    );
    const { events } = parseInPieces(frame, []);
    expect(events[0]?.type === 'head' && events[0].head.headers).toMatchObject({
      extensions: [{ name: 'X-Custom', value: 'one two' }],
      mime: [
        { name: 'Content-ID', value: '<part1@example.com>' },
        { name: 'Content-Disposition', value: 'inline' },
      ],
      contentType: 'text/plain;charset=utf-8',
    });
  });
});

describe('RFC 4975 §7.1 end-line look-alikes inside a body', () => {
  it('an end-line with another transaction-id is body data', () => {
    const body = 'before\r\n-------zzzz9999$\r\nafter';
    expect(bodyOf(send('abcd1234', body))?.toString()).toBe(body);
  });

  it('this transaction\'s end-line without the CRLF before it is body data', () => {
    const body = 'x-------abcd1234$\r\ny';
    expect(bodyOf(send('abcd1234', body))?.toString()).toBe(body);
  });

  it('an id that merely starts with this transaction-id is body data', () => {
    const body = '\r\n-------abcd12345$\r\n';
    expect(bodyOf(send('abcd1234', body))?.toString()).toBe(body);
  });

  it('this transaction-id followed by a character that is no flag is body data', () => {
    const body = '\r\n-------abcd1234!\r\n';
    expect(bodyOf(send('abcd1234', body))?.toString()).toBe(body);
  });

  it('this transaction-id and a flag not followed by CRLF is body data', () => {
    const body = '\r\n-------abcd1234$ more\r\n-------abcd1234+x';
    expect(bodyOf(send('abcd1234', body))?.toString()).toBe(body);
  });

  it('a body that ends in CR or in hyphens keeps them', () => {
    expect(bodyOf(send('abcd1234', 'tail\r'))?.toString()).toBe('tail\r');
    expect(bodyOf(send('abcd1234', 'tail\r\n-------'))?.toString()).toBe('tail\r\n-------');
  });
});

describe('RFC 4975 §9 responses', () => {
  it('reads the 200 OK of the §4 example as one onResponse', () => {
    const { events } = parseInPieces(RFC_OK, []);
    expect(events).toHaveLength(1);
    expect(events[0]?.type === 'response' && events[0].response).toMatchObject({
      transactionId: 'a786hjs2',
      status: 200,
      comment: 'OK',
      headers: { toPath: [{ host: 'atlanta.example.com' }], fromPath: [{ host: 'biloxi.example.com' }] },
    });
  });

  it('reads a comment with spaces and U+2028 (utf8text) whole, and an empty one after a space', () => {
    const comment = 'Not \u2028 Found here';
    const withComment = parseInPieces(crlf(`MSRP a786hjs2 404 ${comment}`, `To-Path: ${FROM}`, `From-Path: ${TO}`, '-------a786hjs2$'), []);
    expect(withComment.events[0]?.type === 'response' && withComment.events[0].response.comment).toBe(comment);
    const empty = parseInPieces(crlf('MSRP a786hjs2 200 ', `To-Path: ${FROM}`, `From-Path: ${TO}`, '-------a786hjs2$'), []);
    expect(empty.events[0]?.type === 'response' && empty.events[0].response.comment).toBe('');
  });

  it('reads a status without a comment', () => {
    const { events } = parseInPieces(crlf('MSRP a786hjs2 481', `To-Path: ${FROM}`, `From-Path: ${TO}`, '-------a786hjs2$'), []);
    expect(events[0]?.type === 'response' && events[0].response).toEqual({
      transactionId: 'a786hjs2',
      status: 481,
      headers: expect.objectContaining({ toPath: [expect.objectContaining({ host: 'atlanta.example.com' })] }),
    });
  });
});

describe('frames split across TCP segments at every byte boundary', () => {
  const streams = {
    'the §4 SEND and its 200 OK': Buffer.concat([RFC_SEND, RFC_OK]),
    'a body full of end-line look-alikes': send('abcd1234', '\r\n-------abcd1234\r\n-------abcd1234$x\r\n-------abcd123+\r\n\r\r\n--'),
    'a bodiless REPORT then a "+" chunk': Buffer.concat([
      crlf('MSRP dkei38sd REPORT', `To-Path: ${TO}`, `From-Path: ${FROM}`, 'Message-ID: m1234', 'Status: 000 200 OK', '-------dkei38sd$'),
      send('dkei38sd', 'more', '+'),
    ]),
  };

  it.each(Object.entries(streams))('%s: the same events whatever the split', (_, bytes) => {
    const whole = comparable(parseInPieces(bytes, []).events);
    expect(whole.some((e) => (e as { type: string }).type === 'error')).toBe(false);
    for (const cuts of everySplit(bytes)) {
      expect(comparable(parseInPieces(bytes, cuts).events)).toEqual(whole);
    }
  });

  it('holds back no more than the end-line window while a body streams', () => {
    const bytes = send('abcd1234', 'abc\r\n-------abcd1234\r\n-------abcd1234$'.repeat(20));
    const window = 2 + 7 + 'abcd1234'.length + 1 + 2;
    for (const cuts of everySplit(bytes)) {
      const rec = recorder();
      let from = 0;
      let inBody = false;
      for (const cut of [...cuts, bytes.length]) {
        rec.write(bytes.subarray(from, cut));
        from = cut;
        inBody ||= rec.events.some((e) => e.type === 'head');
        if (inBody) expect(rec.parser.bufferedBytes).toBeLessThan(window);
      }
    }
  });
});
