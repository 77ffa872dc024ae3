/**
 * SEND-1 over loopback TCP: the originator's chunks reach every member byte for byte, each leg
 * with its own To-Path, From-Path and transaction-ids, and the originator gets one REPORT once all
 * members have the message (open question 11).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FramerPeer } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { RawMember } from '../support/raw-msrp-member.ts';
import { eventually, media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('SEND-1: the originator\'s message reaches every member', () => {
  let relay: TestRelay | undefined;
  const peers: { destroy(): void }[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  it('relays a 50 MB file in 64 KiB chunks to 5 members, each copy byte-exact (SHA-256), one member read without our framer', async () => {
    relay = await startTestRelay({ memorySpoolBytes: 8 << 20 });
    const host = new MachineSessionHost(relay.relay);
    const members = await Promise.all([0, 1, 2, 3].map(() => FramerPeer.listen()));
    const raw = await RawMember.listen();
    peers.push(...members, raw);
    host.answerOriginator(media(host.uriOf('originator')));
    members.forEach((member, leg) => host.memberAccepts(leg, media(member.uri)));
    host.memberAccepts(4, media(raw.uri));
    const originator = await FramerPeer.connect(host.uriOf('originator'));
    peers.push(originator);
    host.originatorAcks();

    const body = randomBytes(50 << 20);
    const messageId = 'file50mb0001';
    const sent = await originator.send(host.uriOf('originator'), body, { messageId, chunkBytes: 64 << 10, successReport: 'yes' });

    for (const member of members) {
      expect(await member.until(() => member.messages.get(messageId)?.sha256)).toBe(sha256(body));
      expect(member.errors).toEqual([]);
    }
    expect(await eventually('the raw member\'s copy', () => raw.messages.get(messageId)?.sha256)).toBe(sha256(body));
    expect(raw.problems).toEqual([]);

    // RFC 4975 §7.2: every chunk is answered hop by hop.
    const answers = await Promise.all(sent.map((transactionId) => originator.response(transactionId)));
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 200));
    // Open question 11: one REPORT, once every member has the message.
    const report = await originator.until(() => originator.reports[0]);
    expect(report.headers.messageId).toBe(messageId);
    expect(report.headers.status).toEqual({ namespace: '000', code: 200, comment: 'delivered to 5 of 5 members' });
    expect(report.headers.byteRange).toEqual({ start: 1, end: body.length, total: body.length });

    // Each leg's copy: the originator's ranges, in order, under the leg's own addresses and ids.
    const ranges = sent.map((_, i) => `${i * (64 << 10) + 1}-${Math.min(body.length, (i + 1) * (64 << 10))}/${body.length}`);
    const originatorIds = new Set(sent);
    members.forEach((member, leg) => {
      const chunks = member.chunks.filter((c) => c.messageId === messageId);
      expect(chunks.map((c) => `${c.byteRange?.start}-${c.byteRange?.end}/${c.byteRange?.total}`)).toEqual(ranges);
      expect(chunks.every((c) => !originatorIds.has(c.transactionId))).toBe(true);
      expect(new Set(chunks.map((c) => c.fromPath))).toEqual(new Set([`127.0.0.1:${new URL(host.focus.authority.replace('msrp', 'http')).port}/${host.focus.sessionId}-m${leg}`]));
      expect(new Set(chunks.map((c) => c.toPath)).size).toBe(1);
      expect(chunks.at(-1)?.flag).toBe('$');
    });
    expect(raw.sends.filter((s) => s.messageId === messageId).map((s) => s.byteRange)).toEqual(ranges);
  });
});
