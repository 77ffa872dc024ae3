import { describe, expect, it } from 'vitest';
import { formatMsrpUri, msrpUriEquals, newSessionId, parseMsrpUri } from '../../runtime/msrp/uri.ts';
import type { MsrpUri } from '../../runtime/msrp/uri.ts';

function uri(text: string): MsrpUri {
  const parsed = parseMsrpUri(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

describe('RFC 4975 §6 MSRP URI syntax', () => {
  it('reads authority, session-id and transport', () => {
    expect(uri('msrp://bob.example.com:8888/9di4eae923wzd;tcp')).toEqual({
      secure: false,
      host: 'bob.example.com',
      port: 8888,
      sessionId: '9di4eae923wzd',
      transport: 'tcp',
      params: [],
    });
  });

  it('reads msrps, userinfo, an IPv6 reference and URI-parameters', () => {
    expect(uri('MSRPS://alice@[2001:db8::1]:2855/a+b=/c;tcp;foo=bar;flag')).toEqual({
      secure: true,
      userinfo: 'alice',
      host: '[2001:db8::1]',
      port: 2855,
      sessionId: 'a+b=/c',
      transport: 'tcp',
      params: [{ name: 'foo', value: 'bar' }, { name: 'flag' }],
    });
  });

  it('reads a URI without port and without session-id', () => {
    expect(uri('msrp://relay.example.net;tcp')).toEqual({ secure: false, host: 'relay.example.net', transport: 'tcp', params: [] });
  });

  it.each([
    ['no ";" transport', 'msrp://bob.example.com:8888/abc', /transport is missing/],
    ['another scheme', 'sip:bob@example.com;tcp', /does not start with "msrp:\/\/"/],
    ['a port above 65535', 'msrp://bob.example.com:65536/abc;tcp', /port/],
    ['an empty port', 'msrp://bob.example.com:/abc;tcp', /port/],
    ['an empty host', 'msrp://:8888/abc;tcp', /host/],
    ['an IPv6 zone id', 'msrp://[fe80::1%eth0]:8888/abc;tcp', /host/],
    ['an unclosed IPv6 reference', 'msrp://[::1:8888/abc;tcp', /host/],
    ['a session-id character outside the ABNF', 'msrp://bob.example.com/a#b;tcp', /session-id/],
    ['an empty transport', 'msrp://bob.example.com/abc;', /transport/],
    ['a parameter that is no token', 'msrp://bob.example.com/abc;tcp;a=b=c', /URI-parameter/],
  ])('refuses %s, saying why', (_, text, why) => {
    const parsed = parseMsrpUri(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(why);
  });

  it.each([
    'msrp://bob.example.com:8888/9di4eae923wzd;tcp',
    'msrps://alice@[2001:db8::1]:2855/a+b=/c;tcp;foo=bar;flag',
    'msrp://10.0.0.1;ws',
  ])('formats %s back as written', (text) => {
    expect(formatMsrpUri(uri(text))).toBe(text);
  });
});

describe('RFC 4975 §6.1 MSRP URI comparison', () => {
  const base = 'msrp://bob.example.com:8888/9di4eae923wzd;tcp';
  it.each([
    ['the scheme is compared case-insensitively', 'MSRP://bob.example.com:8888/9di4eae923wzd;tcp', true],
    ['the host is compared case-insensitively', 'msrp://BOB.Example.COM:8888/9di4eae923wzd;tcp', true],
    ['percent-encoded unreserved host characters are decoded first', 'msrp://%62ob.example.com:8888/9di4eae923wzd;tcp', true],
    ['userinfo is not considered', 'msrp://someone@bob.example.com:8888/9di4eae923wzd;tcp', true],
    ['the transport is compared case-insensitively', 'msrp://bob.example.com:8888/9di4eae923wzd;TCP', true],
    ['URI-parameters other than the transport are ignored', 'msrp://bob.example.com:8888/9di4eae923wzd;tcp;x=y', true],
    ['msrp and msrps differ', 'msrps://bob.example.com:8888/9di4eae923wzd;tcp', false],
    ['the session-id is case-sensitive', 'msrp://bob.example.com:8888/9DI4EAE923WZD;tcp', false],
    ['an explicit port never equals an absent one', 'msrp://bob.example.com/9di4eae923wzd;tcp', false],
    ['a missing session-id never equals a present one', 'msrp://bob.example.com:8888;tcp', false],
    ['different transports never match', 'msrp://bob.example.com:8888/9di4eae923wzd;sctp', false],
    ['different hosts differ', 'msrp://alice.example.com:8888/9di4eae923wzd;tcp', false],
  ])('%s', (_, other, equal) => {
    expect(msrpUriEquals(uri(base), uri(other))).toBe(equal);
    expect(msrpUriEquals(uri(other), uri(base))).toBe(equal);
  });

  it('IPv6 addresses are compared as addresses, not strings', () => {
    expect(msrpUriEquals(uri('msrp://[2001:DB8:0:0::1]:1/s;tcp'), uri('msrp://[2001:db8::1]:1/s;tcp'))).toBe(true);
    expect(msrpUriEquals(uri('msrp://[2001:db8::1]:1/s;tcp'), uri('msrp://[2001:db8::2]:1/s;tcp'))).toBe(false);
  });
});

describe('newSessionId', () => {
  it('gives 128 random bits in session-id characters, different each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId));
    expect(ids.size).toBe(1000);
    for (const id of ids) {
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
      expect(uri(`msrp://cf.example.com/${id};tcp`).sessionId).toBe(id);
    }
  });
});
