import { describe, expect, it } from 'vitest';
import { TransportError, type Parsed } from '../../runtime/sip/errors.ts';
import { parseVia, type Via } from '../../runtime/sip/headers/via.ts';
import { getHeaders, type SipRequest } from '../../runtime/sip/message.ts';
import { responseDestination, stampReceived } from '../../runtime/sip/response-routing.ts';
import type { MessageSource } from '../../runtime/sip/transport-types.ts';
import { OPTIONS_LINES, parseOk, wire } from './fixtures.ts';

function via(text: string): Via {
  const parsed: Parsed<Via> = parseVia(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function requestWithVia(...vias: string[]): SipRequest {
  const m = parseOk(wire([OPTIONS_LINES[0]!, ...vias.map((v) => `Via: ${v}`), ...OPTIONS_LINES.slice(2)]));
  if (m.kind !== 'request') throw new Error('not a request');
  return m;
}

const udp = (address: string, port: number): MessageSource => ({ protocol: 'udp', address, port });

describe('stamping received (RFC 3261 §18.2.1) and rport (RFC 3581 §4)', () => {
  it('adds received when sent-by is a domain name', () => {
    const stamped = stampReceived(requestWithVia('SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7'), udp('192.0.2.4', 5060));
    expect(getHeaders(stamped, 'via')).toEqual(['SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7;received=192.0.2.4']);
  });

  it('adds received when sent-by is another IP address, and leaves the request alone when it is the source', () => {
    expect(getHeaders(stampReceived(requestWithVia('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1'), udp('192.0.2.4', 5060)), 'via')[0]).toContain(';received=192.0.2.4');
    const same = requestWithVia('SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1');
    expect(stampReceived(same, udp('192.0.2.4', 5060))).toBe(same);
    const v6 = requestWithVia('SIP/2.0/UDP [2001:db8:0::1];branch=z9hG4bK1');
    expect(stampReceived(v6, udp('2001:db8::1', 5060))).toBe(v6);
  });

  it('fills a bare rport with the source port and always adds received then', () => {
    const stamped = stampReceived(requestWithVia('SIP/2.0/UDP 192.0.2.4:5060;rport;branch=z9hG4bK1'), udp('192.0.2.4', 61000));
    expect(getHeaders(stamped, 'via')[0]).toBe('SIP/2.0/UDP 192.0.2.4:5060;rport=61000;branch=z9hG4bK1;received=192.0.2.4');
  });

  it('touches only the top Via value, even when several share a line', () => {
    const stamped = stampReceived(requestWithVia('SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2', 'SIP/2.0/UDP c.example.com'), udp('192.0.2.7', 5060));
    expect(getHeaders(stamped, 'via')).toEqual(['SIP/2.0/UDP a.example.com;branch=z9hG4bK1;received=192.0.2.7, SIP/2.0/UDP b.example.com;branch=z9hG4bK2', 'SIP/2.0/UDP c.example.com']);
  });
});

describe('response destinations (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('over TCP, uses the connection the request came on', () => {
    const source: MessageSource = { protocol: 'tcp', address: '192.0.2.4', port: 40000, connectionId: 'tcp-7' };
    expect(responseDestination(via('SIP/2.0/TCP pc.example.com;received=192.0.2.4'), source)).toEqual({ protocol: 'tcp', address: '192.0.2.4', port: 5060, connectionId: 'tcp-7' });
    expect(responseDestination(via('SIP/2.0/TCP 192.0.2.4:5070'), undefined)).toEqual({ protocol: 'tcp', address: '192.0.2.4', port: 5070 });
  });

  it('over UDP, uses maddr, then received with rport, then received with the sent-by port, then sent-by', () => {
    expect(responseDestination(via('SIP/2.0/UDP h:5070;maddr=239.255.255.1;received=192.0.2.4'), undefined)).toEqual({ protocol: 'udp', address: '239.255.255.1', port: 5070 });
    expect(responseDestination(via('SIP/2.0/UDP h:5070;rport=61000;received=192.0.2.4'), undefined)).toEqual({ protocol: 'udp', address: '192.0.2.4', port: 61000 });
    expect(responseDestination(via('SIP/2.0/UDP h;received=192.0.2.4'), undefined)).toEqual({ protocol: 'udp', address: '192.0.2.4', port: 5060 });
    expect(responseDestination(via('SIP/2.0/UDP [::1]:5080'), undefined)).toEqual({ protocol: 'udp', address: '::1', port: 5080 });
  });

  it('refuses a transport it does not have', () => {
    expect(() => responseDestination(via('SIP/2.0/TLS h'), undefined)).toThrow(TransportError);
  });
});
