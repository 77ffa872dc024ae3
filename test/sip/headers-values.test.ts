import { describe, expect, it } from 'vitest';
import type { Parsed } from '../../runtime/sip/errors.ts';
import { formatAcceptContact, parseAcceptContact } from '../../runtime/sip/headers/accept-contact.ts';
import { formatContentType, parseContentType } from '../../runtime/sip/headers/content-type.ts';
import { formatCSeq, parseCSeq } from '../../runtime/sip/headers/cseq.ts';
import { formatErrorInfo, parseErrorInfo } from '../../runtime/sip/headers/error-info.ts';
import { formatPrivacy, formatTokenList, parsePrivacy, parseTokenList } from '../../runtime/sip/headers/option-tags.ts';
import { formatProduct, parseProduct } from '../../runtime/sip/headers/product.ts';
import { formatRetryAfter, parseRetryAfter } from '../../runtime/sip/headers/retry-after.ts';
import { parseCallId, parseContentLength, parseCpmId, parseMaxForwards } from '../../runtime/sip/headers/scalars.ts';
import { formatMinSE, formatSessionExpires, parseMinSE, parseSessionExpires } from '../../runtime/sip/headers/session-expires.ts';
import { formatWarning, parseWarning } from '../../runtime/sip/headers/warning.ts';

function ok<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** Every header accessor: a value, what it parses to, and how it is formatted again. */
const ROUND_TRIPS: { name: string; parse: (v: string) => Parsed<unknown>; format: (v: never) => string; text: string; value: unknown }[] = [
  { name: 'CSeq', parse: parseCSeq, format: formatCSeq, text: '4711 INVITE', value: { seq: 4711, method: 'INVITE' } },
  { name: 'Privacy', parse: parsePrivacy, format: formatPrivacy, text: 'id;header;user', value: ['id', 'header', 'user'] },
  { name: 'Supported', parse: parseTokenList, format: formatTokenList, text: 'timer, 100rel, gruu', value: ['timer', '100rel', 'gruu'] },
  { name: 'Allow', parse: parseTokenList, format: formatTokenList, text: 'INVITE, ACK, CANCEL, BYE, OPTIONS', value: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'] },
  { name: 'Session-Expires', parse: parseSessionExpires, format: formatSessionExpires, text: '1800;refresher=uas;x=1', value: { deltaSeconds: 1800, refresher: 'uas', params: [{ name: 'x', value: '1' }] } },
  { name: 'Min-SE', parse: parseMinSE, format: formatMinSE, text: '90', value: { deltaSeconds: 90, params: [] } },
  {
    name: 'Accept-Contact',
    parse: parseAcceptContact,
    format: formatAcceptContact,
    text: '*;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg";require;explicit',
    value: [{ params: [{ name: '+g.3gpp.icsi-ref', value: '"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg"' }, { name: 'require', value: null }, { name: 'explicit', value: null }], require: true, explicit: true }],
  },
  { name: 'Warning', parse: parseWarning, format: formatWarning, text: '399 cf.example.com "Service not authorised", 301 isi.edu "Incompatible \\"x\\""', value: [{ code: 399, agent: 'cf.example.com', text: 'Service not authorised' }, { code: 301, agent: 'isi.edu', text: 'Incompatible "x"' }] },
  { name: 'Error-Info', parse: parseErrorInfo, format: formatErrorInfo, text: '<sip:not-in-service-recording@atlanta.com>;p=1', value: [{ uri: { kind: 'sip', scheme: 'sip', user: 'not-in-service-recording', password: null, host: 'atlanta.com', port: null, params: [], headers: [] }, params: [{ name: 'p', value: '1' }] }] },
  { name: 'User-Agent', parse: parseProduct, format: formatProduct, text: 'CPM-client/OMA2.0 (build 7) libsip', value: [{ kind: 'product', name: 'CPM-client', version: 'OMA2.0' }, { kind: 'comment', text: '(build 7)' }, { kind: 'product', name: 'libsip', version: null }] },
  { name: 'Retry-After', parse: parseRetryAfter, format: formatRetryAfter, text: '18000 (in a meeting);duration=3600', value: { deltaSeconds: 18000, comment: '(in a meeting)', params: [{ name: 'duration', value: '3600' }] } },
  { name: 'Content-Type', parse: parseContentType, format: formatContentType, text: 'multipart/mixed;boundary="a b"', value: { type: 'multipart', subtype: 'mixed', params: [{ name: 'boundary', value: '"a b"' }] } },
];

describe('header accessors parse and format each other', () => {
  for (const { name, parse, format, text, value } of ROUND_TRIPS) {
    it(`${name}: "${text}"`, () => {
      const parsed = ok(parse(text));
      expect(parsed).toEqual(value);
      expect(format(parsed as never)).toBe(text);
      expect(ok(parse(format(parsed as never)))).toEqual(parsed);
    });
  }
});

describe('header accessors read liberal forms', () => {
  it('CSeq with leading zeros and folded LWS (RFC 4475 §3.1.1.1)', () => {
    expect(ok(parseCSeq('0009 INVITE'))).toEqual({ seq: 9, method: 'INVITE' });
  });

  it('Privacy values are case-insensitive (RFC 3323 §4.2)', () => {
    expect(ok(parsePrivacy('ID ; Critical'))).toEqual(['id', 'critical']);
  });

  it('an empty Supported is an empty list', () => {
    expect(ok(parseTokenList(''))).toEqual([]);
  });

  it('Content-Type names are lower-cased, the value of a parameter is not', () => {
    expect(ok(parseContentType('Application/SDP; Charset=UTF-8'))).toEqual({ type: 'application', subtype: 'sdp', params: [{ name: 'charset', value: 'UTF-8' }] });
  });

  it('Session-Expires in compact-header style without a refresher', () => {
    expect(ok(parseSessionExpires(' 4000 '))).toEqual({ deltaSeconds: 4000, refresher: null, params: [] });
  });
});

describe('scalar headers', () => {
  it('Call-ID = word [ "@" word ]', () => {
    expect(ok(parseCallId('f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com'))).toBe('f81d4fae-7dec-11d0-a765-00a0c91e6bf6@foo.bar.com');
    for (const bad of ['', 'a b', 'a@b@c', '@x', 'é']) expect(parseCallId(bad).ok, bad).toBe(false);
  });

  it('Max-Forwards is 0-255', () => {
    expect([ok(parseMaxForwards('0')), ok(parseMaxForwards('0068')), ok(parseMaxForwards('255'))]).toEqual([0, 68, 255]);
    for (const bad of ['256', '-1', 'x', '']) expect(parseMaxForwards(bad).ok, bad).toBe(false);
  });

  it('Content-Length is a non-negative safe integer, refused without building huge numbers', () => {
    expect(ok(parseContentLength('000150'))).toBe(150);
    const huge = parseContentLength('9'.repeat(100_000));
    expect(!huge.ok && huge.error.code).toBe('CPM_ERR_SIP_BAD_CONTENT_LENGTH');
  });

  it('Contribution-ID and Conversation-ID are tokens', () => {
    expect(ok(parseCpmId(' 6c5e0b8a-1f0e-4d52-9d8e-2b0f1c9a7e11 '))).toBe('6c5e0b8a-1f0e-4d52-9d8e-2b0f1c9a7e11');
    expect(parseCpmId('a b').ok).toBe(false);
  });
});

describe('header accessors refuse malformed values with CPM_ERR_SIP_BAD_HEADER_VALUE', () => {
  const cases: [string, (v: string) => Parsed<unknown>, string][] = [
    ['Warning with a 4-digit code (RFC 4475 §3.1.2.5)', parseWarning, '1812 overture "In Progress"'],
    ['Warning without quotes', parseWarning, '399 host text'],
    ['Retry-After beyond 2**32-1 (RFC 4475 §3.1.2.5)', parseRetryAfter, '949302838503028349304023988'],
    ['Session-Expires with a bad refresher', parseSessionExpires, '1800;refresher=both'],
    ['Accept-Contact without "*"', parseAcceptContact, '+g.x;require'],
    ['Error-Info without "<>"', parseErrorInfo, 'sip:x@y'],
    ['Content-Type without subtype', parseContentType, 'text'],
    ['Privacy with an empty value', parsePrivacy, 'id;;user'],
    ['User-Agent with an unterminated comment', parseProduct, 'ua (oops'],
    ['Supported with a trailing comma', parseTokenList, 'timer,'],
  ];
  for (const [what, parse, text] of cases) {
    it(what, () => {
      const parsed = parse(text);
      expect(!parsed.ok && parsed.error.code).toBe('CPM_ERR_SIP_BAD_HEADER_VALUE');
    });
  }
});
