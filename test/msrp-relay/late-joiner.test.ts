/**
 * Open question 6: a member that accepts after the first SENDs still receives the whole message
 * from its first byte, whether it joins while the message is arriving or after the others have it,
 * and whether the CF connects to it or it connects to the CF (RFC 6135 a=setup:active).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FramerPeer } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('open question 6: late joiners get the whole message', () => {
  let relay: TestRelay | undefined;
  const peers: FramerPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  async function session(): Promise<{ host: MachineSessionHost; originator: FramerPeer; first: FramerPeer }> {
    relay = await startTestRelay({ memorySpoolBytes: 1 << 20 });
    const host = new MachineSessionHost(relay.relay);
    const first = await FramerPeer.listen();
    peers.push(first);
    host.answerOriginator(media(host.uriOf('originator')));
    host.memberAccepts(0, media(first.uri));
    const originator = await FramerPeer.connect(host.uriOf('originator'));
    peers.push(originator);
    host.originatorAcks();
    return { host, originator, first };
  }

  it('a member accepting after the whole message was delivered and reported starts at byte 0 (the CF connects to it)', async () => {
    const { host, originator, first } = await session();
    const body = randomBytes(6 << 20);
    await originator.send(host.uriOf('originator'), body, { messageId: 'early0001', chunkBytes: 256 << 10, successReport: 'yes' });
    expect(await first.until(() => first.messages.get('early0001')?.sha256)).toBe(sha256(body));
    const report = await originator.until(() => originator.reports[0]);
    expect(report.headers.status?.comment).toBe('delivered to 1 of 1 members');

    const late = await FramerPeer.listen();
    peers.push(late);
    host.memberAccepts(1, media(late.uri));
    expect(await late.until(() => late.messages.get('early0001')?.sha256)).toBe(sha256(body));
    expect(late.chunks[0]?.byteRange?.start).toBe(1);
    expect(late.errors).toEqual([]);
  });

  it('a member accepting mid-message, connecting itself (a=setup:active), gets it all and holds the REPORT back until it has it', async () => {
    const { host, originator, first } = await session();
    const body = randomBytes(8 << 20);
    const half = body.length / 2;
    const message = { messageId: 'midway0001', chunkBytes: 128 << 10, successReport: 'yes' as const };
    await originator.send(host.uriOf('originator'), body, { ...message, part: { from: 0, to: half } });
    await first.until(() => ((first.messages.get('midway0001')?.bytes ?? 0) >= half ? true : undefined));

    host.memberAccepts(1, media('msrp://127.0.0.1:1/activemember;tcp', { setup: 'active' }));
    const late = await FramerPeer.connect(host.uriOf(1));
    peers.push(late);
    // RFC 4975 §5.4: the active member binds with a SEND, possibly empty.
    expect((await late.bind(host.uriOf(1))).status).toBe(200);
    await originator.send(host.uriOf('originator'), body, { ...message, part: { from: half, to: body.length } });

    expect(await late.until(() => late.messages.get('midway0001')?.sha256)).toBe(sha256(body));
    expect(await first.until(() => first.messages.get('midway0001')?.sha256)).toBe(sha256(body));
    const report = await originator.until(() => originator.reports[0]);
    expect(report.headers.status).toEqual({ namespace: '000', code: 200, comment: 'delivered to 2 of 2 members' });
    expect(late.chunks[0]?.byteRange?.start).toBe(1);
    expect(late.errors).toEqual([]);
  });
});
