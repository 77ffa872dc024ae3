/**
 * RFC 4975 §5.4 connection reuse: sessions whose members sit at the same authority (host, port,
 * scheme and transport) share the one connection the CF opened to it. Each session binds it with
 * its own SEND, frames are told apart by the session-id of their To-Path, copies of different
 * sessions take turns frame by frame, a session that goes leaves the connection to the others, and
 * a member that fails the connection fails every session on it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { newSessionId } from '../../runtime/msrp/uri.ts';
import { FramerPeer, uriOf, type PeerBehaviour } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { eventually, media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('RFC 4975 §5.4: sessions share the CF\'s connection to a member authority', () => {
  let relay: TestRelay | undefined;
  const peers: FramerPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  /**
   * Two sessions, each with one member leg towards `member` (which takes a single connection and
   * destroys any other): the first under the member's own URI, the second under another
   * session-id at the same authority, as a member device answers each INVITE.
   */
  async function twoSessions(behaviour: PeerBehaviour = {}, transactionTimeoutMs?: number) {
    relay = await startTestRelay({ memorySpoolBytes: 2 << 20, ...(transactionTimeoutMs === undefined ? {} : { transactionTimeoutMs }) });
    const member = await FramerPeer.listen(behaviour);
    peers.push(member);
    const { host, port } = uriOf(member.uri);
    const paths = [member.uri, `msrp://${host}:${port}/${newSessionId()};tcp`];
    const sessions: { host: MachineSessionHost; originator: FramerPeer; memberPath: string }[] = [];
    for (const path of paths) {
      const session = new MachineSessionHost(relay.relay);
      session.answerOriginator(media(session.uriOf('originator')));
      session.memberAccepts(0, media(path));
      const originator = await FramerPeer.connect(session.uriOf('originator'));
      peers.push(originator);
      // RFC 4975 §5.4: the active side binds its connection at once.
      await originator.bind(session.uriOf('originator'));
      session.originatorAcks();
      sessions.push({ host: session, originator, memberPath: path });
    }
    await eventually('both legs to be connected', () => (sessions.every((s) => s.host.calls.includes('connected 0')) ? true : undefined));
    return { member, sessions, relay };
  }

  it('carries both sessions\' copies over one connection, each byte-exact under its own To-Path and From-Path', async () => {
    const { member, sessions, relay: test } = await twoSessions();
    const bodies = sessions.map(() => randomBytes(4 << 20));
    await Promise.all(sessions.map((s, i) => s.originator.send(s.host.uriOf('originator'), bodies[i]!, { messageId: `shared000${i}`, chunkBytes: 64 << 10, successReport: 'yes' })));

    for (const [i, body] of bodies.entries()) expect(await member.until(() => member.messages.get(`shared000${i}`)?.sha256)).toBe(sha256(body));
    expect(member.errors).toEqual([]);
    // Two originators and the one connection to the member.
    expect(test.relay.openConnections).toBe(3);
    for (const [i, s] of sessions.entries()) {
      const chunks = member.chunks.filter((c) => c.messageId === `shared000${i}`);
      const { sessionId } = uriOf(s.memberPath);
      expect(new Set(chunks.map((c) => c.toPath))).toEqual(new Set([`${uriOf(s.memberPath).host}:${uriOf(s.memberPath).port}/${sessionId}`]));
      expect(new Set(chunks.map((c) => c.fromPath.split('/')[1]))).toEqual(new Set([`${s.host.focus.sessionId}-m0`]));
      // Open question 11: each originator learns its own message reached its member.
      const report = await s.originator.until(() => s.originator.reports[0]);
      expect(report.headers.status).toEqual({ namespace: '000', code: 200, comment: 'delivered to 1 of 1 members' });
    }
  });

  it('keeps the connection for the other session when one is released mid-chunk, ending that chunk with "#" (RFC 4975 §7.1)', async () => {
    const { member, sessions, relay: test } = await twoSessions({ throttle: { bytes: 64 << 10, pauseMs: 4 } });
    const [leaving, staying] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
    // One 32 MiB chunk, more than the socket buffers hold: the leaving session's copy is a single
    // long frame on the shared connection, still being written when the session goes.
    const big = randomBytes(32 << 20);
    const small = randomBytes(2 << 20);
    void leaving.originator.send(leaving.host.uriOf('originator'), big, { messageId: 'leaving0001', chunkBytes: 32 << 20 });
    await eventually('the member to be reading the long frame', () => ((member.messages.get('leaving0001')?.bytes ?? 0) >= 256 << 10 ? true : undefined));
    const sent = staying.originator.send(staying.host.uriOf('originator'), small, { messageId: 'staying001', chunkBytes: 64 << 10, successReport: 'yes' });
    leaving.host.media.release();

    expect(await member.until(() => member.messages.get('staying001')?.sha256)).toBe(sha256(small));
    await sent;
    const cut = member.chunks.find((c) => c.messageId === 'leaving0001');
    expect(cut?.flag).toBe('#');
    expect(cut?.bodyBytes).toBeLessThan(big.length);
    expect(member.errors).toEqual([]);
    expect(member.closed).toBe(false);
    // The leaving session's originator is gone; the other one and the shared connection remain.
    await eventually('the released session\'s originator connection to close', () => (test.relay.openConnections === 2 ? true : undefined));
    expect(await staying.originator.until(() => staying.originator.reports[0])).toBeDefined();
  });

  it('lets the other session go on when a leg waiting for its turn is aborted (open question 9)', async () => {
    const { member, sessions } = await twoSessions({ throttle: { bytes: 64 << 10, pauseMs: 4 } });
    const [streaming, waiting] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
    // Two chunks, the first longer than the socket buffers hold: the second has to wait for the
    // turn the other leg asked for while the first was streamed.
    const body = randomBytes(17 << 20);
    const sent = streaming.originator.send(streaming.host.uriOf('originator'), body, { messageId: 'twochunks1', chunkBytes: 16 << 20 });
    await eventually('the member to be reading the long frame', () => ((member.messages.get('twochunks1')?.bytes ?? 0) >= 256 << 10 ? true : undefined));
    void waiting.originator.send(waiting.host.uriOf('originator'), randomBytes(1 << 20), { messageId: 'aborted001', chunkBytes: 64 << 10 });
    await eventually('the waiting session to have spooled its message', () => (waiting.host.calls.includes('send aborted001 $') ? true : undefined));
    waiting.host.media.abortDelivery(0);

    expect(await member.until(() => member.messages.get('twochunks1')?.sha256)).toBe(sha256(body));
    await sent;
    expect(member.messages.has('aborted001')).toBe(false);
    expect(member.errors).toEqual([]);
  });

  it('fails the legs of every session on a connection the member resets (CPM_ERR_MSRP_CONNECTION_LOST)', async () => {
    const { sessions, relay: test } = await twoSessions({ resetAfterBytes: 1 << 20 });
    for (const [i, s] of sessions.entries()) void s.originator.send(s.host.uriOf('originator'), randomBytes(4 << 20), { messageId: `reset0000${i}`, chunkBytes: 64 << 10 });
    await eventually('both legs to fail', () => (sessions.every((s) => s.host.calls.includes('failed 0')) ? true : undefined));
    const codes = test.warnings.map((w) => (w.context as { err?: { code?: string } }).err?.code);
    expect(codes.filter((code) => code === 'CPM_ERR_MSRP_CONNECTION_LOST')).toHaveLength(2);
  });

  it('fails every session on a connection the member stopped reading, also one with nothing in flight (CPM_ERR_MSRP_TRANSACTION_TIMEOUT)', async () => {
    const { sessions, relay: test } = await twoSessions({ throttle: { bytes: 1 << 20, pauseMs: 3_600_000 } }, 500);
    // Only the first session sends: the second's leg waits for nothing and has no deadline of its own.
    const [sending] = sessions as [(typeof sessions)[0]];
    void sending.originator.send(sending.host.uriOf('originator'), randomBytes(8 << 20), { messageId: 'stall00001', chunkBytes: 64 << 10 });
    await eventually('both legs to fail', () => (sessions.every((s) => s.host.calls.includes('failed 0')) ? true : undefined));
    const codes = test.warnings.map((w) => (w.context as { err?: { code?: string } }).err?.code);
    expect(codes).toEqual(['CPM_ERR_MSRP_TRANSACTION_TIMEOUT', 'CPM_ERR_MSRP_CONNECTION_LOST']);
    await eventually('only the two originators to stay connected', () => (test.relay.openConnections === 2 ? true : undefined));
  });

  it('opens a new connection for a session that comes after the last one on the old connection left', async () => {
    const { member, sessions, relay: test } = await twoSessions();
    for (const s of sessions) s.host.media.release();
    expect(await member.whenClosed()).toBe(true);
    await eventually('every connection to close', () => (test.relay.openConnections === 0 ? true : undefined));

    const next = await FramerPeer.listen();
    peers.push(next);
    const session = new MachineSessionHost(test.relay);
    session.answerOriginator(media(session.uriOf('originator')));
    session.memberAccepts(0, media(next.uri));
    const originator = await FramerPeer.connect(session.uriOf('originator'));
    peers.push(originator);
    session.originatorAcks();
    const body = randomBytes(1 << 20);
    await originator.send(session.uriOf('originator'), body, { messageId: 'afterall01', chunkBytes: 64 << 10 });
    expect(await next.until(() => next.messages.get('afterall01')?.sha256)).toBe(sha256(body));
  });
});
