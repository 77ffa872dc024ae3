import { describe, expect, it } from 'vitest';
import { formatUri, parseUri, sipUri, type Uri } from '../../runtime/sip/uri.ts';
import { uriEquals } from '../../runtime/sip/uri-equality.ts';
import { escape, unescape } from '../../runtime/sip/uri-escape.ts';
import { USER_CHARS } from '../../runtime/sip/uri-escape.ts';

function uri(text: string): Uri {
  const parsed = parseUri(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('SIP and SIPS URIs (RFC 3261 §19.1.1)', () => {
  it('reads user, password, host, port, parameters and headers', () => {
    expect(uri('sips:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent')).toEqual({
      kind: 'sip',
      scheme: 'sips',
      user: 'alice',
      password: 'secretword',
      host: 'atlanta.com',
      port: 5061,
      params: [{ name: 'transport', value: 'tcp' }, { name: 'lr', value: null }],
      headers: [{ name: 'subject', value: 'project%20x' }, { name: 'priority', value: 'urgent' }],
    });
  });

  it('treats the scheme case-insensitively ("SIP:" is "sip:")', () => {
    expect(uri('SIP:bob@BILOXI.com')).toMatchObject({ kind: 'sip', scheme: 'sip', host: 'BILOXI.com' });
    expect(uri('SiPs:bob@biloxi.com')).toMatchObject({ scheme: 'sips' });
  });

  it('keeps an IPv6 reference with its brackets and reads the port after "]"', () => {
    expect(uri('sip:[::1]')).toMatchObject({ host: '[::1]', port: null, user: null });
    expect(uri('sip:alice@[2001:db8::10]:5070;transport=tcp')).toMatchObject({ host: '[2001:db8::10]', port: 5070, params: [{ name: 'transport', value: 'tcp' }] });
  });

  it('accepts an IPv4 host and refuses hosts that are neither hostnames nor IP literals', () => {
    expect(uri('sip:192.0.2.4:5060')).toMatchObject({ host: '192.0.2.4', port: 5060 });
    for (const bad of ['sip:256.1.1.1', 'sip:user@', 'sip:[::1', 'sip:[zz::1]', 'sip:a..b', 'sip:-a.com', 'sip:host:70000', 'sip:host:']) {
      expect(parseUri(bad).ok, bad).toBe(false);
    }
  });

  it('refuses characters the grammar does not allow, and "%" not followed by two hex digits', () => {
    for (const bad of ['sip:al ice@host', 'sip:alice@host;p=a b', 'sip:a%2@host', 'sip:a%zz@host', 'sip:alice@host?x', 'sip:<alice@host>', 'sip:@host']) {
      const parsed = parseUri(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('CPM_ERR_SIP_BAD_URI');
    }
  });

  it('prints back exactly what it read', () => {
    for (const text of ['sip:alice@atlanta.com', 'sips:a%20b:pw@[::1]:5061;maddr=239.255.255.1;ttl=15?to=x&from=', 'sip:+1-212-555-1212:1234@gateway.com;user=phone']) {
      expect(formatUri(uri(text))).toBe(text);
    }
  });

  it('escapes a user part built from text, and unescapes it back (§19.1.2)', () => {
    const built = sipUri({ user: 'I have spaces?', host: 'example.net' });
    expect(built.user).toBe('I%20have%20spaces?');
    expect(unescape(built.user!)).toBe('I have spaces?');
    expect(escape('é', USER_CHARS)).toBe('%C3%A9');
    expect(() => sipUri({ host: 'bad host' })).toThrow();
  });
});

describe('tel URIs (RFC 3966)', () => {
  it('reads global and local numbers with parameters', () => {
    expect(uri('tel:+1-201-555-0123')).toEqual({ kind: 'tel', number: '+1-201-555-0123', params: [] });
    expect(uri('TEL:7042;phone-context=example.com')).toEqual({ kind: 'tel', number: '7042', params: [{ name: 'phone-context', value: 'example.com' }] });
  });

  it('refuses a local number without phone-context, and a number without digits', () => {
    expect(parseUri('tel:7042').ok).toBe(false);
    expect(parseUri('tel:+--').ok).toBe(false);
    expect(parseUri('tel:+1 212').ok).toBe(false);
  });
});

describe('other schemes', () => {
  it('keeps an absoluteURI opaque, with its scheme lower-cased', () => {
    expect(uri('urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toEqual({ kind: 'absolute', scheme: 'urn', opaque: 'uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6' });
    expect(parseUri('1abc:x').ok).toBe(false);
    expect(parseUri('x:a b').ok).toBe(false);
    expect(parseUri('nocolon').ok).toBe(false);
  });
});

describe('URI comparison (RFC 3261 §19.1.4)', () => {
  // The pairs the RFC lists as equivalent and as not equivalent.
  const equivalent: [string, string][] = [
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;security=on'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on'],
    ['sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com', 'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com'],
    ['sip:alice@atlanta.com?subject=project%20x&priority=urgent', 'sip:alice@atlanta.com?priority=urgent&subject=project%20x'],
    ['sip:alice@[2001:db8::1]', 'sip:alice@[2001:DB8:0::1]'],
  ];
  const different: [string, string][] = [
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp;user=phone'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;maddr=239.255.255.1'],
    ['sip:bob@biloxi.com', 'sips:bob@biloxi.com'],
    ['sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;newparam=6'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
    ['sip:%00@host5.example.com', 'sip:%00%00@host5.example.com'],
  ];
  for (const [a, b] of equivalent) {
    it(`${a} is equivalent to ${b}`, () => {
      expect(uriEquals(uri(a), uri(b))).toBe(true);
      expect(uriEquals(uri(b), uri(a))).toBe(true);
    });
  }
  for (const [a, b] of different) {
    it(`${a} is not equivalent to ${b}`, () => {
      expect(uriEquals(uri(a), uri(b))).toBe(false);
      expect(uriEquals(uri(b), uri(a))).toBe(false);
    });
  }

  it('compares tel URIs ignoring visual separators and parameter order (RFC 3966 §4)', () => {
    expect(uriEquals(uri('tel:+1-201-555-0123'), uri('tel:+1(201)5550123'))).toBe(true);
    expect(uriEquals(uri('tel:7042;phone-context=a.com;ext=1'), uri('tel:7042;ext=1;phone-context=A.com'))).toBe(true);
    expect(uriEquals(uri('tel:+1-201-555-0123'), uri('tel:+1-201-555-0124'))).toBe(false);
    expect(uriEquals(uri('tel:+12015550123'), uri('sip:+12015550123@example.com'))).toBe(false);
  });
});
