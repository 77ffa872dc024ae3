/**
 * The per-connection memo of header lines: a frame whose lines repeat the frame before's gets the
 * same (frozen) headers, and a line that differs, even by one byte, is read afresh, with its faults.
 */
import { describe, expect, it } from 'vitest';
import type { MsrpError } from '../../runtime/msrp/errors.ts';
import type { MsrpRequestHead, MsrpResponse } from '../../runtime/msrp/frame.ts';
import { MsrpParser } from '../../runtime/msrp/parser.ts';
import { crlf } from './support/recorder.ts';

const TO = 'msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp';
const FROM = 'msrp://atlanta.example.com:7654/jshA7weztas;tcp';

const ok = (tid: string, ...lines: string[]): Buffer => crlf(`MSRP ${tid} 200 OK`, ...lines, `-------${tid}$`);

function reader() {
  const responses: MsrpResponse[] = [];
  const heads: MsrpRequestHead[] = [];
  const errors: MsrpError[] = [];
  const noop = (): void => undefined;
  const parser = new MsrpParser({ onRequestHead: (h) => heads.push(h), onBody: noop, onEnd: noop, onResponse: (r) => responses.push(r), onError: (e) => errors.push(e) });
  return { parser, responses, heads, errors };
}

describe('HeaderMemo, through the parser', () => {
  it('hands frames with the same header lines the same frozen headers, from the second frame on', () => {
    const { parser, responses, errors } = reader();
    const tids = ['tid00001', 'tid00002', 'tid00003'];
    parser.write(Buffer.concat(tids.map((tid) => ok(tid, `To-Path: ${TO}`, `From-Path: ${FROM}`))));
    expect(errors).toEqual([]);
    expect(responses.map((r) => r.transactionId)).toEqual(tids);
    const [first, second, third] = responses;
    // Nothing is kept of a connection's first frame (a connection that only binds costs nothing).
    expect(second?.headers).not.toBe(first?.headers);
    expect(second?.headers).toEqual(first?.headers);
    expect(third?.headers).toBe(second?.headers);
    expect(Object.isFrozen(second?.headers)).toBe(true);
    expect(Object.isFrozen(second?.headers.toPath)).toBe(true);
    expect(Object.isFrozen(second?.headers.extensions)).toBe(true);
  });

  it('reads a line again when one byte of it differs, and a frame with a line more or less', () => {
    const { parser, responses, errors } = reader();
    const other = FROM.replace('7654', '7655');
    parser.write(ok('tid00001', `To-Path: ${TO}`, `From-Path: ${FROM}`));
    parser.write(ok('tid00002', `To-Path: ${TO}`, `From-Path: ${other}`));
    parser.write(ok('tid00003', `To-Path: ${TO}`, `From-Path: ${other}`, 'X-Note: a'));
    parser.write(ok('tid00004', `To-Path: ${TO}`, `From-Path: ${other}`));
    expect(errors).toEqual([]);
    expect(responses.map((r) => r.headers.fromPath[0]?.port)).toEqual([7654, 7655, 7655, 7655]);
    expect(responses.map((r) => r.headers.extensions.length)).toEqual([0, 0, 1, 0]);
  });

  it('reports a bad line every time it comes, not only the first', () => {
    const { parser, responses, errors } = reader();
    for (const tid of ['tid00001', 'tid00002']) parser.write(ok(tid, `To-Path: ${TO}`, `From-Path: ${FROM}`, 'Bad Name: x'));
    expect(responses).toEqual([]);
    expect(errors.map((e) => [e.code, e.frame?.transactionId])).toEqual([
      ['CPM_ERR_MSRP_INVALID_HEADER', 'tid00001'],
      ['CPM_ERR_MSRP_INVALID_HEADER', 'tid00002'],
    ]);
  });

  it('builds the headers afresh for a chunk whose Byte-Range moved on, keeping the lines that did not', () => {
    const { parser, heads, errors } = reader();
    for (const [tid, range] of [['tid00001', '1-3/6'], ['tid00002', '4-6/6']] as const) {
      parser.write(crlf(`MSRP ${tid} SEND`, `To-Path: ${TO}`, `From-Path: ${FROM}`, 'Message-ID: m1234', `Byte-Range: ${range}`, 'Content-Type: text/plain', '', 'abc', `-------${tid}$`));
    }
    expect(errors).toEqual([]);
    expect(heads.map((h) => h.headers.byteRange)).toEqual([
      { start: 1, end: 3, total: 6 },
      { start: 4, end: 6, total: 6 },
    ]);
    // The paths of both come from the connection's PathMemo, parsed once.
    expect(heads[1]?.headers.toPath).toBe(heads[0]?.headers.toPath);
    expect(heads.map((h) => h.headers.contentType)).toEqual(['text/plain', 'text/plain']);
  });
});
