import { describe, expect, it } from 'vitest';
import { formatMsrpSdp, parseMsrpSdp } from '../../runtime/sdp.ts';

const OFFER = [
  'v=0',
  'o=alice 2890844526 2890844527 IN IP4 client.example.net',
  's=-',
  'c=IN IP4 client.example.net',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'a=path:msrp://not-this-one:1/x;tcp',
  'm=message 7777 TCP/MSRP *',
  'a=accept-types:message/cpim application/octet-stream',
  'a=accept-wrapped-types:*',
  'a=max-size:1073741824',
  'a=setup:passive',
  'a=path:msrp://relay.example.net:2855/r1;tcp msrp://client.example.net:7777/o1x;tcp',
  'a=file-selector:name:"report.pdf" type:application/pdf size:52428800',
  'a=sendonly',
  '',
].join('\r\n');

describe('parseMsrpSdp (RFC 4566, RFC 4975 §8)', () => {
  it('reads the first MSRP media description, every attribute of it and none of the others', () => {
    expect(parseMsrpSdp(OFFER)).toEqual({
      ok: true,
      media: {
        path: ['msrp://relay.example.net:2855/r1;tcp', 'msrp://client.example.net:7777/o1x;tcp'],
        acceptTypes: ['message/cpim', 'application/octet-stream'],
        acceptWrappedTypes: ['*'],
        maxSize: 1073741824,
        setup: 'passive',
        otherAttributes: ['file-selector:name:"report.pdf" type:application/pdf size:52428800', 'sendonly'],
      },
    });
  });

  it('accepts LF-only line ends and TCP/TLS/MSRP', () => {
    const parsed = parseMsrpSdp('v=0\no=- 1 1 IN IP4 h\ns=-\nt=0 0\nm=message 1 TCP/TLS/MSRP *\na=path:msrps://h:1/s;tcp\n');
    expect(parsed.ok && parsed.media?.path).toEqual(['msrps://h:1/s;tcp']);
  });

  it('finds no MSRP media in an audio-only offer, or in a rejected stream (port 0, RFC 3264 §6)', () => {
    expect(parseMsrpSdp('v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n')).toEqual({ ok: true, media: null });
    expect(parseMsrpSdp('v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=message 0 TCP/MSRP *\r\na=path:msrp://h:1/s;tcp\r\n')).toEqual({ ok: true, media: null });
  });

  it('keeps an unknown setup value verbatim instead of guessing a role', () => {
    const parsed = parseMsrpSdp('v=0\r\nm=message 1 TCP/MSRP *\r\na=setup:holdconn\r\n');
    expect(parsed.ok && parsed.media).toMatchObject({ setup: null, otherAttributes: ['setup:holdconn'] });
  });

  it.each([
    ['a body that is not SDP', 'hello'],
    ['a line that is not <type>=<value>', 'v=0\r\nm=message 1 TCP/MSRP *\r\nnonsense\r\n'],
    ['a media line without format', 'v=0\r\nm=message 1\r\n'],
  ])('refuses %s with CPM_ERR_SDP_MALFORMED', (_what, body) => {
    const parsed = parseMsrpSdp(body);
    expect(parsed.ok ? undefined : parsed.error.code).toBe('CPM_ERR_SDP_MALFORMED');
  });
});

describe('formatMsrpSdp', () => {
  it('puts the address and port of the last a=path URI in c= and m= (RFC 4975 §8.1), and round-trips', () => {
    const parsed = parseMsrpSdp(OFFER);
    if (!parsed.ok || parsed.media === null) throw new Error('fixture');
    const text = formatMsrpSdp(parsed.media, { sessionId: '42', version: 3 });
    expect(text.split('\r\n').slice(0, 6)).toEqual(['v=0', 'o=- 42 3 IN IP4 client.example.net', 's=-', 'c=IN IP4 client.example.net', 't=0 0', 'm=message 7777 TCP/MSRP *']);
    expect(parseMsrpSdp(text)).toEqual(parsed);
  });

  it('writes IPv6 addresses as IP6 and msrps paths as TCP/TLS/MSRP', () => {
    const text = formatMsrpSdp({ path: ['msrps://[2001:db8::1]:3000/s;tcp'], acceptTypes: ['*'], acceptWrappedTypes: [], maxSize: null, setup: 'actpass', otherAttributes: [] }, { sessionId: '1', version: 1 });
    expect(text).toContain('c=IN IP6 2001:db8::1\r\n');
    expect(text).toContain('m=message 3000 TCP/TLS/MSRP *\r\n');
    expect(text).not.toContain('max-size');
  });
});
