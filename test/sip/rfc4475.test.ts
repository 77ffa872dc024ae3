/**
 * RFC 4475 torture messages (files under test/fixtures/rfc4475, named by section). Valid ones must
 * parse with their key fields right; invalid ones must be refused with a typed `SipParseError` (by
 * the parser, or by the strict header check where the fault is in a header the parser leaves for
 * later), and nothing may throw.
 */
import { describe, expect, it } from 'vitest';
import { checkKnownHeaders } from '../../runtime/sip/headers/known-headers.ts';
import { parseContact, parseNameAddr } from '../../runtime/sip/headers/name-addr.ts';
import { parseViaList, viaBranch, viaRport } from '../../runtime/sip/headers/via.ts';
import { parseCSeq } from '../../runtime/sip/headers/cseq.ts';
import { getHeader, getHeaderValues, type SipMessage } from '../../runtime/sip/message.ts';
import { parseDatagram } from '../../runtime/sip/parser.ts';
import { SipStreamFramer } from '../../runtime/sip/stream-framer.ts';
import { SipParseError, type SipErrorCode } from '../../runtime/sip/errors.ts';
import { parseOk, torture, tortureNames } from './fixtures.ts';

function vias(message: SipMessage) {
  return getHeaderValues(message, 'via').flatMap((v) => {
    const parsed = parseViaList(v);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  });
}

function nameAddr(message: SipMessage, name: string) {
  const parsed = parseNameAddr(getHeader(message, name) ?? '');
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

function refusal(name: string): SipParseError {
  const parsed = parseDatagram(torture(name));
  if (!parsed.ok) return parsed.error;
  const strict = checkKnownHeaders(parsed.value);
  if (strict === undefined) throw new Error(`${name} was accepted`);
  return strict;
}

describe('RFC 4475 fixtures', () => {
  it('hold every message of §3.1.1, §3.1.2, §3.2, §3.3 and §3.4', () => {
    const files = tortureNames();
    expect(files.filter((f) => f.startsWith('3.1.1.'))).toHaveLength(13);
    expect(files.filter((f) => f.startsWith('3.1.2.'))).toHaveLength(19);
    expect(files.filter((f) => f.startsWith('3.2.'))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('3.3.'))).toHaveLength(15);
    expect(files.filter((f) => f.startsWith('3.4'))).toHaveLength(1);
  });
});

describe('RFC 4475 §3.1.1 valid messages: "a parser must accept"', () => {
  it('3.1.1.1 wsinv: folding, escaped quotes, LWS around separators, mixed compact forms, leading zeros', () => {
    const m = parseOk(torture('3.1.1.1-wsinv'));
    expect(m.kind).toBe('request');
    if (m.kind !== 'request') return;
    expect(m.method).toBe('INVITE');
    expect(m.uri).toMatchObject({ kind: 'sip', user: 'vivekg', host: 'chair-dnrc.example.com', params: [{ name: 'unknownparam', value: null }] });
    expect(nameAddr(m, 'To')).toMatchObject({ displayName: null, params: [{ name: 'tag', value: '1918181833n' }] });
    expect(nameAddr(m, 'From')).toMatchObject({ displayName: 'J Rosenberg \\"', params: [{ name: 'tag', value: '98asjd8' }] });
    expect(getHeader(m, 'Max-Forwards')).toBe('0068');
    expect(parseCSeq(getHeader(m, 'CSeq')!)).toEqual({ ok: true, value: { seq: 9, method: 'INVITE' } });
    expect(vias(m).map((v) => [v.transport, v.host, viaBranch(v)])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(getHeader(m, 'Subject')).toBe('');
    expect(getHeader(m, 'NewFangledHeader')).toBe('newfangled value continued newfangled value');
    expect(getHeader(m, 'UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
    const contact = parseContact(getHeader(m, 'Contact')!);
    expect(contact.ok && contact.value !== '*' && contact.value[0]).toMatchObject({
      displayName: 'Quoted string ""',
      params: [{ name: 'newparam', value: 'newvalue' }, { name: 'secondparam', value: null }, { name: 'q', value: '0.33' }],
    });
    expect(m.body.length).toBe(150);
    expect(checkKnownHeaders(m)).toBeUndefined();
  });

  it('3.1.1.2 intmeth: token characters in method, URI, branch, display name and parameter names; NUL in a quoted-pair', () => {
    const m = parseOk(torture('3.1.1.2-intmeth'));
    if (m.kind !== 'request') throw new Error('not a request');
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
    expect(m.uri).toMatchObject({ user: "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", password: "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)" });
    expect(nameAddr(m, 'To').displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
    const from = nameAddr(m, 'From');
    expect(from.displayName).toBe("token1~` token2'+_ token3*%!.-");
    expect(from.params).toEqual([
      { name: "fromParam''~+*_!.-%", value: '"работающий"' },
      { name: 'tag', value: "_token~1'+`*%!-." },
    ]);
    expect(getHeader(m, 'Call-ID')).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
    expect(getHeader(m, "extensionHeader-!.%*+_`'~")).toBe('\uFEFF大停電');
    expect(checkKnownHeaders(m)).toBeUndefined();
  });

  it('3.1.1.3 esc01: escapes stay as written and decode on demand', () => {
    const m = parseOk(torture('3.1.1.3-esc01'));
    if (m.kind !== 'request') throw new Error('not a request');
    expect(m.uri).toMatchObject({ user: 'sips%3Auser%40example.com', host: 'example.net' });
    const contact = parseContact(getHeader(m, 'm')!);
    expect(contact.ok && contact.value !== '*' && contact.value[0]?.uri).toMatchObject({
      user: 'cal%6Cer',
      params: [{ name: '%6C%72', value: null }, { name: 'n%61me', value: 'v%61lue%25%34%31' }],
    });
  });

  it('3.1.1.4 escnull: %00 in user parts', () => {
    const m = parseOk(torture('3.1.1.4-escnull'));
    expect(getHeaderValues(m, 'Contact')).toEqual(['<sip:%00@host5.example.com>', '<sip:%00%00@host5.example.com>']);
  });

  it('3.1.1.5 esc02: % is no escape in a method or header name', () => {
    const m = parseOk(torture('3.1.1.5-esc02'));
    expect(m.kind === 'request' && m.method).toBe('RE%47IST%45R');
    expect(getHeaderValues(m, 'Contact')).toHaveLength(2);
    expect(getHeader(m, 'C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    expect(nameAddr(m, 'To').displayName).toBe('%Z%45');
  });

  it('3.1.1.6 lwsdisp: no LWS between display name and "<"', () => {
    expect(nameAddr(parseOk(torture('3.1.1.6-lwsdisp')), 'From').displayName).toBe('caller');
  });

  it('3.1.1.7 longreq: long values and 34 Via headers under every spelling of the name', () => {
    const m = parseOk(torture('3.1.1.7-longreq'));
    const all = vias(m);
    expect(all).toHaveLength(34);
    expect(all[0]!.host).toBe('sip33.example.com');
    expect(viaBranch(all[33]!)).toBe(`very${'long'.repeat(50)}branchvalue`);
    expect(nameAddr(m, 'To').uri).toMatchObject({ port: 6000 });
    expect(nameAddr(m, 'f').params[0]).toEqual({ name: 'tag', value: `12${'982'.repeat(50)}424` });
    expect(m.body.length).toBe(150);
  });

  it('3.1.1.8 dblreq: octets after the Content-Length body of a datagram are discarded (RFC 3261 §18.3)', () => {
    const m = parseOk(torture('3.1.1.8-dblreq'));
    expect(m.kind === 'request' && m.method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
  });

  it('3.1.1.9 semiuri: ";" in the user part of the Request-URI', () => {
    const m = parseOk(torture('3.1.1.9-semiuri'));
    expect(m.kind === 'request' && m.uri).toMatchObject({ user: 'user;par=u%40example.net', host: 'example.com', params: [] });
    expect(getHeaderValues(m, 'Accept')).toHaveLength(6);
  });

  it('3.1.1.10 transports: SCTP, TLS and unknown transports in Via', () => {
    expect(vias(parseOk(torture('3.1.1.10-transports'))).map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('3.1.1.11 mpart01: a binary body with NUL octets is framed by Content-Length', () => {
    const m = parseOk(torture('3.1.1.11-mpart01'));
    expect(m.body.length).toBe(553);
    expect(m.body.includes(Buffer.from([0x95, 0x00, 0x71]))).toBe(true);
    expect(viaRport(vias(m)[0]!)).toBeNull();
  });

  it('3.1.1.12 unreason: a UTF-8 reason phrase', () => {
    const m = parseOk(torture('3.1.1.12-unreason'));
    expect(m.kind === 'response' && [m.status, m.reason]).toEqual([200, '= 2**3 * 5**2 но сто девяносто девять - простое']);
  });

  it('3.1.1.13 noreason: an empty reason phrase', () => {
    const m = parseOk(torture('3.1.1.13-noreason'));
    expect(m.kind === 'response' && [m.status, m.reason]).toEqual([100, '']);
  });
});

const INVALID: [string, SipErrorCode, string][] = [
  ['3.1.2.1-badinv01', 'CPM_ERR_SIP_BAD_VIA', 'extraneous ";" and "," in Via'],
  ['3.1.2.2-clerr', 'CPM_ERR_SIP_BODY_TRUNCATED', 'Content-Length larger than the datagram'],
  ['3.1.2.3-ncl', 'CPM_ERR_SIP_BAD_CONTENT_LENGTH', 'negative Content-Length'],
  ['3.1.2.4-scalar02', 'CPM_ERR_SIP_BAD_CSEQ', 'CSeq above 2**32-1 ("should respond with a 400 Bad Request due to the CSeq error")'],
  ['3.1.2.5-scalarlg', 'CPM_ERR_SIP_BAD_CSEQ', 'response CSeq above 2**32-1'],
  ['3.1.2.6-quotbal', 'CPM_ERR_SIP_BAD_NAME_ADDR', 'unterminated quoted display name'],
  ['3.1.2.7-ltgtruri', 'CPM_ERR_SIP_BAD_REQUEST_URI', 'Request-URI in "<>"'],
  ['3.1.2.8-lwsruri', 'CPM_ERR_SIP_BAD_START_LINE', 'LWS inside the Request-URI'],
  ['3.1.2.9-lwsstart', 'CPM_ERR_SIP_BAD_START_LINE', 'several SP in the Request-Line ("acceptable to reject")'],
  ['3.1.2.10-trws', 'CPM_ERR_SIP_BAD_START_LINE', 'SP after SIP-Version ("acceptable to reject")'],
  ['3.1.2.11-escruri', 'CPM_ERR_SIP_BAD_REQUEST_URI', 'escaped headers in the Request-URI ("acceptable to reject")'],
  ['3.1.2.13-regbadct', 'CPM_ERR_SIP_BAD_NAME_ADDR', 'URI with headers not in "<>" (refused by the Contact grammar)'],
  ['3.1.2.14-badaspec', 'CPM_ERR_SIP_BAD_NAME_ADDR', 'spaces inside "<>"'],
  ['3.1.2.15-baddn', 'CPM_ERR_SIP_INCOMPLETE_HEADERS', 'unquoted non-token display names, in a message without its empty line'],
  ['3.1.2.16-badvers', 'CPM_ERR_SIP_BAD_VERSION', 'SIP/7.0 ("should respond ... with a 505")'],
  ['3.1.2.17-mismatch01', 'CPM_ERR_SIP_CSEQ_METHOD_MISMATCH', 'CSeq method differs from the Request-Line'],
  // §3.1.2.18 prefers 501 but says "a 400 Bad Request is also acceptable": the parser cannot know
  // which methods the application implements, so it reports the mismatch.
  ['3.1.2.18-mismatch02', 'CPM_ERR_SIP_CSEQ_METHOD_MISMATCH', 'unknown method and CSeq mismatch'],
  ['3.1.2.19-bigcode', 'CPM_ERR_SIP_BAD_STATUS_CODE', 'status code 4294967301'],
  ['3.3.1-insuf', 'CPM_ERR_SIP_MISSING_HEADER', 'no Call-ID, From or To'],
  ['3.3.8-multi01', 'CPM_ERR_SIP_DUPLICATE_HEADER', 'two CSeq, Call-ID, To and From'],
  ['3.3.9-mcl01', 'CPM_ERR_SIP_BAD_CONTENT_LENGTH', 'two Content-Length values'],
];

describe('RFC 4475 §3.1.2 invalid messages and §3.3 application-level faults', () => {
  for (const [name, code, what] of INVALID) {
    it(`${name}: ${what} is refused with ${code}`, () => {
      expect(refusal(name).code).toBe(code);
    });
  }

  it('3.1.2.12 baddate: a non-GMT Date "shouldn\'t" be refused unless the Date matters, so it is accepted', () => {
    // This layer never interprets Date, which is the case the RFC allows to ignore.
    expect(checkKnownHeaders(parseOk(torture('3.1.2.12-baddate')))).toBeUndefined();
  });

  it('answers refused requests when Via, From, To, Call-ID and CSeq are all there, with the status RFC 4475 asks for', () => {
    expect(refusal('3.1.2.16-badvers').response).toBeDefined();
    expect(refusal('3.1.2.16-badvers').status).toBe(505);
    expect(refusal('3.1.2.4-scalar02').status).toBe(400);
    expect(refusal('3.1.2.1-badinv01').response?.method).toBe('INVITE');
  });

  it('3.3.1 insuf: "must not break because of the missing information", and cannot be answered', () => {
    expect(refusal('3.3.1-insuf').response).toBeUndefined();
  });

  it('drops responses instead of answering them (3.1.2.5, 3.1.2.19)', () => {
    expect(refusal('3.1.2.5-scalarlg').response).toBeUndefined();
    expect(refusal('3.1.2.19-bigcode').response).toBeUndefined();
  });
});

describe('RFC 4475 §3.2 and §3.3: well-formed messages the application judges', () => {
  for (const name of ['3.2.1-badbranch', '3.3.2-unkscm', '3.3.3-novelsc', '3.3.4-unksm2', '3.3.5-bext01', '3.3.6-invut', '3.3.7-regaut01', '3.3.10-bcast', '3.3.11-zeromf', '3.3.12-cparam01', '3.3.13-cparam02', '3.3.14-regescrt', '3.3.15-sdp01']) {
    it(`${name} parses and passes the strict header check`, () => {
      expect(checkKnownHeaders(parseOk(torture(name)))).toBeUndefined();
    });
  }

  it('3.3.2 unkscm and 3.3.3 novelsc keep an unknown scheme opaque', () => {
    const m = parseOk(torture('3.3.3-novelsc'));
    expect(m.kind === 'request' && m.uri).toEqual({ kind: 'absolute', scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
  });

  it('3.3.12 cparam01: parameters after an unbracketed Contact URI are header parameters', () => {
    const contact = parseContact(getHeader(parseOk(torture('3.3.12-cparam01')), 'Contact')!);
    expect(contact.ok && contact.value !== '*' && contact.value[0]).toMatchObject({ uri: { params: [] }, params: [{ name: 'unknownparam', value: null }] });
  });

  it('3.3.13 cparam02: inside "<>" they are URI parameters', () => {
    const contact = parseContact(getHeader(parseOk(torture('3.3.13-cparam02')), 'Contact')!);
    expect(contact.ok && contact.value !== '*' && contact.value[0]).toMatchObject({ uri: { params: [{ name: 'unknownparam', value: null }] }, params: [] });
  });

  it('3.4 inv2543: an RFC 2543 request without Content-Length parses as a datagram, its body ending with the datagram', () => {
    const m = parseOk(torture('3.4-inv2543'));
    expect(m.body.toString('latin1').startsWith('v=0')).toBe(true);
  });

  it('3.4 inv2543: on a stream the missing Content-Length is a framing fault (RFC 3261 §18.3)', () => {
    const errors: SipParseError[] = [];
    new SipStreamFramer({ maxHeaderBytes: 4096, maxBodyBytes: 4096, maxBufferedBytes: 8192 }, { onMessage: () => undefined, onPing: () => undefined, onError: (e) => errors.push(e) }).push(torture('3.4-inv2543'));
    expect(errors.map((e) => e.code)).toEqual(['CPM_ERR_SIP_MISSING_CONTENT_LENGTH']);
  });
});

describe('RFC 4475 messages on a stream', () => {
  it('never throw, whatever the split', () => {
    for (const name of tortureNames()) {
      const bytes = torture(name);
      for (const size of [1, 7, 64]) {
        const framer = new SipStreamFramer({ maxHeaderBytes: 8192, maxBodyBytes: 8192, maxBufferedBytes: 16384 }, { onMessage: () => undefined, onPing: () => undefined, onError: () => undefined });
        expect(() => {
          for (let i = 0; i < bytes.length; i += size) framer.push(bytes.subarray(i, i + size));
        }).not.toThrow();
      }
    }
  });
});
