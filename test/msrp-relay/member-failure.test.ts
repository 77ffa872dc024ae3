/**
 * A member that resets its connection, refuses a chunk or stops answering is dropped alone
 * (`onMemberFailed`); the others get the whole message, and the originator's REPORT names the loss
 * (open question 11: the status of the first loss, 481 for a member that is gone).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FramerPeer, type PeerBehaviour } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { eventually, media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('a failing member is dropped without disturbing the rest', () => {
  let relay: TestRelay | undefined;
  const peers: FramerPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  async function fanOutWithOneBroken(behaviour: PeerBehaviour, transactionTimeoutMs?: number) {
    relay = await startTestRelay(transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs });
    const host = new MachineSessionHost(relay.relay);
    const good = await Promise.all([0, 1, 2].map(() => FramerPeer.listen()));
    const broken = await FramerPeer.listen(behaviour);
    peers.push(...good, broken);
    host.answerOriginator(media(host.uriOf('originator')));
    good.forEach((member, leg) => host.memberAccepts(leg, media(member.uri)));
    host.memberAccepts(3, media(broken.uri));
    const originator = await FramerPeer.connect(host.uriOf('originator'));
    peers.push(originator);
    host.originatorAcks();
    const body = randomBytes(12 << 20);
    await originator.send(host.uriOf('originator'), body, { messageId: 'breakage0001', chunkBytes: 64 << 10 });
    for (const member of good) expect(await member.until(() => member.messages.get('breakage0001')?.sha256)).toBe(sha256(body));
    const report = await originator.until(() => originator.reports[0]);
    return { host, broken, report, warnings: relay.warnings };
  }

  it('drops a member that resets its connection mid-message (CPM_ERR_MSRP_CONNECTION_LOST)', async () => {
    const { host, broken, report, warnings } = await fanOutWithOneBroken({ resetAfterBytes: 3 << 20 });
    expect(broken.messages.get('breakage0001')?.sha256).toBeUndefined();
    expect(host.calls).toContain('failed 3');
    expect(host.ended.get(3)?.outcome).toBe('terminated');
    expect(report.headers.status).toEqual({ namespace: '000', code: 481, comment: 'delivered to 3 of 4 members' });
    expect(warnings.map((w) => (w.context as { err?: { code?: string } }).err?.code)).toContain('CPM_ERR_MSRP_CONNECTION_LOST');
  });

  it('drops a member that answers a chunk with an error status (CPM_ERR_MSRP_MEMBER_REFUSED)', async () => {
    let answered = 0;
    const { host, report, warnings } = await fanOutWithOneBroken({ answer: () => (++answered === 5 ? 413 : 200) });
    expect(host.calls).toContain('failed 3');
    expect(report.headers.status?.code).toBe(481);
    expect(warnings.map((w) => (w.context as { err?: { code?: string } }).err?.code)).toContain('CPM_ERR_MSRP_MEMBER_REFUSED');
  });

  it('drops a member that stops reading and answering (CPM_ERR_MSRP_TRANSACTION_TIMEOUT)', async () => {
    const { host, report, warnings } = await fanOutWithOneBroken({ throttle: { bytes: 1 << 20, pauseMs: 3_600_000 } }, 500);
    expect(host.calls).toContain('failed 3');
    // The originator and the three that read are all that is left connected.
    await eventually('the stalled member\'s connection to go', () => (relay?.relay.openConnections === 4 ? true : undefined));
    expect(report.headers.status?.code).toBe(481);
    expect(warnings.map((w) => (w.context as { err?: { code?: string } }).err?.code)).toContain('CPM_ERR_MSRP_TRANSACTION_TIMEOUT');
  });
});
