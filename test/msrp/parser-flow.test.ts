import { describe, expect, it } from 'vitest';
import { MsrpParser } from '../../runtime/msrp/parser.ts';
import type { MsrpEnd } from '../../runtime/msrp/frame.ts';
import { comparable, crlf, parseInPieces, recorder } from './support/recorder.ts';

const PATHS = ['To-Path: msrp://b.example.com:1/s1;tcp', 'From-Path: msrp://a.example.com:2/s2;tcp'];

function send(tid: string, body: string, flag = '$'): Buffer {
  const head = crlf(`MSRP ${tid} SEND`, ...PATHS, 'Content-Type: text/plain', '');
  return Buffer.concat([head, Buffer.from(body, 'latin1'), crlf('', `-------${tid}${flag}`)]);
}

const STREAM = Buffer.concat([
  send('abcd0001', 'first body\r\n-------abcd0001x', '+'),
  crlf('MSRP abcd0001 200 OK', ...PATHS, '-------abcd0001$'),
  crlf('MSRP abcd0002 SEND', ...PATHS, 'Byte-Range: 1-0/0', '-------abcd0002$'),
  send('abcd0003', 'second body'),
]);

const noop = (): void => undefined;

describe('zero-copy bodies', () => {
  it('onBody gets views into the written buffer, not copies', () => {
    const written = send('abcd1234', 'x'.repeat(1000));
    const seen: Buffer[] = [];
    const parser = new MsrpParser({ onRequestHead: noop, onBody: (b) => seen.push(b), onEnd: noop, onResponse: noop, onError: noop });
    parser.write(written);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.buffer).toBe(written.buffer);
    expect(seen[0]?.byteOffset).toBe(written.byteOffset + written.indexOf('xxx'));
  });
});

describe('backpressure: pause() and resume()', () => {
  it('pause() in onBody stops the callbacks and write() returns false; resume() goes on', () => {
    const rec = recorder(undefined, { onBody: () => rec.parser.pause() });
    expect(rec.write(STREAM)).toBe(false);
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'body']);
    expect(rec.parser.isPaused).toBe(true);
    expect(rec.parser.resume()).toBe(false);
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'body', 'end', 'response', 'head', 'end', 'head', 'body']);
    expect(rec.parser.resume()).toBe(true);
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'body', 'end', 'response', 'head', 'end', 'head', 'body', 'end']);
  });

  it('pause() in onRequestHead of a bodiless request holds its onEnd until resume()', () => {
    const rec = recorder(undefined, { onRequestHead: () => rec.parser.pause() });
    rec.write(crlf('MSRP abcd0002 SEND', ...PATHS, '-------abcd0002$'));
    expect(rec.events.map((e) => e.type)).toEqual(['head']);
    rec.parser.resume();
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'end']);
  });

  it('bytes written while paused are kept and parsed in order after resume()', () => {
    const rec = recorder();
    rec.parser.pause();
    expect(rec.write(STREAM.subarray(0, 40))).toBe(false);
    expect(rec.write(STREAM.subarray(40))).toBe(false);
    expect(rec.events).toEqual([]);
    expect(rec.parser.resume()).toBe(true);
    expect(comparable(rec.events)).toEqual(comparable(parseInPieces(STREAM, []).events));
  });

  it('pausing at every callback and resuming gives the same events as flowing freely', () => {
    const rec = recorder(undefined, {
      onRequestHead: () => rec.parser.pause(),
      onBody: () => rec.parser.pause(),
      onEnd: () => rec.parser.pause(),
      onResponse: () => rec.parser.pause(),
    });
    for (let i = 0; i < STREAM.length; i += 7) rec.write(STREAM.subarray(i, i + 7));
    let resumes = 0;
    while (!rec.parser.resume()) resumes++;
    expect(resumes).toBeGreaterThan(5);
    expect(comparable(rec.events)).toEqual(comparable(parseInPieces(STREAM, []).events));
  });

  it('resume() called inside a callback carries on in the same write', () => {
    const rec = recorder(undefined, {
      onBody: () => {
        rec.parser.pause();
        rec.parser.resume();
      },
    });
    expect(rec.write(STREAM)).toBe(true);
    expect(comparable(rec.events)).toEqual(comparable(parseInPieces(STREAM, []).events));
  });

  it('end() while paused waits for resume() before judging the frame truncated', () => {
    const rec = recorder(undefined, { onRequestHead: () => rec.parser.pause() });
    rec.write(send('abcd1234', 'body'));
    rec.parser.end();
    expect(rec.events.map((e) => e.type)).toEqual(['head']);
    rec.parser.resume();
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'body', 'end']);
  });
});

describe('bounded memory', () => {
  it('a 2 GiB chunk streams through while the parser holds fewer than 2+7+tid+1+2 bytes', () => {
    const tid = 'a786hjs2';
    const window = 2 + 7 + tid.length + 1 + 2;
    const total = 2 ** 31;
    const block = Buffer.alloc(1 << 20, 'a');
    // Each block ends in the first bytes of this transaction's end-line, so every write
    // exercises the look-behind.
    block.write(`\r\n-------${tid.slice(0, -1)}`, block.length - 2 - 7 - tid.length + 1, 'latin1');
    let bodyBytes = 0;
    let maxBuffered = 0;
    let end: MsrpEnd | undefined;
    const parser = new MsrpParser({
      onRequestHead: noop,
      onBody: (b) => (bodyBytes += b.length),
      onEnd: (e) => (end = e),
      onResponse: noop,
      onError: (e) => {
        throw e;
      },
    });
    parser.write(crlf(`MSRP ${tid} SEND`, ...PATHS, `Byte-Range: 1-${total}/${total}`, 'Content-Type: application/octet-stream', ''));
    for (let written = 0; written < total; written += block.length) {
      parser.write(block);
      maxBuffered = Math.max(maxBuffered, parser.bufferedBytes);
    }
    parser.write(crlf('', `-------${tid}$`));
    expect(maxBuffered).toBe(window - 4);
    expect(maxBuffered).toBeLessThan(window);
    expect(end).toEqual({ transactionId: tid, flag: '$', bodyBytes: total });
    expect(bodyBytes).toBe(total);
    expect(parser.bufferedBytes).toBe(0);
  });
});
