import { describe, expect, it } from 'vitest';
import { isIdent } from '../../runtime/msrp/abnf.ts';
import type { MsrpRequestHead } from '../../runtime/msrp/frame.ts';
import type { MsrpHeaders } from '../../runtime/msrp/headers.ts';
import {
  containsEndLine,
  formatEndLine,
  formatRequest,
  formatRequestHead,
  formatResponse,
  newTransactionId,
  responseTo,
} from '../../runtime/msrp/serializer.ts';
import { parseMsrpUri } from '../../runtime/msrp/uri.ts';
import type { MsrpUri } from '../../runtime/msrp/uri.ts';
import { crlf, parseInPieces } from './support/recorder.ts';

function uri(text: string): MsrpUri {
  const parsed = parseMsrpUri(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const BOB = uri('msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp');
const ALICE = uri('msrp://atlanta.example.com:7654/jshA7weztas;tcp');
const RELAY = uri('msrp://relay.example.net:2855/r3l4y;tcp');

const HEADERS: MsrpHeaders = {
  toPath: [BOB],
  fromPath: [ALICE],
  messageId: '87652491',
  byteRange: { start: 1, end: 25, total: 25 },
  extensions: [],
  mime: [],
  contentType: 'text/plain',
};
const SEND: MsrpRequestHead = { transactionId: 'a786hjs2', method: 'SEND', headers: HEADERS, hasBody: true };

describe('requests', () => {
  it('writes the SEND of RFC 4975 §4 byte for byte, head and end-line apart from the body', () => {
    const expected = crlf(
      'MSRP a786hjs2 SEND',
      'To-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp',
      'From-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp',
      'Message-ID: 87652491',
      'Byte-Range: 1-25/25',
      'Content-Type: text/plain',
      '',
      'Hey Bob, are you there?',
      '-------a786hjs2$',
    );
    const body = Buffer.from('Hey Bob, are you there?');
    expect(Buffer.concat([formatRequestHead(SEND), body, formatEndLine(SEND, '$')])).toEqual(expected);
    expect(formatRequest(SEND, body, '$')).toEqual(expected);
  });

  it('RFC 4975 §7.1: a bodiless request has no blank line and no CRLF before the end-line', () => {
    const report: MsrpRequestHead = {
      transactionId: 'dkei38sd',
      method: 'REPORT',
      hasBody: false,
      headers: { toPath: [ALICE], fromPath: [BOB], messageId: '12339sdqwer', status: { namespace: '000', code: 200, comment: 'OK' }, extensions: [], mime: [] },
    };
    expect(formatRequest(report, undefined, '$').toString()).toBe(
      'MSRP dkei38sd REPORT\r\nTo-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp\r\n' +
        'From-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp\r\nMessage-ID: 12339sdqwer\r\nStatus: 000 200 OK\r\n-------dkei38sd$\r\n',
    );
  });

  it('RFC 4975 §7.1: refuses a body holding its own end-line, but not another transaction\'s', () => {
    expect(() => formatRequest(SEND, Buffer.from('x-------a786hjs2#y'), '$')).toThrow(/newTransactionId/);
    expect(formatRequest(SEND, Buffer.from('x\r\n-------zzzz9999$\r\n'), '+')).toBeInstanceOf(Buffer);
    expect(containsEndLine(Buffer.from('-------a786hjs2+'), 'a786hjs2')).toBe(true);
    expect(containsEndLine(Buffer.from('-------a786hjs2 and -------a786hjs2'), 'a786hjs2')).toBe(false);
  });

  it('RFC 4975 §7.1: refuses a body without Content-Type, and a body that does not match hasBody', () => {
    const noType = { ...SEND, headers: { ...HEADERS, contentType: undefined } };
    expect(() => formatRequestHead(noType)).toThrow(/Content-Type/);
    expect(() => formatRequest(SEND, undefined, '$')).toThrow(/hasBody/);
  });

  it('what it writes parses back to the same head, body and flag', () => {
    const body = Buffer.from('\r\n-------a786hjs2\r\n');
    const { events } = parseInPieces(formatRequest(SEND, body, '#'), []);
    expect(events).toEqual([
      { type: 'head', head: SEND },
      { type: 'body', data: body },
      { type: 'end', end: { transactionId: 'a786hjs2', flag: '#', bodyBytes: body.length } },
    ]);
  });
});

describe('responses', () => {
  it('RFC 4975 §7.2: goes back one hop: To-Path is the first From-Path URI, From-Path is our own', () => {
    const relayed = { ...SEND, headers: { ...HEADERS, fromPath: [RELAY, ALICE] } };
    const response = responseTo(relayed, BOB, 200);
    expect(response).toEqual({
      transactionId: 'a786hjs2',
      status: 200,
      comment: 'OK',
      headers: { toPath: [RELAY], fromPath: [BOB], extensions: [], mime: [] },
    });
  });

  it('writes the 200 OK of RFC 4975 §4 byte for byte', () => {
    const response = responseTo(SEND, BOB, 200);
    expect(response && formatResponse(response)).toEqual(
      crlf(
        'MSRP a786hjs2 200 OK',
        'To-Path: msrp://atlanta.example.com:7654/jshA7weztas;tcp',
        'From-Path: msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp',
        '-------a786hjs2$',
      ),
    );
  });

  it('uses the IANA description as the default comment, and none for an unknown code', () => {
    expect(responseTo(SEND, BOB, 501)?.comment).toBe('Request-method-not-understood');
    expect(responseTo(SEND, BOB, 413, 'too big')?.comment).toBe('too big');
    const unknown = responseTo(SEND, BOB, 299);
    expect(unknown && formatResponse(unknown).toString().split('\r\n')[0]).toBe('MSRP a786hjs2 299');
  });

  it('cannot answer a request that named no From-Path', () => {
    expect(responseTo({ ...SEND, headers: { ...HEADERS, fromPath: [] } }, BOB, 400)).toBeUndefined();
  });
});

describe('newTransactionId', () => {
  it('RFC 4975 §7.1: 96 random bits as 24 alphanumerics, a valid ident, different each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, newTransactionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(isIdent(id)).toBe(true);
    }
  });
});
