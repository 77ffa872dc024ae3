/**
 * A slow member does not slow the others beyond its window, and costs the CF no more memory than
 * that window: the others finish while it is still reading, it finishes later, and the REPORT
 * waits for it (open question 11).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FramerPeer } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('SEND-1 with a slow member', () => {
  let relay: TestRelay | undefined;
  const peers: FramerPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  it('lets the fast members finish while a throttled one reads, and holds no more than its windows and the spool\'s memory', async () => {
    const windowBytes = 256 << 10;
    const memorySpoolBytes = 2 << 20;
    relay = await startTestRelay({ windowBytes, memorySpoolBytes });
    const host = new MachineSessionHost(relay.relay);
    const fast = await Promise.all([0, 1, 2].map(() => FramerPeer.listen()));
    // About 4 MB/s: 64 KiB, then a 16 ms pause.
    const slow = await FramerPeer.listen({ throttle: { bytes: 64 << 10, pauseMs: 16 } });
    peers.push(...fast, slow);
    host.answerOriginator(media(host.uriOf('originator')));
    fast.forEach((member, leg) => host.memberAccepts(leg, media(member.uri)));
    host.memberAccepts(3, media(slow.uri));
    const originator = await FramerPeer.connect(host.uriOf('originator'));
    peers.push(originator);
    host.originatorAcks();

    let held = 0;
    const sampler = setInterval(() => {
      held = Math.max(held, relay?.relay.heldBytes ?? 0);
    }, 2);
    const body = randomBytes(24 << 20);
    await originator.send(host.uriOf('originator'), body, { messageId: 'slowpoke0001', chunkBytes: 64 << 10, successReport: 'yes' });
    for (const member of fast) expect(await member.until(() => member.messages.get('slowpoke0001')?.sha256)).toBe(sha256(body));
    const slowWhenFastDone = slow.messages.get('slowpoke0001')?.bytes ?? 0;
    expect(originator.reports).toEqual([]);

    expect(await slow.until(() => slow.messages.get('slowpoke0001')?.sha256)).toBe(sha256(body));
    clearInterval(sampler);
    const report = await originator.until(() => originator.reports[0]);
    expect(report.headers.status).toEqual({ namespace: '000', code: 200, comment: 'delivered to 4 of 4 members' });

    // The fast members were not held to the slow one's pace...
    expect(slowWhenFastDone).toBeLessThan(body.length / 2);
    // ...and the CF held at most the spool's memory share, its tail of newest bytes (as large as
    // the share), a window of disk backlog, and one window per member, each overshot by at most
    // one chunk head and end-line.
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(2 * memorySpoolBytes + windowBytes + 4 * (windowBytes + 1024));
  });
});
