/**
 * The transaction layer on a real transport, a raw peer on the other side of loopback: matching
 * (RFC 3261 §17.1.3, §17.2.3), 100 Trying, retransmissions on UDP, CANCEL (§9.2), the ACK of a
 * non-2xx (§17.1.1.3), timeouts and transport errors, and what reaches the TU.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../runtime/sip/builders.ts';
import { getHeader, type SipRequest, type SipResponse } from '../../runtime/sip/message.ts';
import { serializeMessage } from '../../runtime/sip/serializer.ts';
import { TransactionLayer, type ServerTransaction, type TransactionUser } from '../../runtime/sip/transaction-layer.ts';
import { SipTransport } from '../../runtime/sip/transport.ts';
import { sipUri } from '../../runtime/sip/uri.ts';
import { waitFor } from '../support/wait-for.ts';
import { callId, rawRequest, WirePeer } from '../support/wire-peer.ts';

class RecordingUser implements TransactionUser {
  readonly requests: ServerTransaction[] = [];
  readonly cancelled: ServerTransaction[] = [];
  readonly acks: SipRequest[] = [];
  readonly stray: SipResponse[] = [];
  answer: ((tx: ServerTransaction) => void) | undefined;
  onRequest(tx: ServerTransaction): void {
    this.requests.push(tx);
    this.answer?.(tx);
  }
  onCancel(invite: ServerTransaction): void {
    this.cancelled.push(invite);
  }
  onAck(ack: SipRequest): void {
    this.acks.push(ack);
  }
  onStrayResponse(response: SipResponse): void {
    this.stray.push(response);
  }
}

let transport: SipTransport;
let layer: TransactionLayer;
let user: RecordingUser;
let peer: WirePeer;

beforeEach(async () => {
  transport = await SipTransport.listen({ host: '127.0.0.1' });
  layer = new TransactionLayer(transport, { timers: { t1: 20, t2: 80, t4: 100 } });
  user = new RecordingUser();
  layer.attach(user);
  peer = await WirePeer.open('udp', transport.port);
});

afterEach(async () => {
  peer.close();
  layer.close();
  await transport.close();
});

const statuses = (id: string) => peer.received.filter((r) => r.raw.includes(`Call-ID: ${id}`)).map((r) => r.status);

function invite(id: string, branch?: string): string {
  return rawRequest({ method: 'INVITE', uri: 'sip:friends@cpm.example.net', peer, callId: id, ...(branch === undefined ? {} : { branch }), headers: ['Contact: <sip:s@127.0.0.1>'] });
}

describe('the INVITE server transaction', () => {
  it('answers 100 Trying at once, and a retransmitted INVITE reaches the TU only once (§17.2.1, §17.2.3)', async () => {
    const id = callId();
    peer.send(invite(id));
    await waitFor(() => (statuses(id).length === 1 ? true : undefined), '100 Trying', 2000);
    peer.send(invite(id));
    await waitFor(() => (statuses(id).length === 2 ? true : undefined), '100 Trying again', 2000);
    expect(statuses(id)).toEqual([100, 100]);
    expect(user.requests).toHaveLength(1);
  });

  it('retransmits a 300-699 over UDP until the ACK, which it absorbs (§17.2.1)', async () => {
    user.answer = (tx) => tx.respond(createResponse(tx.request, 486, { toTag: 'x' }));
    const id = callId();
    peer.send(invite(id));
    await waitFor(() => (statuses(id).filter((s) => s === 486).length >= 3 ? true : undefined), 'three 486s', 2000);
    peer.send(rawRequest({ method: 'ACK', uri: 'sip:friends@cpm.example.net', peer, callId: id, to: '<sip:friends@cpm.example.net>;tag=x' }));
    await waitFor(() => (layer.stats.live === 0 ? true : undefined), 'the transaction to end after Timer I', 2000);
    expect(user.acks).toEqual([]);
  });

  it('passes the ACK of a 2xx, which has its own branch, to the TU (§17.1.1.3)', async () => {
    user.answer = (tx) => tx.respond(createResponse(tx.request, 200, { toTag: 'y' }));
    const id = callId();
    peer.send(invite(id));
    await waitFor(() => (statuses(id).includes(200) ? true : undefined), '200', 2000);
    peer.send(rawRequest({ method: 'ACK', uri: 'sip:cf@127.0.0.1', peer, callId: id, branch: 'z9hG4bK-ack-of-2xx', to: '<sip:friends@cpm.example.net>;tag=y' }));
    await waitFor(() => (user.acks.length === 1 ? true : undefined), 'the ACK at the TU', 2000);
  });
});

describe('CANCEL (RFC 3261 §9.2)', () => {
  it('is answered 200 by the layer, which tells the TU about an INVITE still unanswered', async () => {
    const id = callId();
    peer.send(invite(id, 'z9hG4bK-to-cancel'));
    await waitFor(() => (user.requests.length === 1 ? true : undefined), 'the INVITE at the TU', 2000);
    peer.send(rawRequest({ method: 'CANCEL', uri: 'sip:friends@cpm.example.net', peer, callId: id, branch: 'z9hG4bK-to-cancel' }));
    const answer = await peer.finalResponse(id, 'CANCEL');
    expect(answer.status).toBe(200);
    expect(user.cancelled).toEqual([user.requests[0]]);
  });

  it('has no effect on an INVITE already answered, and gets 481 when it matches nothing', async () => {
    user.answer = (tx) => tx.respond(createResponse(tx.request, 486));
    const id = callId();
    peer.send(invite(id, 'z9hG4bK-answered'));
    await waitFor(() => (statuses(id).includes(486) ? true : undefined), '486', 2000);
    peer.send(rawRequest({ method: 'CANCEL', uri: 'sip:friends@cpm.example.net', peer, callId: id, branch: 'z9hG4bK-answered' }));
    expect((await peer.finalResponse(id, 'CANCEL')).status).toBe(200);
    expect(user.cancelled).toEqual([]);
    const other = callId();
    peer.send(rawRequest({ method: 'CANCEL', uri: 'sip:friends@cpm.example.net', peer, callId: other }));
    expect((await peer.finalResponse(other, 'CANCEL')).status).toBe(481);
  });
});

describe('client transactions', () => {
  function request(method: string, id: string): SipRequest {
    return createRequest({
      method,
      uri: sipUri({ user: 'alice', host: '127.0.0.1', port: peer.port }),
      from: { displayName: null, uri: sipUri({ user: 'cf', host: '127.0.0.1' }), params: [] },
      to: { displayName: null, uri: sipUri({ user: 'alice', host: '127.0.0.1' }), params: [] },
      callId: id,
      cseq: 1,
      via: { transport: 'UDP', host: '127.0.0.1', port: transport.port, branch: layer.newBranch() },
      contact: { displayName: null, uri: sipUri({ user: 'cf', host: '127.0.0.1', port: transport.port }), params: [] },
    });
  }
  const destination = () => ({ protocol: 'udp' as const, address: '127.0.0.1', port: peer.port });

  it('retransmit a request over UDP until answered, and pass the answer up once (§17.1.2.2)', async () => {
    const responses: number[] = [];
    const id = callId();
    layer.sendRequest(request('OPTIONS', id), destination(), { onResponse: (r) => responses.push(r.status), onTimeout: () => undefined, onTransportError: () => undefined });
    const copies = () => peer.received.filter((r) => r.raw.startsWith('OPTIONS'));
    await waitFor(() => (copies().length >= 3 ? true : undefined), 'three copies of the request', 2000);
    const options = copies()[0]!.message!;
    peer.send(serializeMessage(createResponse(options, 200)), transport.port);
    peer.send(serializeMessage(createResponse(options, 200)), transport.port);
    await waitFor(() => (responses.length === 1 ? true : undefined), 'the 200 at the TU', 2000);
    await waitFor(() => (layer.stats.live === 0 ? true : undefined), 'Timer K', 2000);
    expect(responses).toEqual([200]);
  });

  it('ACK a 300-699 to an INVITE with the INVITE\'s branch and the response\'s To (§17.1.1.3)', async () => {
    const id = callId();
    const sent = request('INVITE', id);
    layer.sendRequest(sent, destination(), { onResponse: () => undefined, onTimeout: () => undefined, onTransportError: () => undefined });
    const received = await peer.waitFor((m) => m.kind === 'request' && m.method === 'INVITE', 'the INVITE');
    peer.send(serializeMessage(createResponse(received.message, 603, { toTag: 'declined' })), transport.port);
    const ack = (await peer.waitFor((m) => m.kind === 'request' && m.method === 'ACK', 'the ACK')).message;
    expect(getHeader(ack, 'via')).toBe(getHeader(sent, 'via'));
    expect(getHeader(ack, 'to')).toBe(`${getHeader(sent, 'to')};tag=declined`);
    expect(getHeader(ack, 'cseq')).toBe('1 ACK');
  });

  it('report a timeout when nobody answers (Timer B), and a transport error when TCP cannot connect', async () => {
    const outcomes: string[] = [];
    const handlers = { onResponse: () => outcomes.push('response'), onTimeout: () => outcomes.push('timeout'), onTransportError: () => outcomes.push('transport error') };
    layer.sendRequest(request('INVITE', callId()), destination(), handlers);
    await waitFor(() => (outcomes.includes('timeout') ? true : undefined), 'Timer B', 5000);
    const tcp = request('INVITE', callId());
    tcp.headers[0] = { ...tcp.headers[0]!, value: tcp.headers[0]!.value.replace('SIP/2.0/UDP', 'SIP/2.0/TCP') };
    layer.sendRequest(tcp, { protocol: 'tcp', address: '127.0.0.1', port: 9 }, handlers);
    await waitFor(() => (outcomes.includes('transport error') ? true : undefined), 'the transport error', 5000);
    expect(outcomes).toEqual(['timeout', 'transport error']);
  });

  it('hand a response that matches no transaction to the TU as stray (§17.1.3)', async () => {
    const id = callId();
    const stray = createResponse(request('INVITE', id), 200, { toTag: 'late' });
    peer.send(serializeMessage(stray), transport.port);
    await waitFor(() => (user.stray.length === 1 ? true : undefined), 'the stray response', 2000);
    expect(getHeader(user.stray[0]!, 'call-id')).toBe(id);
  });
});
