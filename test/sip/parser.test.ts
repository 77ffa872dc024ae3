import { describe, expect, it } from 'vitest';
import { getHeader, getHeaderValues, getHeaders } from '../../runtime/sip/message.ts';
import { findHeaderEnd, parseDatagram, parseHead, salvageResponseContext } from '../../runtime/sip/parser.ts';
import { OPTIONS_LINES, parseOk, wire } from './fixtures.ts';

function refused(bytes: Buffer) {
  const parsed = parseDatagram(bytes);
  if (parsed.ok) throw new Error('accepted');
  return parsed.error;
}

const replace = (name: string, line: string | null): string[] =>
  OPTIONS_LINES.flatMap((l) => (l.startsWith(`${name}:`) ? (line === null ? [] : [line]) : [l]));

describe('start line (RFC 3261 §7.1, §7.2)', () => {
  it('reads a Request-Line', () => {
    const m = parseOk(wire(OPTIONS_LINES));
    expect(m.kind === 'request' && [m.method, m.uri.kind]).toEqual(['OPTIONS', 'sip']);
  });

  it('reads a Status-Line with a multi-word reason phrase', () => {
    const m = parseOk(wire(['SIP/2.0 486 Busy Here', ...OPTIONS_LINES.slice(1)]));
    expect(m.kind === 'response' && [m.status, m.reason]).toEqual([486, 'Busy Here']);
  });

  it('accepts "sip/2.0" in any case, the ABNF literal being case-insensitive', () => {
    expect(parseDatagram(wire(['OPTIONS sip:bob@example.com sip/2.0', ...OPTIONS_LINES.slice(1)])).ok).toBe(true);
  });

  it('refuses a status code that is not three digits 100-699', () => {
    for (const line of ['SIP/2.0 99 X', 'SIP/2.0 700 X', 'SIP/2.0 2000 X', 'SIP/2.0 abc X']) {
      expect(refused(wire([line, ...OPTIONS_LINES.slice(1)])).code, line).toBe('CPM_ERR_SIP_BAD_STATUS_CODE');
    }
  });

  it('answers another SIP version with 505 and garbage with 400', () => {
    const v = refused(wire(['OPTIONS sip:bob@example.com SIP/3.0', ...OPTIONS_LINES.slice(1)]));
    expect([v.code, v.status, v.response?.method]).toEqual(['CPM_ERR_SIP_BAD_VERSION', 505, 'OPTIONS']);
    const g = refused(wire(['OPTIONS sip:bob@example.com HTTP/1.1', ...OPTIONS_LINES.slice(1)]));
    expect([g.code, g.status]).toEqual(['CPM_ERR_SIP_BAD_START_LINE', 400]);
    expect(refused(wire(['hello', ...OPTIONS_LINES.slice(1)])).response).toBeUndefined();
  });
});

describe('header lines (RFC 3261 §7.3)', () => {
  it('unfolds continuation lines into one SP', () => {
    const m = parseOk(wire([...OPTIONS_LINES, 'Subject: I know you\'re there,', '   pick up the phone', '\tand talk to me!']));
    expect(getHeader(m, 'subject')).toBe("I know you're there, pick up the phone and talk to me!");
  });

  it('reads names case-insensitively and compact forms as their long names', () => {
    const lines = ['OPTIONS sip:bob@example.com SIP/2.0', 'v: SIP/2.0/UDP h;branch=z9hG4bK1', 'f: <sip:a@b>;tag=1', 't: <sip:b@b>', 'i: x@y', 'CSEQ: 1 OPTIONS', 'l: 0', 'm: <sip:a@h>', 'k: timer', 'x: 1800;refresher=uac', 'o: presence', 'r: <sip:c@d>', 'u: talk', 'a: *;+g.x', 'b: <sip:e@f>', 'j: *;+g.y', 'd: proxy', 'c: text/plain', 'e: gzip', 's: hi'];
    const m = parseOk(wire(lines));
    for (const [name, value] of [['Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'], ['From', '<sip:a@b>;tag=1'], ['Call-ID', 'x@y'], ['CSeq', '1 OPTIONS'], ['Contact', '<sip:a@h>'], ['Supported', 'timer'], ['Session-Expires', '1800;refresher=uac'], ['Event', 'presence'], ['Refer-To', '<sip:c@d>'], ['Allow-Events', 'talk'], ['Accept-Contact', '*;+g.x'], ['Referred-By', '<sip:e@f>'], ['Reject-Contact', '*;+g.y'], ['Request-Disposition', 'proxy'], ['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip'], ['Subject', 'hi']]) {
      expect(getHeader(m, name!), name).toBe(value);
    }
    expect(m.headers[0]).toEqual({ name: 'v', key: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' });
  });

  it('keeps every occurrence in order and splits list headers at commas outside quotes and "<>"', () => {
    const m = parseOk(wire([...OPTIONS_LINES, 'Route: <sip:p1@a;lr>, "a,b" <sip:p2@b;lr>', 'Route: <sip:p3@c,d>', 'X-Thing: 1, 2']));
    expect(getHeaders(m, 'route')).toHaveLength(2);
    expect(getHeaderValues(m, 'route')).toEqual(['<sip:p1@a;lr>', '"a,b" <sip:p2@b;lr>', '<sip:p3@c,d>']);
    expect(getHeaderValues(m, 'x-thing')).toEqual(['1, 2']);
  });

  it('accepts bare LF line ends', () => {
    const m = parseOk(Buffer.from(`${OPTIONS_LINES.join('\n')}\n\n`));
    expect(getHeader(m, 'call-id')).toBe('a84b4c76e66710@pc33.example.com');
  });

  it('refuses a line without a colon, a name that is not a token, a leading continuation and a bare CR', () => {
    for (const extra of [['no colon here'], ['Bad Name: x'], [': x']]) {
      expect(refused(wire([...OPTIONS_LINES, ...extra])).code).toBe('CPM_ERR_SIP_BAD_HEADER_LINE');
    }
    expect(refused(wire([OPTIONS_LINES[0]!, ' folded', ...OPTIONS_LINES.slice(1)])).code).toBe('CPM_ERR_SIP_BAD_HEADER_LINE');
    expect(refused(wire([...OPTIONS_LINES, 'X: a\rb'])).code).toBe('CPM_ERR_SIP_BAD_HEADER_LINE');
  });

  it('still names the request in a header-line fault so that it can be answered', () => {
    expect(refused(wire([...OPTIONS_LINES, 'garbage'])).response?.headers.map((h) => h.key)).toEqual(['via', 'from', 'to', 'call-id', 'cseq']);
  });

  it('keeps UTF-8 values, including a leading U+FEFF, and refuses bytes that are not UTF-8', () => {
    const m = parseOk(wire([...OPTIONS_LINES, 'Subject: \uFEFFÜber 大停電']));
    expect(getHeader(m, 'subject')).toBe('\uFEFFÜber 大停電');
    const bad = Buffer.concat([wire(OPTIONS_LINES).subarray(0, 40), Buffer.from([0xff, 0xfe]), wire(OPTIONS_LINES).subarray(40)]);
    expect(refused(bad).code).toBe('CPM_ERR_SIP_BAD_ENCODING');
    expect(parseOk(wire([...OPTIONS_LINES, 'Subject: \uFFFD'])).headers.at(-1)?.value).toBe('\uFFFD');
  });
});

describe('mandatory headers (RFC 3261 §8.1.1)', () => {
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    it(`refuses a request without ${name}`, () => {
      expect(refused(wire(replace(name, null))).code).toBe('CPM_ERR_SIP_MISSING_HEADER');
    });
  }

  it('refuses two From, To, Call-ID, CSeq or Max-Forwards', () => {
    for (const line of ['From: <sip:x@y>;tag=2', 'To: <sip:x@y>', 'Call-ID: other', 'CSeq: 1 OPTIONS', 'Max-Forwards: 1']) {
      expect(refused(wire([...OPTIONS_LINES, line])).code, line).toBe('CPM_ERR_SIP_DUPLICATE_HEADER');
    }
  });

  it('refuses malformed values of the mandatory headers with their own codes', () => {
    expect(refused(wire(replace('Via', 'Via: SIP/2.0/UDP'))).code).toBe('CPM_ERR_SIP_BAD_VIA');
    expect(refused(wire(replace('From', 'From: <sip:a@b'))).code).toBe('CPM_ERR_SIP_BAD_NAME_ADDR');
    expect(refused(wire(replace('Call-ID', 'Call-ID: a b'))).code).toBe('CPM_ERR_SIP_BAD_CALL_ID');
    expect(refused(wire(replace('CSeq', 'CSeq: x OPTIONS'))).code).toBe('CPM_ERR_SIP_BAD_CSEQ');
    expect(refused(wire(replace('Max-Forwards', 'Max-Forwards: 256'))).code).toBe('CPM_ERR_SIP_BAD_MAX_FORWARDS');
  });

  it('accepts a request without Max-Forwards (RFC 4475 §3.4: RFC 2543 senders omit it)', () => {
    expect(parseDatagram(wire(replace('Max-Forwards', null))).ok).toBe(true);
  });
});

describe('Content-Length and the body (RFC 3261 §18.3, §20.14)', () => {
  it('counts octets, not characters, of a UTF-8 body', () => {
    const body = 'héllo → 世界';
    const m = parseOk(wire([...replace('Content-Length', `Content-Length: ${Buffer.byteLength(body)}`), 'Content-Type: text/plain;charset=utf-8'], body));
    expect(m.body.toString('utf8')).toBe(body);
    expect(m.body.length).toBe(Buffer.byteLength(body));
  });

  it('discards datagram octets beyond Content-Length and refuses a body shorter than it', () => {
    expect(parseOk(wire(replace('Content-Length', 'Content-Length: 3'), 'abcdef')).body.toString()).toBe('abc');
    const short = refused(wire(replace('Content-Length', 'Content-Length: 10'), 'abc'));
    expect([short.code, short.status]).toEqual(['CPM_ERR_SIP_BODY_TRUNCATED', 400]);
    expect(short.response).toBeDefined();
  });

  it('takes the rest of the datagram as the body when there is no Content-Length', () => {
    expect(parseOk(wire(replace('Content-Length', null), 'xyz')).body.toString()).toBe('xyz');
  });

  it('refuses non-numeric, negative and absurd Content-Length values at once', () => {
    for (const value of ['abc', '-1', '1e3', '', '99999999999999999999']) {
      expect(refused(wire(replace('Content-Length', `Content-Length: ${value}`))).code, value).toBe('CPM_ERR_SIP_BAD_CONTENT_LENGTH');
    }
  });

  it('skips CRLFs before the start line (§7.5)', () => {
    expect(parseDatagram(Buffer.concat([Buffer.from('\r\n\r\n'), wire(OPTIONS_LINES)])).ok).toBe(true);
  });

  it('refuses a datagram whose header block has no empty line, naming the request when it can', () => {
    const error = refused(Buffer.from(OPTIONS_LINES.join('\r\n') + '\r\n'));
    expect(error.code).toBe('CPM_ERR_SIP_INCOMPLETE_HEADERS');
    expect(error.response?.method).toBe('OPTIONS');
  });
});

describe('framing helpers', () => {
  it('find the empty line after CRLF, LF, or a mix of the two', () => {
    expect(findHeaderEnd(Buffer.from('A\r\nB\r\n\r\nbody'), 0)).toEqual({ headEnd: 6, bodyStart: 8 });
    expect(findHeaderEnd(Buffer.from('A\nB\n\nbody'), 0)).toEqual({ headEnd: 4, bodyStart: 5 });
    expect(findHeaderEnd(Buffer.from('A\nB\r\n\nbody'), 0)).toEqual({ headEnd: 5, bodyStart: 6 });
    expect(findHeaderEnd(Buffer.from('A\r\nB\r\n\r'), 0)).toBeNull();
  });

  it('parse a head without its body, and salvage a context from a cut header block', () => {
    const bytes = wire(OPTIONS_LINES);
    const head = parseHead(bytes, 0, bytes.length - 2);
    expect(head.ok && head.value.contentLength).toBe(0);
    expect(salvageResponseContext(bytes, 0, bytes.length - 10)?.method).toBe('OPTIONS');
    expect(salvageResponseContext(Buffer.from('OPTIONS sip:a@b SIP/2.0'), 0, 23)).toBeUndefined();
  });
});
