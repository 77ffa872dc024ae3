/**
 * What the relay refuses and how it answers (RFC 4975 §7.2, §10): unknown sessions (481), messages
 * over the configured size or the session's a=max-size (413), content the session's accept-types
 * do not allow (415), a second connection for a bound session (506), unknown methods (501), a SEND
 * without Message-ID (400); and what Failure-Report and Success-Report ask of responses and REPORTs.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRequest, newTransactionId } from '../../runtime/msrp/serializer.ts';
import { FramerPeer, uriOf } from '../support/msrp-framer-peer.ts';
import { MachineSessionHost } from '../support/machine-session-host.ts';
import { eventually, media, startTestRelay, type TestRelay } from '../support/relay-harness.ts';
import type { MsrpRelayOptions } from '../../runtime/msrp/relay/options.ts';
import type { MsrpMedia } from '../../machines/types.ts';

describe('refusals and responses', () => {
  let relay: TestRelay | undefined;
  const peers: FramerPeer[] = [];
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.destroy();
    await relay?.close();
  });

  async function session(answer: Partial<MsrpMedia> = {}, options: Partial<MsrpRelayOptions> = {}) {
    relay = await startTestRelay(options);
    const host = new MachineSessionHost(relay.relay);
    const member = await FramerPeer.listen();
    peers.push(member);
    host.answerOriginator(media(host.uriOf('originator'), answer));
    host.memberAccepts(0, media(member.uri));
    const originator = await FramerPeer.connect(host.uriOf('originator'));
    peers.push(originator);
    host.originatorAcks();
    return { host, member, originator, to: host.uriOf('originator') };
  }

  it('answers 481 to a request for a session-id it does not know, and closes a connection that binds nothing', async () => {
    relay = await startTestRelay({ connectTimeoutMs: 300 });
    const stranger = await FramerPeer.connect(`${relay.relay.authority}/notasession123-o;tcp`);
    peers.push(stranger);
    const [transactionId] = await stranger.send(`${relay.relay.authority}/notasession123-o;tcp`, Buffer.from('hello'), { messageId: 'lost0001', chunkBytes: 64 });
    expect((await stranger.response(transactionId as string)).status).toBe(481);
    expect(await stranger.whenClosed()).toBe(true);
  });

  it('answers 481 to the originator before the CF has answered it, and to a member leg that was never opened', async () => {
    relay = await startTestRelay();
    const host = new MachineSessionHost(relay.relay);
    const early = await FramerPeer.connect(host.uriOf('originator'));
    const intruder = await FramerPeer.connect(host.uriOf(7));
    peers.push(early, intruder);
    expect((await early.bind(host.uriOf('originator'))).status).toBe(481);
    expect((await intruder.bind(host.uriOf(7))).status).toBe(481);
  });

  it('answers 413 at once when the Byte-Range announces more than the configured maximum', async () => {
    const { host, member, originator, to } = await session({}, { maxMessageBytes: 1 << 20 });
    const [transactionId] = await originator.send(to, randomBytes(2 << 20), { messageId: 'toobig0001', chunkBytes: 64 << 10 });
    expect((await originator.response(transactionId as string)).status).toBe(413);
    expect(host.calls.filter((c) => c.startsWith('send'))).toEqual([]);
    expect(member.chunks).toEqual([]);
  });

  it('answers 413 when the message outgrows the answer\'s a=max-size, and ends the members\' copies with "#" when the size was not announced', async () => {
    const { host, member, originator, to } = await session({ maxSize: 100_000 });
    const sent = await originator.send(to, randomBytes(300_000), { messageId: 'toobig0002', chunkBytes: 64 << 10, unknownSize: true });
    const statuses = await Promise.all(sent.map(async (id) => (await originator.response(id)).status));
    // The second chunk crosses 100,000 bytes; the later ones start past it and are refused at once.
    expect(statuses).toEqual([200, 413, 413, 413, 413]);
    expect(host.calls.filter((c) => c.startsWith('send'))).toEqual(['send toobig0002 +', 'send toobig0002 #']);
    const cut = await member.until(() => member.chunks.find((c) => c.flag === '#'));
    expect(cut.bodyBytes).toBeLessThanOrEqual(100_000 - (64 << 10));
    expect(member.messages.get('toobig0002')?.sha256).toBeUndefined();
  });

  it('answers 415 to a Content-Type outside the answer\'s a=accept-types; "type/*" and "*" accept', async () => {
    const { originator, to, member } = await session({ acceptTypes: ['text/*', 'message/cpim'] });
    const [refused] = await originator.send(to, Buffer.from('bytes'), { messageId: 'media0001', chunkBytes: 64, contentType: 'application/octet-stream' });
    expect((await originator.response(refused as string)).status).toBe(415);
    const [taken] = await originator.send(to, Buffer.from('<p>hi</p>'), { messageId: 'media0002', chunkBytes: 64, contentType: 'text/html;charset=utf-8' });
    expect((await originator.response(taken as string)).status).toBe(200);
    expect(await member.until(() => member.messages.get('media0002')?.sha256)).toBeDefined();
    expect(member.messages.has('media0001')).toBe(false);
  });

  it('answers 506 to a second connection for an originator already bound, and 501 to an unknown method', async () => {
    const { originator, to } = await session();
    expect((await originator.bind(to)).status).toBe(200);
    const second = await FramerPeer.connect(to);
    peers.push(second);
    expect((await second.bind(to)).status).toBe(506);

    const transactionId = newTransactionId();
    const head = { transactionId, method: 'FETCH', headers: { toPath: [uriOf(to)], fromPath: [uriOf(originator.uri)], extensions: [], mime: [] }, hasBody: false };
    await originator.writeRaw(formatRequest(head, undefined, '$'));
    expect((await originator.response(transactionId)).status).toBe(501);
  });

  it('drops a peer that sends bytes that are not MSRP, while a session on the same listener goes on', async () => {
    const { originator, to, member } = await session();
    const vandal = await FramerPeer.connect(to);
    peers.push(vandal);
    await vandal.writeRaw(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.alloc(4096, 0xff)]));
    expect(await vandal.whenClosed()).toBe(true);
    await originator.send(to, Buffer.from('still here'), { messageId: 'survivor01', chunkBytes: 64 });
    expect(await member.until(() => member.messages.get('survivor01')?.sha256)).toBeDefined();
  });

  it('answers 400 to a SEND without Message-ID', async () => {
    const { originator, to } = await session();
    const transactionId = newTransactionId();
    const head = { transactionId, method: 'SEND', headers: { toPath: [uriOf(to)], fromPath: [uriOf(originator.uri)], contentType: 'text/plain', extensions: [], mime: [] }, hasBody: true };
    await originator.writeRaw(formatRequest(head, Buffer.from('no id'), '$'));
    expect((await originator.response(transactionId)).status).toBe(400);
  });

  it('sends no response for Failure-Report "no", only error responses for "partial" (RFC 4975 §7.2)', async () => {
    const { originator, to, member } = await session({ acceptTypes: ['text/plain'] });
    const [silent] = await originator.send(to, Buffer.from('quiet'), { messageId: 'quiet0001', chunkBytes: 64, contentType: 'text/plain', failureReport: 'no' });
    const [partialOk] = await originator.send(to, Buffer.from('fine'), { messageId: 'quiet0002', chunkBytes: 64, contentType: 'text/plain', failureReport: 'partial' });
    const [partialBad] = await originator.send(to, Buffer.from('bad'), { messageId: 'quiet0003', chunkBytes: 64, contentType: 'image/png', failureReport: 'partial' });
    expect((await originator.response(partialBad as string)).status).toBe(415);
    await member.until(() => member.messages.get('quiet0002')?.sha256);
    expect(originator.responses.has(silent as string)).toBe(false);
    expect(originator.responses.has(partialOk as string)).toBe(false);
  });

  it('sends a success REPORT only when Success-Report is "yes", with the message\'s Byte-Range', async () => {
    const { host, originator, to, member } = await session();
    await originator.send(to, Buffer.from('not asked'), { messageId: 'report0001', chunkBytes: 64 });
    await member.until(() => member.messages.get('report0001')?.sha256);
    await originator.send(to, Buffer.from('asked for'), { messageId: 'report0002', chunkBytes: 4, successReport: 'yes' });
    const report = await originator.until(() => originator.reports[0]);
    expect(report.headers.messageId).toBe('report0002');
    expect(report.headers.byteRange).toEqual({ start: 1, end: 9, total: 9 });
    expect(report.headers.status).toEqual({ namespace: '000', code: 200, comment: 'delivered to 1 of 1 members' });
    expect(report.headers.toPath.map((u) => u.sessionId)).toEqual([uriOf(originator.uri).sessionId]);
    await eventually('no other REPORT', () => (host.reports.length === 1 ? true : undefined));
    expect(originator.reports).toHaveLength(1);
  });
});
