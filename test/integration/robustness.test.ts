/**
 * What a peer can throw at the running CF: every RFC 4475 torture message over UDP and TCP (valid
 * ones answered as a UAS should, invalid ones refused with 400/505 where an answer is possible and
 * dropped where it is not), the `Content-Length: abc` flood that takes the `sip` package down,
 * oversized input — and the CF still answering OPTIONS afterwards with its memory bounded.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tortureNames } from '../sip/fixtures.ts';
import { startTestCf, type TestCf } from '../support/cf-harness.ts';
import type { Transport } from '../support/sip-peer.ts';
import { waitFor } from '../support/wait-for.ts';
import { callId, rawRequest, WirePeer } from '../support/wire-peer.ts';
import { prepared } from './torture-wire.ts';

/**
 * The CF's final answer to each message (null: none is possible — a response, or a request missing
 * what an answer needs). Valid requests get what their method and headers call for: 405 for
 * methods the CF does not implement, 416 for unknown URI schemes, 420 for Require, 415 for an
 * unknown body, 403 (INV-1) for INVITEs to groups without an asserted identity, 481 for an INVITE
 * whose To carries a tag of no dialog.
 */
const ANSWERS: Record<string, number | null> = {
  '3.1.1.1-wsinv': 481, '3.1.1.2-intmeth': 405, '3.1.1.3-esc01': 403, '3.1.1.4-escnull': 405, '3.1.1.5-esc02': 405,
  '3.1.1.6-lwsdisp': 200, '3.1.1.7-longreq': 403, '3.1.1.8-dblreq': 405, '3.1.1.9-semiuri': 200, '3.1.1.10-transports': 200,
  '3.1.1.11-mpart01': 405, '3.1.1.12-unreason': null, '3.1.1.13-noreason': null,
  '3.1.2.1-badinv01': 400, '3.1.2.2-clerr': 400, '3.1.2.3-ncl': 400, '3.1.2.4-scalar02': 400, '3.1.2.5-scalarlg': null,
  '3.1.2.6-quotbal': 400, '3.1.2.7-ltgtruri': 400, '3.1.2.8-lwsruri': 400, '3.1.2.9-lwsstart': 400, '3.1.2.10-trws': 400,
  '3.1.2.11-escruri': 400, '3.1.2.12-baddate': 403, '3.1.2.13-regbadct': 400, '3.1.2.14-badaspec': 400, '3.1.2.15-baddn': 400,
  '3.1.2.16-badvers': 505, '3.1.2.17-mismatch01': 400, '3.1.2.18-mismatch02': 400, '3.1.2.19-bigcode': null,
  '3.2.1-badbranch': 200,
  '3.3.1-insuf': null, '3.3.2-unkscm': 416, '3.3.3-novelsc': 416, '3.3.4-unksm2': 405, '3.3.5-bext01': 420, '3.3.6-invut': 415,
  '3.3.7-regaut01': 405, '3.3.8-multi01': 400, '3.3.9-mcl01': 400, '3.3.10-bcast': null, '3.3.11-zeromf': 200,
  '3.3.12-cparam01': 405, '3.3.13-cparam02': 405, '3.3.14-regescrt': 405, '3.3.15-sdp01': 403,
  // RFC 2543 had no Contact requirement; RFC 3261 §8.1.1.8 does, so the INVITE is refused.
  '3.4-inv2543': 400,
};

/**
 * On a stream a message is framed by Content-Length (RFC 3261 §18.3): one that promises more body
 * than it carries, or never ends its header block, waits for the rest rather than being answered;
 * and RFC 2543's missing Content-Length is a framing fault.
 */
const STREAM_ANSWERS: Record<string, number | null> = { ...ANSWERS, '3.1.2.2-clerr': null, '3.1.2.15-baddn': null, '3.4-inv2543': 400 };

function finalStatus(peer: WirePeer): number | undefined {
  return peer.received.map((r) => r.status).find((s) => s !== undefined && s >= 200);
}

let cf: TestCf;
beforeAll(async () => {
  cf = await startTestCf([]);
});
afterAll(async () => {
  await cf.close();
});

async function answersOptions(transport: Transport): Promise<void> {
  const peer = await WirePeer.open(transport, cf.cf.sipPort);
  const id = callId();
  peer.send(rawRequest({ method: 'OPTIONS', uri: 'sip:cpm-cf@127.0.0.1', peer, callId: id }));
  expect((await peer.finalResponse(id, 'OPTIONS')).status).toBe(200);
  peer.close();
}

describe.each<[Transport, Record<string, number | null>]>([
  ['udp', ANSWERS],
  ['tcp', STREAM_ANSWERS],
])('RFC 4475 torture messages over %s', (transport, answers) => {
  it('covers every message of the fixtures', () => {
    expect(Object.keys(answers).sort()).toEqual(tortureNames().sort());
  });

  for (const name of tortureNames()) {
    const expected = answers[name];
    it(`${name}: ${expected === null ? 'no answer is possible, and none comes' : `answered ${expected}`}`, async () => {
      const peer = await WirePeer.open(transport, cf.cf.sipPort);
      try {
        peer.send(prepared(name, peer));
        if (expected !== null) {
          expect(await waitFor(() => finalStatus(peer), `the answer to ${name}`, 3000)).toBe(expected);
          return;
        }
        // Anything the CF sent for the message would have left before its answer to a later OPTIONS
        // from the same socket; on a stream the message may still be waiting for bytes, so a fresh
        // connection asks.
        const probe = transport === 'udp' ? peer : await WirePeer.open(transport, cf.cf.sipPort);
        const id = callId();
        probe.send(rawRequest({ method: 'OPTIONS', uri: 'sip:cpm-cf@127.0.0.1', peer: probe, callId: id }));
        await probe.finalResponse(id, 'OPTIONS');
        expect(peer.received.filter((r) => !r.raw.includes(id))).toEqual([]);
        if (probe !== peer) probe.close();
      } finally {
        peer.close();
      }
    });
  }

  it('still answers OPTIONS afterwards', async () => {
    await answersOptions(transport);
  });
});

/** Writes `total` bytes of junk after `head` honouring backpressure, until done or the CF closes the connection. */
async function flood(head: string, total: number): Promise<{ received: string; written: number }> {
  const socket = connect({ port: cf.cf.sipPort, host: '127.0.0.1' });
  await once(socket, 'connect');
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const gone = new Promise<void>((resolve) => socket.once('close', () => { closed = true; resolve(); }));
  const junk = Buffer.alloc(64 * 1024, 'a');
  let written = 0;
  socket.write(head);
  while (!closed && written < total) {
    written += junk.length;
    if (!socket.write(junk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), gone]);
  }
  await gone;
  return { received, written };
}

describe('floods and oversized input', () => {
  it('a TCP peer sending "Content-Length: abc" and then junk gets 400 and loses its connection; memory stays bounded', async () => {
    const before = process.memoryUsage().heapUsed;
    const head = 'INVITE sip:friends@cpm.example.net SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-flood\r\nMax-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:friends@cpm.example.net>\r\nCall-ID: flood\r\nCSeq: 1 INVITE\r\nContent-Length: abc\r\n\r\n';
    const { received, written } = await flood(head, 64 * 1024 * 1024);
    expect(received).toMatch(/^SIP\/2\.0 400 Bad Content-Length\r\n/);
    // The CF stopped reading at the fault: TCP flow control kept the peer from pushing the 64 MiB.
    expect(written).toBeLessThan(64 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 * 1024);
    await waitFor(() => (cf.cf.stats().sipConnections === 0 ? true : undefined), 'the connection to be dropped', 3000);
    await answersOptions('tcp');
  });

  it('a header block beyond the limit: 513 and the connection closed', async () => {
    const head = `OPTIONS sip:cpm-cf@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-big\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:cpm-cf@127.0.0.1>\r\nCall-ID: big\r\nCSeq: 1 OPTIONS\r\nX-Filler: `;
    const { received } = await flood(head, 8 * 1024 * 1024);
    expect(received).toMatch(/^SIP\/2\.0 513 /);
    await answersOptions('tcp');
  });

  it('a Content-Length beyond the body limit: 513 before any body is read', async () => {
    const head = 'OPTIONS sip:cpm-cf@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-body\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:cpm-cf@127.0.0.1>\r\nCall-ID: body\r\nCSeq: 1 OPTIONS\r\nContent-Length: 100000000\r\n\r\n';
    const { received } = await flood(head, 8 * 1024 * 1024);
    expect(received).toMatch(/^SIP\/2\.0 513 Message Body Too Large\r\n/);
    await answersOptions('tcp');
  });

  it('datagrams of junk and of maximal size are dropped, and UDP keeps answering', async () => {
    const peer = await WirePeer.open('udp', cf.cf.sipPort);
    try {
      peer.send(Buffer.alloc(65_000, 0xff));
      peer.send(Buffer.from('\u0000\u0001 not SIP at all'));
      peer.send(`INVITE sip:x@y SIP/2.0\r\n${'X-A: b\r\n'.repeat(8000)}\r\n`);
      const id = callId();
      peer.send(rawRequest({ method: 'OPTIONS', uri: 'sip:cpm-cf@127.0.0.1', peer, callId: id }));
      await peer.finalResponse(id, 'OPTIONS');
      expect(peer.received.filter((r) => !r.raw.includes(id))).toEqual([]);
    } finally {
      peer.close();
    }
  });
});
