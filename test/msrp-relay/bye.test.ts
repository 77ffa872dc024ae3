/**
 * BYE with data in flight (open question 9, BYE-2, BYE-3): members finish their copy, bounded by the
 * drain timer, before their BYE; if the timer runs out the chunk in flight ends with "#"; then
 * every socket and spool file of the session is gone, also when a leg crashed on the way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FramerPeer } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { eventually, media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('BYE mid-transfer', () => {
  let relay: TestRelay | undefined;
  const peers: FramerPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  async function session(drainMs: number, slowMember: FramerPeer) {
    relay = await startTestRelay({ memorySpoolBytes: 2 << 20 });
    const host = new MachineSessionHost(relay.relay, { drainMs });
    const fast = await FramerPeer.listen();
    peers.push(fast, slowMember);
    host.answerOriginator(media(host.uriOf('originator')));
    host.memberAccepts(0, media(fast.uri));
    host.memberAccepts(1, media(slowMember.uri));
    const originator = await FramerPeer.connect(host.uriOf('originator'));
    peers.push(originator);
    host.originatorAcks();
    return { host, fast, originator, relay };
  }

  /** Nothing of the session is left in the relay: no session-id, no socket, no spool file. */
  async function nothingLeftBehind(test: TestRelay): Promise<void> {
    expect(test.relay.openSessions).toBe(0);
    await eventually('every connection of the session to close', () => (test.relay.openConnections === 0 ? true : undefined));
    await eventually('the spool file to be removed', async () => ((await test.spoolFiles()).length === 0 ? true : undefined));
    expect(test.relay.heldBytes).toBe(0);
  }

  it('lets a member still receiving finish its copy before its BYE, then releases every socket and spool file', async () => {
    const slow = await FramerPeer.listen({ throttle: { bytes: 256 << 10, pauseMs: 20 } });
    const { host, fast, originator, relay: test } = await session(30_000, slow);
    const body = randomBytes(24 << 20);
    const sent = await originator.send(host.uriOf('originator'), body, { messageId: 'leaving0001', chunkBytes: 64 << 10 });
    await originator.response(sent.at(-1) as string);
    expect(slow.messages.get('leaving0001')?.sha256).toBeUndefined();
    expect((await test.spoolFiles()).length).toBe(1);

    host.originatorByes();
    expect(await fast.until(() => fast.messages.get('leaving0001')?.sha256)).toBe(sha256(body));
    expect(await slow.until(() => slow.messages.get('leaving0001')?.sha256)).toBe(sha256(body));
    await eventually('the session to be released', () => (host.released ? true : undefined));
    expect(host.ended.get(1)?.outcome).toBe('terminated');
    await nothingLeftBehind(test);
    expect(await slow.whenClosed()).toBe(true);
    expect(await originator.whenClosed()).toBe(true);
  });

  it('ends the chunk in flight with "#" when the drain timer runs out, and releases everything', async () => {
    const slow = await FramerPeer.listen({ throttle: { bytes: 128 << 10, pauseMs: 20 } });
    const { host, originator, relay: test } = await session(300, slow);
    const body = randomBytes(32 << 20);
    const sent = await originator.send(host.uriOf('originator'), body, { messageId: 'cutshort0001', chunkBytes: 1 << 20 });
    await originator.response(sent.at(-1) as string);

    host.originatorByes();
    // RFC 4975 §7.1: the member sees its copy end, aborted, and never the whole message.
    const last = await slow.until(() => slow.chunks.find((c) => c.flag === '#'));
    expect(last.bodyBytes).toBeLessThan(1 << 20);
    expect(slow.messages.get('cutshort0001')?.sha256).toBeUndefined();
    expect(slow.errors).toEqual([]);
    await eventually('the session to be released', () => (host.released ? true : undefined));
    await nothingLeftBehind(test);
  });

  it('leaves nothing behind when a leg crashed mid-message and the sender leaves with its message unfinished', async () => {
    const crashing = await FramerPeer.listen({ resetAfterBytes: 1 << 20 });
    const { host, fast, originator, relay: test } = await session(30_000, crashing);
    const body = randomBytes(8 << 20);
    await originator.send(host.uriOf('originator'), body, { messageId: 'unfinished01', chunkBytes: 64 << 10, part: { from: 0, to: 6 << 20 } });
    await fast.until(() => ((fast.messages.get('unfinished01')?.bytes ?? 0) === 6 << 20 ? true : undefined));
    await eventually('the crashed leg to end', () => (host.ended.has(1) ? true : undefined));

    host.originatorByes();
    await eventually('the session to be released', () => (host.released ? true : undefined));
    await nothingLeftBehind(test);
    expect(await originator.whenClosed()).toBe(true);
  });
});
