import { describe, expect, it } from 'vitest';
import { createResponse } from '../../runtime/sip/builders.ts';
import type { Parsed } from '../../runtime/sip/errors.ts';
import { checkKnownHeaders } from '../../runtime/sip/headers/known-headers.ts';
import { parseNameAddr, parseNameAddrHeader } from '../../runtime/sip/headers/name-addr.ts';
import { parseViaHeader } from '../../runtime/sip/headers/via.ts';
import { header, parsedOnce, type SipHeader, type SipRequest } from '../../runtime/sip/message.ts';
import { stampReceived } from '../../runtime/sip/response-routing.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import { cseqOf, nameAddrOf, topVia } from '../../runtime/sip/transaction-keys.ts';
import { OPTIONS_LINES, parseOk, wire } from './fixtures.ts';

const request = (): SipRequest => parseOk(wire(OPTIONS_LINES)) as SipRequest;
const line = (message: { readonly headers: readonly SipHeader[] }, key: string): SipHeader => message.headers.find((h) => h.key === key)!;

/** A grammar that counts its runs. */
function counted(): { parse: (value: string) => Parsed<{ readonly length: number }>; readonly runs: () => number } {
  let runs = 0;
  return {
    parse: (value) => {
      runs++;
      return { ok: true, value: { length: value.length } };
    },
    runs: () => runs,
  };
}

describe('structured header values parsed once per header line (issue 7)', () => {
  it('runs a grammar once per header, however often the value is read', () => {
    const grammar = counted();
    const read = parsedOnce(grammar.parse);
    const via = header('Via', 'SIP/2.0/UDP h;branch=z9hG4bK1');
    expect(read(via)).toBe(read(via));
    expect(grammar.runs()).toBe(1);
    read(header('Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'));
    expect(grammar.runs()).toBe(2);
  });

  it('hands the parser’s Via, From, To and CSeq to every later reader, and to a response built from the request', () => {
    const m = request();
    const via = topVia(m);
    expect(via).toBeDefined();
    expect(topVia(m)).toBe(via);
    expect(stampReceived(m, { protocol: 'udp', address: '192.0.2.1', port: 5060 })).toBe(m);
    expect(cseqOf(m)).toBe(cseqOf(m));
    expect(nameAddrOf(m, 'from')).toBe(nameAddrOf(m, 'from'));
    expect(checkKnownHeaders(m)).toBeUndefined();
    const response = createResponse(m, 200, { toTag: 'uas' });
    expect(topVia(response)).toBe(via);
    expect(cseqOf(response)).toBe(cseqOf(m));
    expect(nameAddrOf(response, 'from')).toBe(nameAddrOf(m, 'from'));
  });

  it('parses a header with another value anew, so no reader sees a stale value', () => {
    const m = request();
    expect(nameAddrOf(createResponse(m, 200, { toTag: 'uas' }), 'to')?.params).toEqual([{ name: 'tag', value: 'uas' }]);
    const stamped = stampReceived(m, { protocol: 'udp', address: '198.51.100.7', port: 5060 });
    expect(topVia(stamped)?.params).toContainEqual({ name: 'received', value: '198.51.100.7' });
    const copy: SipHeader = { ...line(m, 'from'), value: '<sip:carol@example.com>' };
    expect(parseNameAddrHeader(copy)).toEqual(parseNameAddr('<sip:carol@example.com>'));
  });

  it('keeps the memo out of sight: the header compares, spreads and serializes as before', () => {
    const m = request();
    const before = serializeMessage(m).toString();
    nameAddrOf(m, 'from');
    expect(line(m, 'from')).toEqual({ name: 'From', key: 'from', value: 'Alice <sip:alice@example.com>;tag=1928301774' });
    expect(Object.keys({ ...line(m, 'via') })).toEqual(['name', 'key', 'value']);
    expect(serializeMessage(m).toString()).toBe(before);
  });

  it('remembers a malformed value’s fault with the code and message of the grammar', () => {
    const bad = header('From', '<sip:alice@example.com');
    const fault = parseNameAddrHeader(bad);
    expect(parseNameAddrHeader(bad)).toBe(fault);
    expect(fault).toEqual(parseNameAddr('<sip:alice@example.com'));
    expect(fault.ok ? undefined : fault.error.code).toBe('CPM_ERR_SIP_BAD_NAME_ADDR');
  });

  it('shares values whose types refuse changes (checked by tsc, never run)', () => {
    const mutate = (): void => {
      const via = parseViaHeader(header('Via', 'SIP/2.0/UDP h;branch=z9hG4bK1'));
      if (!via.ok) return;
      // @ts-expect-error a shared Via list cannot be changed in place
      via.value.push(via.value[0]!);
      // @ts-expect-error nor its parameters
      via.value[0]!.params.push({ name: 'received', value: '192.0.2.1' });
      const from = nameAddrOf(request(), 'from')!;
      // @ts-expect-error nor a From's URI
      from.uri.params = [];
      // @ts-expect-error nor a CSeq
      cseqOf(request()).seq = 2;
    };
    expect(mutate).toBeTypeOf('function');
  });
});
