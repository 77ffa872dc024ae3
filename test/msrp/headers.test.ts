import { describe, expect, it } from 'vitest';
import {
  byteRangeLength,
  formatByteRange,
  formatHeaders,
  formatMediaType,
  formatStatusHeader,
  parseByteRange,
  parseFailureReport,
  parseHeaderLine,
  parseHeaders,
  parseMediaType,
  parseMessageId,
  parseStatusHeader,
  parseSuccessReport,
} from '../../runtime/msrp/headers.ts';
import type { ByteRange, HeaderField } from '../../runtime/msrp/headers.ts';

const TO = 'msrp://bob.example.com:8888/9di4eae923wzd;tcp';
const FROM = 'msrp://alicepc.example.com:7777/iau39soe2843z;tcp';

function field(name: string, value: string): HeaderField {
  return { name, value };
}

describe('header lines (RFC 4975 §9 ext-header = hname ":" SP hval)', () => {
  it('splits name and value', () => {
    expect(parseHeaderLine('X-Thing: a: b')).toEqual({ ok: true, value: field('X-Thing', 'a: b') });
  });

  it.each([
    ['no colon', 'Nonsense'],
    ['a name starting with a digit', '1X: y'],
    ['a control character in the value', 'X: a\u0001b'],
  ])('refuses %s', (_, line) => {
    expect(parseHeaderLine(line).ok).toBe(false);
  });
});

describe('Byte-Range (RFC 4975 §7.1.1, §9)', () => {
  it.each<[string, ByteRange]>([
    ['1-25/25', { start: 1, end: 25, total: 25 }],
    ['1-*/*', { start: 1, end: '*', total: '*' }],
    ['26-50/*', { start: 26, end: 50, total: '*' }],
    ['1-0/0', { start: 1, end: 0, total: 0 }],
    ['2147483649-4294967296/4294967296', { start: 2147483649, end: 4294967296, total: 4294967296 }],
  ])('reads and writes %s', (text, range) => {
    expect(parseByteRange(text)).toEqual({ ok: true, value: range });
    expect(formatByteRange(range)).toBe(text);
  });

  it.each([
    ['a start at octet 0', '0-1/1'],
    ['an end before the start', '5-3/10'],
    ['an end past the total', '1-20/10'],
    ['a start past the total with end "*"', '12-*/10'],
    ['a non-number', '1-x/5'],
    ['a number too long to be exact', '1-1234567890123456/*'],
    ['spaces', '1 - 2/2'],
  ])('refuses %s', (_, text) => {
    expect(parseByteRange(text).ok).toBe(false);
  });

  it('announces the chunk length only when the end is known', () => {
    expect(byteRangeLength({ start: 26, end: 50, total: '*' })).toBe(25);
    expect(byteRangeLength({ start: 1, end: '*', total: '*' })).toBeUndefined();
  });
});

describe('reports, Status and Message-ID', () => {
  it('reads Success-Report yes/no in any case', () => {
    expect(parseSuccessReport('YES')).toEqual({ ok: true, value: 'yes' });
    expect(parseSuccessReport('partial').ok).toBe(false);
  });

  it('reads Failure-Report yes/no/partial', () => {
    expect(parseFailureReport('partial')).toEqual({ ok: true, value: 'partial' });
    expect(parseFailureReport('maybe').ok).toBe(false);
  });

  it('reads Status with and without a comment, keeping three digits', () => {
    expect(parseStatusHeader('000 200 OK')).toEqual({ ok: true, value: { namespace: '000', code: 200, comment: 'OK' } });
    expect(parseStatusHeader('000 413')).toEqual({ ok: true, value: { namespace: '000', code: 413 } });
    expect(formatStatusHeader({ namespace: '000', code: 7 })).toBe('000 007');
    expect(parseStatusHeader('200 OK').ok).toBe(false);
  });

  it('reads a Status comment holding U+2028, which utf8text allows (found by the identity property)', () => {
    expect(parseStatusHeader('000 200 a\u2028b')).toEqual({ ok: true, value: { namespace: '000', code: 200, comment: 'a\u2028b' } });
  });

  it('reads Message-ID as an ident', () => {
    expect(parseMessageId('12339sdqwer')).toEqual({ ok: true, value: '12339sdqwer' });
    expect(parseMessageId('abc').ok).toBe(false);
  });
});

describe('Content-Type (RFC 4975 §9 media-type)', () => {
  it('reads parameters, including a quoted-string holding ";"', () => {
    expect(parseMediaType('message/cpim; charset=utf-8;x="a;\\"b"')).toEqual({
      ok: true,
      value: { type: 'message', subtype: 'cpim', params: [{ name: 'charset', value: 'utf-8' }, { name: 'x', value: '"a;\\"b"' }] },
    });
    expect(formatMediaType({ type: 'text', subtype: 'plain', params: [{ name: 'charset', value: 'utf-8' }] })).toBe('text/plain;charset=utf-8');
  });

  it.each(['text', 'text/', '/plain', 'text/plain;=x', 'text/plain;a=b c'])('refuses "%s"', (value) => {
    expect(parseMediaType(value).ok).toBe(false);
  });
});

describe('the header block', () => {
  it('sorts fields into structure, MIME fields and extensions', () => {
    const { headers, problem } = parseHeaders([
      field('To-Path', TO),
      field('From-Path', FROM),
      field('Message-ID', '12339sdqwer'),
      field('Success-Report', 'yes'),
      field('Failure-Report', 'partial'),
      field('Byte-Range', '1-16/16'),
      field('X-Extension', 'kept as is'),
      field('Content-Description', 'a note'),
      field('Content-Type', 'text/plain'),
    ]);
    expect(problem).toBeUndefined();
    expect(headers).toMatchObject({
      toPath: [{ host: 'bob.example.com' }],
      fromPath: [{ host: 'alicepc.example.com' }],
      messageId: '12339sdqwer',
      successReport: 'yes',
      failureReport: 'partial',
      byteRange: { start: 1, end: 16, total: 16 },
      extensions: [field('X-Extension', 'kept as is')],
      mime: [field('Content-Description', 'a note')],
      contentType: 'text/plain',
    });
  });

  it('keeps a field named like an Object property as an extension', () => {
    const { headers, problem } = parseHeaders([field('To-Path', TO), field('From-Path', FROM), field('constructor', 'x'), field('__proto__', 'y')]);
    expect(problem).toBeUndefined();
    expect(headers.extensions).toEqual([field('constructor', 'x'), field('__proto__', 'y')]);
  });

  it('reads a To-Path of several URIs in order', () => {
    const { headers } = parseHeaders([field('To-Path', `${TO} ${FROM}`), field('From-Path', FROM)]);
    expect(headers.toPath.map((u) => u.host)).toEqual(['bob.example.com', 'alicepc.example.com']);
  });

  it('names the first problem and keeps what parsed', () => {
    const { headers, problem } = parseHeaders([field('From-Path', FROM), field('Byte-Range', 'bad'), field('Byte-Range', '1-2/2')]);
    expect(problem).toMatch(/Byte-Range "bad"/);
    expect(headers.fromPath).toHaveLength(1);
    expect(parseHeaders([field('From-Path', FROM)]).problem).toMatch(/To-Path is missing/);
    expect(parseHeaders([field('To-Path', TO), field('To-Path', TO), field('From-Path', FROM)]).problem).toMatch(/more than once/);
  });

  it('writes To-Path and From-Path first, MIME fields then Content-Type last', () => {
    const { headers } = parseHeaders([
      field('Content-Type', 'text/plain'),
      field('Content-ID', '<x@y>'),
      field('X-A', '1'),
      field('Byte-Range', '1-16/16'),
      field('Message-ID', '12339sdqwer'),
      field('From-Path', FROM),
      field('To-Path', TO),
    ]);
    expect(formatHeaders(headers)).toBe(
      [`To-Path: ${TO}`, `From-Path: ${FROM}`, 'Message-ID: 12339sdqwer', 'Byte-Range: 1-16/16', 'X-A: 1', 'Content-ID: <x@y>', 'Content-Type: text/plain', ''].join('\r\n'),
    );
  });
});
