import { describe, expect, it } from 'vitest';
import type { Parsed } from '../../runtime/sip/errors.ts';
import { formatNameAddr, formatNameAddrList, nameAddrTag, parseContact, parseNameAddr, parseNameAddrList } from '../../runtime/sip/headers/name-addr.ts';
import { formatVia, parseVia, parseViaList, viaBranch, viaReceived, viaRport } from '../../runtime/sip/headers/via.ts';
import { getParam, setParam } from '../../runtime/sip/params.ts';
import { quote, unquote } from '../../runtime/sip/scanner.ts';

function ok<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('Via (RFC 3261 §20.42)', () => {
  it('reads sent-protocol, sent-by and the branch, received and rport parameters', () => {
    const via = ok(parseVia('SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5067'));
    expect(via).toMatchObject({ protocolName: 'SIP', protocolVersion: '2.0', transport: 'UDP', host: 'pc33.atlanta.com', port: 5066 });
    expect([viaBranch(via), viaReceived(via), viaRport(via)]).toEqual(['z9hG4bK776asdhds', '192.0.2.1', 5067]);
  });

  it('reads an IPv6 sent-by and an IPv6 received with or without brackets (RFC 5118 §4.5)', () => {
    const via = ok(parseVia('SIP/2.0/TCP [2001:db8::9:1]:5070;branch=z9hG4bKas3-111;received=[2001:db8::9:255];rport'));
    expect([via.host, via.port, viaReceived(via), viaRport(via)]).toEqual(['[2001:db8::9:1]', 5070, '2001:db8::9:255', null]);
    expect(viaReceived(ok(parseVia('SIP/2.0/UDP [::1];received=::1')))).toBe('::1');
  });

  it('allows LWS around "/", ":", ";" and "=" and reads comma-separated values', () => {
    const list = ok(parseViaList('SIP / 2.0 / tcp  host.example.com : 5060 ; branch = z9hG4bK1 , SIP/2.0/UDP 10.0.0.1'));
    expect(list.map((v) => [v.transport, v.host, v.port, viaBranch(v)])).toEqual([
      ['TCP', 'host.example.com', 5060, 'z9hG4bK1'],
      ['UDP', '10.0.0.1', null, undefined],
    ]);
  });

  it('refuses malformed values', () => {
    for (const bad of ['SIP/2.0/UDP', 'SIP/2.0 host', 'SIP/2.0/UDPhost', 'SIP/2.0/UDP host;;', 'SIP/2.0/UDP host;ttl=256', 'SIP/2.0/UDP host;received=example.com', 'SIP/2.0/UDP host;rport=x', 'SIP/2.0/UDP host:99999', 'SIP/2.0/UDP ho st', 'SIP/2.0/UDP host;branch']) {
      const parsed = parseVia(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('CPM_ERR_SIP_BAD_VIA');
    }
  });

  it('formats what it parses, and parses what it formats', () => {
    for (const text of ['SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds8;rport', 'SIP/2.0/TCP [::1];received=127.0.0.1;maddr=224.2.0.1;ttl=16']) {
      expect(formatVia(ok(parseVia(text)))).toBe(text);
    }
  });
});

describe('name-addr headers (From, To, Contact, Route, P-Asserted-Identity, Referred-By)', () => {
  it('reads a quoted display name with quoted-pairs, the URI and header parameters', () => {
    expect(ok(parseNameAddr('"Bob \\"the\\" Builder" <sip:bob@biloxi.com;transport=tcp>;tag=a6c85cf'))).toEqual({
      displayName: 'Bob "the" Builder',
      uri: { kind: 'sip', scheme: 'sip', user: 'bob', password: null, host: 'biloxi.com', port: null, params: [{ name: 'transport', value: 'tcp' }], headers: [] },
      params: [{ name: 'tag', value: 'a6c85cf' }],
    });
  });

  it('reads an unquoted display name of tokens and an addr-spec whose parameters belong to the header', () => {
    expect(ok(parseNameAddr('Anonymous Caller <sip:c@example.com>')).displayName).toBe('Anonymous Caller');
    const spec = ok(parseNameAddr('sip:alice@atlanta.com;tag=88sja8x'));
    expect([spec.displayName, spec.uri.kind === 'sip' && spec.uri.params, nameAddrTag(spec)]).toEqual([null, [], '88sja8x']);
    expect(ok(parseNameAddr('tel:+1-201-555-0123;tag=x')).uri.kind).toBe('tel');
  });

  it('reads the Contact of a conference focus with isfocus, expires and a quoted 3GPP feature tag (RFC 3840)', () => {
    const contacts = ok(parseContact('<sip:cf@cf.example.com;transport=tcp>;isfocus;expires=600;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg"'));
    expect(contacts !== '*' && contacts[0]!.params).toEqual([
      { name: 'isfocus', value: null },
      { name: 'expires', value: '600' },
      { name: '+g.3gpp.icsi-ref', value: '"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg"' },
    ]);
    expect(unquote(getParam(contacts !== '*' ? contacts[0]!.params : [], '+G.3GPP.ICSI-REF')!)).toBe('urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.largemsg');
  });

  it('reads Contact "*" and lists, and checks q and expires', () => {
    expect(ok(parseContact(' * '))).toBe('*');
    expect(ok(parseContact('<sip:a@b>;q=0.7, "x" <sip:c@d>;q=1.0'))).toHaveLength(2);
    for (const bad of ['<sip:a@b>;q=1.5', '<sip:a@b>;q', '<sip:a@b>;expires=soon', '*, <sip:a@b>']) {
      expect(parseContact(bad).ok, bad).toBe(false);
    }
  });

  it('reads Route, Record-Route and P-Asserted-Identity lists (RFC 3325 §9.1)', () => {
    expect(ok(parseNameAddrList('<sip:p1.example.com;lr>, <sip:p2.example.com;lr>')).map((r) => r.uri.kind === 'sip' && r.uri.host)).toEqual(['p1.example.com', 'p2.example.com']);
    expect(ok(parseNameAddrList('"Cullen Jennings" <sip:fluffy@cisco.com>, <tel:+14085264000>')).map((p) => p.uri.kind)).toEqual(['sip', 'tel']);
  });

  it('refuses what RFC 4475 calls invalid', () => {
    for (const bad of ['"Mr. J. User <sip:j.user@example.com>', '"Watson, Thomas" < sip:t.watson@example.org >', 'Bell, Alexander <sip:a.g.bell@example.com>', 'sip:user@example.com?Route=%3Csip:sip.example.com%3E', '<sip:a@b>;;', '']) {
      const parsed = parseNameAddr(bad);
      expect(parsed.ok, bad).toBe(false);
      if (!parsed.ok) expect(parsed.error.code).toBe('CPM_ERR_SIP_BAD_NAME_ADDR');
    }
  });

  it('formats in name-addr form and parses back to the same value', () => {
    for (const text of ['"J Rosenberg \\\\\\"" <sip:jdrosen@example.com>;tag=98asjd8', 'sip:alice@atlanta.com;tag=1', '<sip:cf@h;lr>;isfocus;+g.3gpp.icsi-ref="urn%3Ax"']) {
      const value = ok(parseNameAddr(text));
      expect(ok(parseNameAddr(formatNameAddr(value)))).toEqual(value);
    }
    expect(formatNameAddr(ok(parseNameAddr('sip:alice@atlanta.com;tag=1')))).toBe('<sip:alice@atlanta.com>;tag=1');
    expect(formatNameAddrList(ok(parseNameAddrList('<sip:a@b>,<sip:c@d>')))).toBe('<sip:a@b>, <sip:c@d>');
  });
});

describe('parameters and quoted strings', () => {
  it('quote and unquote are inverse, escaping only \\ and "', () => {
    for (const text of ['plain', 'with "quotes"', 'back\\slash', '']) expect(unquote(quote(text))).toBe(text);
    expect(quote('a"b')).toBe('"a\\"b"');
  });

  it('set a parameter in place or append it, matching names case-insensitively', () => {
    const params = [{ name: 'Tag', value: '1' }];
    expect(setParam(params, 'tag', '2')).toEqual([{ name: 'Tag', value: '2' }]);
    expect(setParam(params, 'lr', null)).toEqual([{ name: 'Tag', value: '1' }, { name: 'lr', value: null }]);
  });
});
