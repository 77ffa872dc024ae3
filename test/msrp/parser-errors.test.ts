import { describe, expect, it } from 'vitest';
import { MsrpParser } from '../../runtime/msrp/parser.ts';
import type { MsrpError } from '../../runtime/msrp/errors.ts';
import { comparable, crlf, everySplit, parseInPieces, recorder } from './support/recorder.ts';
import type { ParserEvent } from './support/recorder.ts';

const TO = 'msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp';
const FROM = 'msrp://atlanta.example.com:7654/jshA7weztas;tcp';

function request(tid: string, method: string, headers: string[], body?: string): Buffer {
  const head = crlf(`MSRP ${tid} ${method}`, ...headers);
  if (body === undefined) return Buffer.concat([head, crlf(`-------${tid}$`)]);
  return Buffer.concat([head, crlf(''), Buffer.from(body, 'latin1'), crlf('', `-------${tid}$`)]);
}

const PATHS = [`To-Path: ${TO}`, `From-Path: ${FROM}`];
const GOOD = request('good0001', 'SEND', [...PATHS, 'Message-ID: m1234', 'Content-Type: text/plain'], 'fine');

function errors(events: readonly ParserEvent[]): MsrpError[] {
  return events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
}

/** Parses `bad` then a good SEND; checks the one error and that the good SEND still parses. */
function perRequest(bad: Buffer, options?: ConstructorParameters<typeof MsrpParser>[1]): MsrpError {
  const { events } = parseInPieces(Buffer.concat([bad, GOOD]), [], options);
  const [error, ...more] = errors(events);
  expect(more).toEqual([]);
  expect(error?.fatal).toBe(false);
  expect(events.slice(-3).map((e) => e.type)).toEqual(['head', 'body', 'end']);
  expect(events.filter((e) => e.type === 'body')).toHaveLength(1);
  if (error === undefined) throw new Error('expected an error');
  return error;
}

/** Parses `bad` then a good SEND; checks the one fatal error and silence afterwards. */
function fatal(bad: Buffer, options?: ConstructorParameters<typeof MsrpParser>[1]): MsrpError {
  const rec = recorder(options);
  const flowing = rec.write(Buffer.concat([bad, GOOD]));
  expect(flowing).toBe(false);
  expect(rec.write(GOOD)).toBe(false);
  const found = errors(rec.events);
  expect(found).toHaveLength(1);
  expect(rec.events.at(-1)?.type).toBe('error');
  expect(rec.parser.bufferedBytes).toBe(0);
  const [error] = found;
  expect(error?.fatal).toBe(true);
  expect(error?.status).toBeUndefined();
  if (error === undefined) throw new Error('expected an error');
  return error;
}

describe('per-request errors: answered, body skipped, the next frame parsed', () => {
  it('RFC 4975 §10: an unknown method is answered with 501 and its body is skipped', () => {
    const bad = request('bad00001', 'NICKNAME', [...PATHS, 'Content-Type: text/plain'], 'body\r\n-------good0001$\r\nx');
    const error = perRequest(bad);
    expect(error).toMatchObject({ code: 'CPM_ERR_MSRP_UNKNOWN_METHOD', status: 501 });
    expect(error.frame).toMatchObject({ transactionId: 'bad00001', method: 'NICKNAME', headers: { fromPath: [{ host: 'atlanta.example.com' }] } });
  });

  it('skips the body of an unknown method the same way at every split', () => {
    const bytes = Buffer.concat([request('bad00001', 'FOO', [...PATHS, 'Content-Type: a/b'], '\r\n-------bad00001x\r\n'), GOOD]);
    const whole = comparable(parseInPieces(bytes, []).events);
    for (const cuts of everySplit(bytes)) expect(comparable(parseInPieces(bytes, cuts).events)).toEqual(whole);
  });

  it('a method listed in the methods option is accepted', () => {
    const { events } = parseInPieces(request('abcd1234', 'NICKNAME', PATHS), [], { methods: ['SEND', 'REPORT', 'NICKNAME'] });
    expect(events.map((e) => e.type)).toEqual(['head', 'end']);
  });

  it.each([
    ['a malformed Byte-Range', [...PATHS, 'Byte-Range: 1-x/5']],
    ['a repeated Message-ID', [...PATHS, 'Message-ID: m1234', 'Message-ID: m5678']],
    ['a header line without a colon', [...PATHS, 'Nonsense']],
    ['a bad Success-Report', [...PATHS, 'Success-Report: maybe']],
    ['a To-Path that is no MSRP URI', ['To-Path: sip:bob@example.com', `From-Path: ${FROM}`]],
  ])('RFC 4975 §9: %s is answered with 400', (_, headers) => {
    const error = perRequest(request('bad00001', 'SEND', headers));
    expect(error).toMatchObject({ code: 'CPM_ERR_MSRP_INVALID_HEADER', status: 400 });
  });

  it('a missing To-Path is answered with 400 and the error still carries the From-Path', () => {
    const error = perRequest(request('bad00001', 'SEND', [`From-Path: ${FROM}`, 'Content-Type: text/plain'], 'x'));
    expect(error).toMatchObject({ code: 'CPM_ERR_MSRP_INVALID_HEADER', status: 400 });
    expect(error.frame?.headers).toMatchObject({ toPath: [], fromPath: [{ host: 'atlanta.example.com' }] });
  });

  it('a header value that is not UTF-8 is answered with 400', () => {
    const bad = Buffer.concat([crlf('MSRP bad00001 SEND', ...PATHS), Buffer.from([0x58, 0x3a, 0x20, 0xff, 0x0d, 0x0a]), crlf('-------bad00001$')]);
    expect(perRequest(bad)).toMatchObject({ code: 'CPM_ERR_MSRP_INVALID_HEADER', status: 400 });
  });

  it('RFC 4975 §7.1: a body without Content-Type is answered with 400', () => {
    const error = perRequest(request('bad00001', 'SEND', PATHS, 'data'));
    expect(error).toMatchObject({ code: 'CPM_ERR_MSRP_MISSING_CONTENT_TYPE', status: 400 });
  });

  it('a Byte-Range announcing more than maxChunkBytes is answered with 413 before any body byte', () => {
    const rec = recorder({ maxChunkBytes: 10 });
    rec.write(crlf('MSRP big00001 SEND', ...PATHS, 'Byte-Range: 1-11/11', 'Content-Type: text/plain', ''));
    expect(rec.events.map((e) => e.type)).toEqual(['error']);
    expect(errors(rec.events)[0]).toMatchObject({ code: 'CPM_ERR_MSRP_CHUNK_TOO_LARGE', status: 413, fatal: false });
    rec.write(Buffer.concat([Buffer.from('01234567890'), crlf('', '-------big00001$'), GOOD]));
    expect(rec.events.map((e) => e.type)).toEqual(['error', 'head', 'body', 'end']);
  });

  it('a body growing past maxChunkBytes is answered with 413 once, as soon as it does', () => {
    const rec = recorder({ maxChunkBytes: 10 });
    rec.write(crlf('MSRP big00001 SEND', ...PATHS, 'Byte-Range: 1-*/*', 'Content-Type: text/plain', ''));
    rec.write(Buffer.from('0123456789'));
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'body']);
    rec.write(Buffer.from('X'));
    expect(errors(rec.events)[0]).toMatchObject({ code: 'CPM_ERR_MSRP_CHUNK_TOO_LARGE', status: 413 });
    rec.write(Buffer.concat([Buffer.from('more'), crlf('', '-------big00001+'), GOOD]));
    expect(rec.events.map((e) => e.type)).toEqual(['head', 'body', 'error', 'head', 'body', 'end']);
  });

  it('a malformed response is reported without a method, so it is not answered', () => {
    const { events } = parseInPieces(Buffer.concat([crlf('MSRP abcd1234 200 OK', `To-Path: ${FROM}`, '-------abcd1234$'), GOOD]), []);
    expect(errors(events)[0]?.frame).toMatchObject({ transactionId: 'abcd1234' });
    expect(errors(events)[0]?.frame?.method).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['error', 'head', 'body', 'end']);
  });
});

describe('fatal errors: framing is lost, the parser stops', () => {
  it('a start-line that is not MSRP', () => {
    expect(fatal(crlf('HTTP/1.1 200 OK')).code).toBe('CPM_ERR_MSRP_INVALID_START_LINE');
  });

  it.each([
    ['3 characters', 'abc'],
    ['33 characters', 'a'.repeat(33)],
    ['a character outside ident', 'abc_1234'],
  ])('RFC 4975 §9 ident: a transaction-id of %s', (_, tid) => {
    expect(fatal(crlf(`MSRP ${tid} SEND`)).code).toBe('CPM_ERR_MSRP_INVALID_START_LINE');
  });

  it('a method in lower case', () => {
    expect(fatal(crlf('MSRP abcd1234 send')).code).toBe('CPM_ERR_MSRP_INVALID_START_LINE');
  });

  it('a line ending in a bare LF', () => {
    expect(fatal(Buffer.from(`MSRP abcd1234 SEND\r\nTo-Path: ${TO}\n`)).code).toBe('CPM_ERR_MSRP_INVALID_LINE_END');
  });

  it('a head larger than maxHeadBytes, reported before its line ends', () => {
    const rec = recorder({ maxHeadBytes: 64 });
    expect(rec.write(Buffer.from(`MSRP abcd1234 SEND\r\nX-Long: ${'x'.repeat(40)}`))).toBe(false);
    expect(errors(rec.events).map((e) => [e.code, e.fatal])).toEqual([['CPM_ERR_MSRP_HEAD_TOO_LARGE', true]]);
    expect(rec.parser.bufferedBytes).toBe(0);
  });

  it('more header fields than maxHeaders', () => {
    const bad = crlf('MSRP abcd1234 SEND', ...PATHS, 'A: 1', 'B: 2');
    expect(fatal(bad, { maxHeaders: 3 }).code).toBe('CPM_ERR_MSRP_TOO_MANY_HEADERS');
  });

  it('RFC 4975 §7.1: a bodiless end-line carrying another transaction-id', () => {
    expect(fatal(crlf('MSRP abcd1234 SEND', ...PATHS, '-------zzzz9999$')).code).toBe('CPM_ERR_MSRP_INVALID_END_LINE');
  });

  it('a bodiless end-line without a valid flag', () => {
    expect(fatal(crlf('MSRP abcd1234 SEND', ...PATHS, '-------abcd1234!')).code).toBe('CPM_ERR_MSRP_INVALID_END_LINE');
  });

  it('RFC 4975 §9 msrp-response: a response with a body', () => {
    expect(fatal(crlf('MSRP abcd1234 200 OK', ...PATHS, '', 'x', '-------abcd1234$')).code).toBe('CPM_ERR_MSRP_RESPONSE_WITH_BODY');
  });

  it('the connection ending inside a frame', () => {
    const rec = recorder();
    rec.write(GOOD.subarray(0, GOOD.length - 3));
    rec.parser.end();
    expect(errors(rec.events).map((e) => [e.code, e.fatal])).toEqual([['CPM_ERR_MSRP_TRUNCATED_FRAME', true]]);
  });

  it('the connection ending between frames is no error', () => {
    const rec = recorder();
    rec.write(GOOD);
    rec.parser.end();
    expect(errors(rec.events)).toEqual([]);
    expect(() => rec.parser.write(GOOD)).toThrow(/after end\(\)/);
  });
});

describe('options are checked when the parser is made', () => {
  it.each([
    [{ maxHeadBytes: 0 }, /maxHeadBytes must be an integer >= 1/],
    [{ maxHeaders: 1.5 }, /maxHeaders must be an integer >= 1/],
    [{ maxChunkBytes: -1 }, /maxChunkBytes must be an integer >= 0.*use 0 for no limit/],
    [{ methods: ['send'] }, /"send" is not an MSRP method/],
  ])('%o is refused', (options, message) => {
    const noop = () => undefined;
    const handlers = { onRequestHead: noop, onBody: noop, onEnd: noop, onResponse: noop, onError: noop };
    expect(() => new MsrpParser(handlers, options)).toThrow(message);
  });
});
