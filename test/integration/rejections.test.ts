/**
 * INV-1 … INV-6 and the other refusals of an initial INVITE, on the wire: each answer is compared
 * byte for byte (status line, headers in order, Warning, Error-Info, Min-SE, Retry-After), over UDP
 * and TCP, against the CR's wording as docs/spec-findings.md reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CPM_LARGE_MESSAGE_ICSI } from '../../machines/group.ts';
import { startTestCf, type TestCf } from '../support/cf-harness.ts';
import { SENDER } from '../support/groups.ts';
import { startHeldXdms } from '../support/held-xdms.ts';
import { originatorOfferSdp } from '../support/originator.ts';
import { waitFor } from '../support/wait-for.ts';
import { callId, rawRequest, WirePeer, type Received } from '../support/wire-peer.ts';
import type { Transport } from '../support/sip-peer.ts';

const FRIENDS = 'sip:friends@cpm.example.net';
const UA = 'CPM-client/OMA1.0 test/1';
const ERROR_INFO = 'https://cpm.example.net/cpm-cf/user-agent-not-supported.html';

const groups = [
  { uri: FRIENDS, members: ['sip:alice@127.0.0.1:9', 'sip:bob@127.0.0.1:9'] },
  { uri: 'sip:no-cpm@cpm.example.net', members: ['sip:alice@127.0.0.1:9'], services: ['urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg'] },
  { uri: 'sip:empty@cpm.example.net', members: [], services: [CPM_LARGE_MESSAGE_ICSI] },
];

interface Invite {
  readonly group?: string;
  readonly pai?: string | null;
  readonly userAgent?: string;
  readonly headers?: readonly string[];
  readonly sdp?: string;
}

/** Sends an INVITE from `peer` and returns the final answer, with its To tag masked, after ACKing it. */
async function invite(peer: WirePeer, options: Invite = {}): Promise<{ text: string; received: Received }> {
  const id = callId();
  const group = options.group ?? FRIENDS;
  const pai = options.pai === undefined ? SENDER : options.pai;
  const sdp = options.sdp ?? originatorOfferSdp();
  const headers = [
    `Contact: <sip:sender@${peer.sentBy}${peer.transport === 'tcp' ? ';transport=tcp' : ''}>`,
    ...(pai === null ? [] : [`P-Asserted-Identity: <${pai}>`]),
    `User-Agent: ${options.userAgent ?? UA}`,
    ...(options.headers ?? []),
    'Content-Type: application/sdp',
  ];
  peer.send(rawRequest({ method: 'INVITE', uri: group, peer, callId: id, headers, body: sdp }));
  const received = await peer.finalResponse(id);
  const to = /^To: (.*)$/m.exec(received.raw)?.[1] ?? '';
  // RFC 3261 §17.1.1.3: the ACK of a non-2xx reuses the INVITE's branch and the response's To.
  peer.send(rawRequest({ method: 'ACK', uri: group, peer, callId: id, to, branch: `z9hG4bK-${id}` }));
  return { text: received.raw.replace(/^(To: .*;tag=)[^\r\n;]+/m, '$1TAG'), received };
}

function expected(peer: WirePeer, cfPort: number, id: string, status: string, group: string, extra: string[]): string {
  const transport = peer.transport.toUpperCase();
  return [
    `SIP/2.0 ${status}`,
    `Via: SIP/2.0/${transport} ${peer.sentBy};rport=${peer.port};branch=z9hG4bK-${id};received=127.0.0.1`,
    'From: <sip:sender@127.0.0.1>;tag=s1',
    `To: <${group}>;tag=TAG`,
    `Call-ID: ${id}`,
    'CSeq: 1 INVITE',
    'Server: CPM-serv/OMA1.0',
    ...extra.map((line) => line.replace('$CF', `127.0.0.1:${cfPort}`)),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function callIdOf(received: Received): string {
  return /^Call-ID: (.*)$/m.exec(received.raw)?.[1] ?? '';
}

describe.each<Transport>(['udp', 'tcp'])('rejections of the initial INVITE over %s', (transport) => {
  let cf: TestCf;
  let peer: WirePeer;
  beforeAll(async () => {
    cf = await startTestCf(groups, { requireUa: ['CPM-client/OMA1.0'] });
    peer = await WirePeer.open(transport, cf.cf.sipPort);
  });
  afterAll(async () => {
    peer.close();
    await cf.close();
  });

  const cases: [string, Invite, string, string, string[]][] = [
    ['INV-1: without a P-Asserted-Identity nobody is authorized', { pai: null }, '403 Forbidden', FRIENDS, ['Warning: 399 $CF "Service not authorised"']],
    ['INV-1: an originator the rules do not name', { pai: 'sip:mallory@elsewhere.example.org' }, '403 Forbidden', FRIENDS, ['Warning: 399 $CF "Service not authorised"']],
    ['INV-1 / Q1: a group that does not exist answers like a forbidden one', { group: 'sip:nobody@cpm.example.net' }, '403 Forbidden', 'sip:nobody@cpm.example.net', ['Warning: 399 $CF "Service not authorised"']],
    ['INV-2: a group without the Large Message Mode service', { group: 'sip:no-cpm@cpm.example.net' }, '404 Not Found', 'sip:no-cpm@cpm.example.net', []],
    ['INV-4: a User-Agent outside the required versions', { userAgent: 'CPM-client/OMA0.9' }, '403 Forbidden', FRIENDS, [`Error-Info: <${ERROR_INFO}>`]],
    ['INV-5: anonymity the group does not allow', { headers: ['Privacy: id'] }, '403 Forbidden', FRIENDS, ['Warning: 399 $CF "Anonymity not allowed"']],
    ['INV-6: a session interval below the minimum', { headers: ['Session-Expires: 60', 'Supported: timer'] }, '422 Session Interval Too Small', FRIENDS, ['Min-SE: 90']],
    ['INV-6: a Min-SE above the CF\'s minimum raises the floor', { headers: ['Session-Expires: 100', 'Min-SE: 120', 'Supported: timer'] }, '422 Session Interval Too Small', FRIENDS, ['Min-SE: 120']],
    ['488: an offer without MSRP media', { sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n' }, '488 Not Acceptable Here', FRIENDS, ['Warning: 399 $CF "No MSRP media offered"']],
    ['Q7: a group with nobody to invite', { group: 'sip:empty@cpm.example.net' }, '480 Temporarily Unavailable', 'sip:empty@cpm.example.net', ['Warning: 399 $CF "No member to invite"']],
  ];

  for (const [name, options, status, group, extra] of cases) {
    it(`${name}: ${status}`, async () => {
      const { text, received } = await invite(peer, options);
      expect(text).toBe(expected(peer, cf.cf.sipPort, callIdOf(received), status, group, extra));
    });
  }

  it('sends 100 Trying before its final answer (RFC 3261 §17.2.1)', async () => {
    const { received } = await invite(peer, { pai: null });
    const id = callIdOf(received);
    const statuses = peer.received.filter((r) => callIdOf(r) === id).map((r) => r.status);
    expect(statuses[0]).toBe(100);
  });
});

describe('INV-1 with P-Asserted-Identity from an untrusted hop (open question 3)', () => {
  it('answers 403 Service not authorised, as if none was sent', async () => {
    const cf = await startTestCf(groups, { trusted: ['192.0.2.1'] });
    const peer = await WirePeer.open('udp', cf.cf.sipPort);
    try {
      const { text, received } = await invite(peer);
      expect(text).toBe(expected(peer, cf.cf.sipPort, callIdOf(received), '403 Forbidden', FRIENDS, ['Warning: 399 $CF "Service not authorised"']));
    } finally {
      peer.close();
      await cf.close();
    }
  });
});

describe('a CANCEL while the CF waits for the group (open question 8)', () => {
  it('answers 487, and the session it releases abandons its XCAP request', async () => {
    const xdms = await startHeldXdms();
    // A deadline far beyond the test's waits: only the release can close the request in time.
    const cf = await startTestCf(groups, { xdmsUrl: xdms.url, xdmsTimeoutMs: 60_000 });
    const peer = await WirePeer.open('udp', cf.cf.sipPort);
    try {
      const id = callId();
      peer.send(rawRequest({ method: 'INVITE', uri: FRIENDS, peer, callId: id, headers: [`Contact: <sip:sender@${peer.sentBy}>`, `P-Asserted-Identity: <${SENDER}>`, `User-Agent: ${UA}`, 'Content-Type: application/sdp'], body: originatorOfferSdp() }));
      await waitFor(() => xdms.held === 1 || undefined, 'the XCAP GET of the group', 3000);
      peer.send(rawRequest({ method: 'CANCEL', uri: FRIENDS, peer, callId: id }));
      expect((await peer.finalResponse(id, 'CANCEL')).status).toBe(200);
      expect((await peer.finalResponse(id)).status).toBe(487);
      // Left open, the request would hold a connection and a deadline timer until the XDMS answered.
      await waitFor(() => xdms.abandoned === 1 || undefined, 'the XCAP request abandoned', 3000);
      expect(xdms.held).toBe(0);
    } finally {
      peer.close();
      await cf.close();
      await xdms.close();
    }
  });
});

describe('an XDMS that cannot be reached (open question 1)', () => {
  it('answers 503 with Retry-After, never hangs', async () => {
    const cf = await startTestCf(groups, { xdmsUrl: 'http://127.0.0.1:9/', xdmsTimeoutMs: 1000 });
    const peer = await WirePeer.open('udp', cf.cf.sipPort);
    try {
      const { text, received } = await invite(peer);
      expect(text).toBe(expected(peer, cf.cf.sipPort, callIdOf(received), '503 Service Unavailable', FRIENDS, ['Warning: 399 $CF "Group document unavailable"', 'Retry-After: 10']));
    } finally {
      peer.close();
      await cf.close();
    }
  });
});
