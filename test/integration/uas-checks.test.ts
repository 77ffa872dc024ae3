/**
 * What the CF answers as a UAS before any session logic (RFC 3261 §8.2, §12.2.2): OPTIONS, 405, 416,
 * 420, 400, 415, 483, 481, 503 at the session limit — and where requests towards members go when an
 * outbound proxy is configured (§8.1.2).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponse } from '../../runtime/sip/builders.ts';
import { getHeader, getHeaders, type SipMessage } from '../../runtime/sip/message.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import { startTestCf, type TestCf } from '../support/cf-harness.ts';
import { SENDER } from '../support/groups.ts';
import { originatorOfferSdp } from '../support/originator.ts';
import { callId, rawRequest, WirePeer, type Received } from '../support/wire-peer.ts';
import type { Transport } from '../support/sip-peer.ts';

const FRIENDS = 'sip:friends@cpm.example.net';

function status(message: SipMessage): number {
  return message.kind === 'response' ? message.status : 0;
}

function inviteHeaders(peer: WirePeer, extra: string[] = []): string[] {
  return [`Contact: <sip:sender@${peer.sentBy}>`, `P-Asserted-Identity: <${SENDER}>`, ...extra];
}

describe.each<Transport>(['udp', 'tcp'])('UAS checks over %s', (transport) => {
  let cf: TestCf;
  let peer: WirePeer;
  beforeAll(async () => {
    cf = await startTestCf([{ uri: FRIENDS, members: ['sip:alice@127.0.0.1:9'] }]);
    peer = await WirePeer.open(transport, cf.cf.sipPort);
  });
  afterAll(async () => {
    peer.close();
    await cf.close();
  });

  async function answer(method: string, options: { uri?: string; to?: string; headers?: string[]; body?: string } = {}) {
    const id = callId();
    peer.send(rawRequest({ method, uri: options.uri ?? 'sip:cpm-cf@127.0.0.1', peer, callId: id, ...options }));
    return (await peer.finalResponse(id, method)).message;
  }

  it('OPTIONS: 200 with Allow, Accept and Supported (RFC 3261 §11.2)', async () => {
    const response = await answer('OPTIONS');
    expect(status(response)).toBe(200);
    expect(getHeader(response, 'allow')).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE');
    expect(getHeader(response, 'accept')).toBe('application/sdp');
    expect(getHeader(response, 'supported')).toBe('timer');
  });

  it('an unsupported method: 405 with Allow (§8.2.1)', async () => {
    const response = await answer('MESSAGE');
    expect(status(response)).toBe(405);
    expect(getHeader(response, 'allow')).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE');
  });

  it('a Request-URI of another scheme: 416 (§8.2.2.1)', async () => {
    expect(status(await answer('INVITE', { uri: 'tel:+15551234567', headers: inviteHeaders(peer) }))).toBe(416);
  });

  it('an option tag the CF does not support in Require: 420 with Unsupported (§8.2.2.3)', async () => {
    const response = await answer('OPTIONS', { headers: ['Require: timer, newfeature1'] });
    expect(status(response)).toBe(420);
    expect(getHeader(response, 'unsupported')).toBe('newfeature1');
  });

  it('a header against its grammar: 400 naming the fault (§21.4.1)', async () => {
    const response = await answer('OPTIONS', { headers: ['Session-Expires: soon'] });
    expect(status(response)).toBe(400);
  });

  it('BYE and UPDATE outside any dialog, or in a dialog the CF does not know: 481 (§12.2.2)', async () => {
    expect(status(await answer('BYE'))).toBe(481);
    expect(status(await answer('UPDATE', { to: '<sip:cpm-cf@127.0.0.1>;tag=unknown' }))).toBe(481);
    expect(status(await answer('BYE', { to: '<sip:cpm-cf@127.0.0.1>;tag=unknown' }))).toBe(481);
  });

  it('a CANCEL that matches no transaction: 481 (§9.2)', async () => {
    expect(status(await answer('CANCEL'))).toBe(481);
  });

  it('an INVITE with a body that is not SDP: 415 with Accept (§8.2.3)', async () => {
    const response = await answer('INVITE', { uri: FRIENDS, headers: [...inviteHeaders(peer), 'Content-Type: text/plain'], body: 'hello' });
    expect([status(response), getHeader(response, 'accept')]).toEqual([415, 'application/sdp']);
  });

  it('an INVITE whose SDP is not SDP: 400 Malformed SDP', async () => {
    const response = await answer('INVITE', { uri: FRIENDS, headers: [...inviteHeaders(peer), 'Content-Type: application/sdp'], body: 'hello\r\n' });
    expect(response.kind === 'response' && [response.status, response.reason]).toEqual([400, 'Malformed SDP']);
  });

  it('an INVITE without Contact: 400 (§8.1.1.8)', async () => {
    const response = await answer('INVITE', { uri: FRIENDS, headers: [`P-Asserted-Identity: <${SENDER}>`, 'Content-Type: application/sdp'], body: originatorOfferSdp() });
    expect(status(response)).toBe(400);
  });

  it('an INVITE with Max-Forwards 0, which the CF would have to forward to every member: 483 (§16.3)', async () => {
    const id = callId();
    const text = rawRequest({ method: 'INVITE', uri: FRIENDS, peer, callId: id, headers: [...inviteHeaders(peer), 'Content-Type: application/sdp'], body: originatorOfferSdp() }).replace('Max-Forwards: 70', 'Max-Forwards: 0');
    peer.send(text);
    expect(status((await peer.finalResponse(id)).message)).toBe(483);
  });
});

/** A UDP socket that plays a member (or proxy) which never answers unless told to. */
function silentUdp(): Promise<WirePeer> {
  return WirePeer.open('udp', 0);
}

function respond(peer: WirePeer, request: Received & { message: SipMessage }, code: number): void {
  peer.send(serializeMessage(createResponse(request.message, code)), request.fromPort);
}

describe('the session limit', () => {
  it('answers an INVITE beyond --max-sessions with 503 and Retry-After', async () => {
    const member = await silentUdp();
    const cf = await startTestCf([{ uri: FRIENDS, members: [`sip:alice@${member.sentBy}`] }], { maxSessions: 1, retryAfterSeconds: 7 });
    const peer = await WirePeer.open('udp', cf.cf.sipPort);
    try {
      const first = callId();
      peer.send(rawRequest({ method: 'INVITE', uri: FRIENDS, peer, callId: first, headers: [...inviteHeaders(peer), 'Content-Type: application/sdp'], body: originatorOfferSdp() }));
      await member.waitFor((m) => m.kind === 'request' && m.method === 'INVITE', 'the member INVITE');
      const second = callId();
      peer.send(rawRequest({ method: 'INVITE', uri: FRIENDS, peer, callId: second, headers: [...inviteHeaders(peer), 'Content-Type: application/sdp'], body: originatorOfferSdp() }));
      const refused = (await peer.finalResponse(second)).message;
      expect([status(refused), getHeader(refused, 'retry-after')]).toEqual([503, '7']);
    } finally {
      peer.close();
      member.close();
      await cf.close();
    }
  });
});

describe('--outbound-proxy (RFC 3261 §8.1.2)', () => {
  it('sends each member INVITE to the proxy with a preloaded loose Route, the Request-URI still the member', async () => {
    const proxy = await silentUdp();
    const cf = await startTestCf([{ uri: FRIENDS, members: ['sip:alice@cpm.example.net', 'tel:+15551234567'] }], { outboundProxy: `sip:${proxy.sentBy}` });
    const peer = await WirePeer.open('udp', cf.cf.sipPort);
    try {
      const id = callId();
      peer.send(rawRequest({ method: 'INVITE', uri: FRIENDS, peer, callId: id, headers: [...inviteHeaders(peer), 'Content-Type: application/sdp'], body: originatorOfferSdp() }));
      const isInvite = (uri: string) => (m: SipMessage) => m.kind === 'request' && m.method === 'INVITE' && getHeader(m, 'to') === `<${uri}>`;
      const alice = await proxy.waitFor(isInvite('sip:alice@cpm.example.net'), 'alice INVITE');
      // Q14: a tel: member is routed through the proxy (the SIP/IP core interworks it).
      const tel = await proxy.waitFor(isInvite('tel:+15551234567'), 'tel INVITE');
      for (const invite of [alice, tel]) expect(getHeaders(invite.message, 'route')).toEqual([`<sip:${proxy.sentBy};lr>`]);
      expect(alice.message.kind === 'request' && alice.message.uri).toMatchObject({ kind: 'sip', user: 'alice', host: 'cpm.example.net' });
      respond(proxy, alice, 486);
      respond(proxy, tel, 603);
      const final = (await peer.finalResponse(id)).message;
      expect(status(final)).toBe(480);
      // RFC 3261 §17.1.1.3: the failures are ACKed back through the same hop.
      await proxy.waitFor((m) => m.kind === 'request' && m.method === 'ACK', 'ACK of the 486');
    } finally {
      peer.close();
      proxy.close();
      await cf.close();
    }
  });
});
