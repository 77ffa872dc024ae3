import { describe, expect, it } from 'vitest';
import { createErrorResponse, createRequest, createResponse } from '../../runtime/sip/builders.ts';
import type { Parsed } from '../../runtime/sip/errors.ts';
import { nameAddrTag, parseNameAddr } from '../../runtime/sip/headers/name-addr.ts';
import { parseVia, viaBranch, viaRport } from '../../runtime/sip/headers/via.ts';
import { newBranch, newCallId, newTag } from '../../runtime/sip/ids.ts';
import { getHeader, getHeaders, header } from '../../runtime/sip/message.ts';
import { parseDatagram } from '../../runtime/sip/parser.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import { sipUri } from '../../runtime/sip/uri.ts';
import { OPTIONS_LINES, parseOk, wire } from './fixtures.ts';

function ok<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const request = () => parseOk(wire([...OPTIONS_LINES.slice(0, 2), 'Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK2', ...OPTIONS_LINES.slice(2), 'Timestamp: 54']));

describe('responses (RFC 3261 §8.2.6)', () => {
  it('copy every Via in order, From, Call-ID and CSeq, and add a To tag', () => {
    const response = createResponse(request(), 200, { toTag: 'uas-tag' });
    expect(response.reason).toBe('OK');
    expect(getHeaders(response, 'via')).toEqual(['SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds', 'SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK2']);
    expect([getHeader(response, 'from'), getHeader(response, 'call-id'), getHeader(response, 'cseq')]).toEqual(['Alice <sip:alice@example.com>;tag=1928301774', 'a84b4c76e66710@pc33.example.com', '63104 OPTIONS']);
    expect(getHeader(response, 'to')).toBe('Bob <sip:bob@example.com>;tag=uas-tag');
    expect(getHeader(response, 'timestamp')).toBeUndefined();
  });

  it('keep a To tag the request already had, and make up one when none is given', () => {
    const tagged = parseOk(wire(OPTIONS_LINES.map((l) => (l.startsWith('To:') ? 'To: <sip:bob@example.com>;tag=abc' : l))));
    expect(getHeader(createResponse(tagged, 486), 'to')).toBe('<sip:bob@example.com>;tag=abc');
    const fresh = nameAddrTag(ok(parseNameAddr(getHeader(createResponse(request(), 180), 'to')!)));
    expect(fresh).toMatch(/^[\w-]{8,}$/);
  });

  it('copy Timestamp into a 100 (Trying), without adding a To tag (§8.2.6.1)', () => {
    const trying = createResponse(request(), 100);
    expect([trying.reason, getHeader(trying, 'timestamp'), getHeader(trying, 'to')]).toEqual(['Trying', '54', 'Bob <sip:bob@example.com>']);
  });

  it('answer a refused request with its status and reason phrase', () => {
    const parsed = parseDatagram(wire(OPTIONS_LINES.map((l) => (l.startsWith('CSeq') ? 'CSeq: 1 INVITE' : l))));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const response = createErrorResponse(parsed.error);
    expect([response?.status, response?.reason]).toEqual([400, 'CSeq Method Mismatch']);
    expect(parseDatagram(serializeMessage(response!)).ok).toBe(true);
  });
});

describe('requests (RFC 3261 §8.1.1)', () => {
  const parts = {
    method: 'INVITE',
    uri: sipUri({ user: 'group', host: 'cf.example.com' }),
    from: ok(parseNameAddr('"Alice" <sip:alice@example.com>')),
    to: ok(parseNameAddr('<sip:group@cf.example.com>')),
    cseq: 1,
    via: { transport: 'TCP', host: '[::1]', port: 5070, rport: true },
    contact: ok(parseNameAddr('<sip:alice@[::1]:5070;transport=tcp>')),
    headers: [header('Supported', 'timer')],
    body: Buffer.from('v=0\r\n'),
    contentType: 'application/sdp',
  };

  it('carry To, From (with a new tag), CSeq, Call-ID, Max-Forwards 70 and a Via with a fresh branch', () => {
    const built = createRequest(parts);
    const again = parseOk(serializeMessage(built));
    expect(again.kind === 'request' && again.method).toBe('INVITE');
    const via = ok(parseVia(getHeader(again, 'via')!));
    expect([via.transport, via.host, via.port, viaRport(via)]).toEqual(['TCP', '[::1]', 5070, null]);
    expect(viaBranch(via)).toMatch(/^z9hG4bK[\w-]{16}$/);
    expect(getHeader(again, 'max-forwards')).toBe('70');
    expect(nameAddrTag(ok(parseNameAddr(getHeader(again, 'from')!)))).toBeDefined();
    expect([getHeader(again, 'cseq'), getHeader(again, 'content-type'), getHeader(again, 'supported'), getHeader(again, 'content-length')]).toEqual(['1 INVITE', 'application/sdp', 'timer', '5']);
  });

  it('refuse a branch without the magic cookie', () => {
    expect(() => createRequest({ ...parts, via: { ...parts.via, branch: 'abc' } })).toThrow(/z9hG4bK/);
  });
});

describe('identifiers', () => {
  it('branches start with z9hG4bK and carry at least 64 random bits; tags and Call-IDs are unique', () => {
    const branches = new Set(Array.from({ length: 2000 }, newBranch));
    expect(branches.size).toBe(2000);
    for (const branch of branches) expect(branch).toMatch(/^z9hG4bK[A-Za-z0-9_-]{16}$/);
    expect(new Set(Array.from({ length: 2000 }, newTag)).size).toBe(2000);
    expect(newCallId('cf.example.com')).toMatch(/^[\w-]{22}@cf\.example\.com$/);
  });
});
