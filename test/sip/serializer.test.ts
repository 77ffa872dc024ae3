import { describe, expect, it } from 'vitest';
import { addHeader, getHeader, getHeaders, header, prependHeader, removeHeader, setHeader } from '../../runtime/sip/message.ts';
import { parseDatagram } from '../../runtime/sip/parser.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import { OPTIONS_LINES, parseOk, torture, tortureNames, wire } from './fixtures.ts';

describe('serializing (RFC 3261 §7)', () => {
  it('writes canonical header names, the start line and the body', () => {
    const m = parseOk(Buffer.from('OPTIONS sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@b>;tag=1\r\nt: <sip:b@b>\r\ni: x\r\ncseq: 1 OPTIONS\r\nCALL-INFO: <http://x>\r\nX-Own-Header: y\r\nl: 2\r\n\r\nhi'));
    expect(serializeMessage(m).toString()).toBe(
      'OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nCall-Info: <http://x>\r\nX-Own-Header: y\r\nContent-Length: 2\r\n\r\nhi',
    );
  });

  it('always computes Content-Length from the body octets, whatever header says otherwise', () => {
    const m = parseOk(wire(OPTIONS_LINES));
    m.body = Buffer.from('€uro', 'utf8');
    setHeader(m, 'Content-Length', '1');
    const text = serializeMessage(m).toString('utf8');
    expect(text).toContain('\r\nContent-Length: 6\r\n\r\n€uro');
    expect(text.match(/Content-Length/g)).toHaveLength(1);
  });

  it('round-trips every valid RFC 4475 message: parse(serialize(m)) equals m up to names and Content-Length', () => {
    for (const file of tortureNames()) {
      const parsed = parseDatagram(torture(file));
      if (!parsed.ok) continue;
      const again = parseOk(serializeMessage(parsed.value));
      const strip = (headers: { key: string; value: string }[]) => headers.filter((h) => h.key !== 'content-length').map((h) => [h.key, h.value]);
      expect(strip(again.headers), file).toEqual(strip(parsed.value.headers));
      expect(again.body.equals(parsed.value.body), file).toBe(true);
      expect(again.kind === 'request' ? [again.method] : [again.status, again.reason]).toEqual(
        parsed.value.kind === 'request' ? [parsed.value.method] : [parsed.value.status, parsed.value.reason],
      );
    }
  });

  it('refuses a header value with a line break instead of letting it inject headers', () => {
    const m = parseOk(wire(OPTIONS_LINES));
    addHeader(m, 'Subject', 'hi\r\nVia: evil');
    expect(() => serializeMessage(m)).toThrow(TypeError);
  });
});

describe('header list helpers', () => {
  it('add, prepend, set and remove by any spelling of a name', () => {
    const m = parseOk(wire(OPTIONS_LINES));
    prependHeader(m, 'v', 'SIP/2.0/TCP proxy;branch=z9hG4bKp');
    expect(getHeaders(m, 'VIA')).toEqual(['SIP/2.0/TCP proxy;branch=z9hG4bKp', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds']);
    setHeader(m, 'max-forwards', '69');
    expect(m.headers.find((h) => h.key === 'max-forwards')).toEqual({ name: 'Max-Forwards', key: 'max-forwards', value: '69' });
    removeHeader(m, 'Via');
    expect(getHeader(m, 'v')).toBeUndefined();
    expect(header('x', '1')).toEqual({ name: 'Session-Expires', key: 'session-expires', value: '1' });
  });
});
