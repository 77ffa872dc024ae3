/**
 * What a peer can make the transport hold is bounded, and faults end the connection after it is
 * answered when it can be (RFC 3261 §18.3; RFC 4475 §3.1.2.3: "the framing error is not
 * recoverable, and the connection should be closed").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createResponse } from '../../runtime/sip/builders.ts';
import { TransportError, type SipParseError } from '../../runtime/sip/errors.ts';
import { SipTransport, type TransportOptions } from '../../runtime/sip/transport.ts';
import type { MessageSource } from '../../runtime/sip/transport-types.ts';
import { requestText, tcpPeer, waitUntil } from './peers.ts';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function listen(options: Partial<TransportOptions> = {}): Promise<{ transport: SipTransport; rejected: SipParseError[] }> {
  const transport = await SipTransport.listen({ host: '127.0.0.1', ...options });
  open.push(transport);
  const rejected: SipParseError[] = [];
  transport.on('rejected', (error) => rejected.push(error));
  transport.on('message', (message, source) => {
    if (message.kind === 'request') void transport.sendResponse(createResponse(message, 200), source);
  });
  return { transport, rejected };
}

const badLength = requestText('TCP', 'h', 'cl').replace('Content-Length: 0', 'Content-Length: abc');

describe('TCP framing faults', () => {
  it('"Content-Length: abc" is answered 400 at once and the connection closed, reading nothing after it', async () => {
    const { transport, rejected } = await listen();
    const client = await tcpPeer(transport.port, '127.0.0.1', true);
    client.socket.write(badLength);
    const text = await client.waitFor('\r\n\r\n');
    expect(text).toMatch(/^SIP\/2\.0 400 Bad Content-Length\r\n/);
    expect(rejected.map((e) => e.code)).toEqual(['CPM_ERR_SIP_BAD_CONTENT_LENGTH']);
    // The server stopped reading: however much the peer pushes, only what kernel buffers hold is
    // accepted before the connection is closed.
    const junk = Buffer.alloc(64 * 1024, 0x41);
    let accepted = 0;
    const flood = async (): Promise<void> => {
      while (!client.socket.destroyed && accepted < 64 * 1024 * 1024) {
        if (!client.socket.write(junk, (error) => (error ? undefined : (accepted += junk.length)))) {
          await Promise.race([new Promise((resolve) => client.socket.once('drain', resolve)), client.closed]);
        }
      }
    };
    await flood();
    expect(accepted).toBeLessThan(32 * 1024 * 1024);
    client.socket.destroy();
    await waitUntil(() => transport.connectionCount === 0);
  });

  it('a header block over maxHeaderBytes is answered 513 and the connection closed', async () => {
    const { transport, rejected } = await listen({ maxHeaderBytes: 1024 });
    const client = await tcpPeer(transport.port);
    const head = requestText('TCP', 'h', 'big').split('Content-Length')[0]!;
    client.socket.write(head);
    for (let i = 0; i < 40; i++) client.socket.write(`X-Filler-${i}: ${'y'.repeat(60)}\r\n`);
    expect(await client.waitFor('\r\n\r\n')).toMatch(/^SIP\/2\.0 513 Header Block Too Large\r\n/);
    await client.closed;
    expect(rejected.map((e) => e.code)).toEqual(['CPM_ERR_SIP_HEADER_TOO_LARGE']);
  });

  it('an endless stream without CRLFCRLF and without a request line is cut off, unanswered', async () => {
    const { transport, rejected } = await listen({ maxHeaderBytes: 4096 });
    const client = await tcpPeer(transport.port);
    const chunk = Buffer.alloc(1000, 0x7a);
    while (!client.socket.destroyed && client.socket.bytesWritten < 1_000_000) {
      if (!client.socket.write(chunk)) await Promise.race([new Promise((r) => client.socket.once('drain', r)), client.closed]);
    }
    await client.closed;
    expect(client.received()).toBe('');
    expect(rejected.map((e) => e.code)).toEqual(['CPM_ERR_SIP_HEADER_TOO_LARGE']);
  });

  it('a body larger than maxBodyBytes is refused as soon as its Content-Length is read', async () => {
    const { transport } = await listen({ maxBodyBytes: 100 });
    const client = await tcpPeer(transport.port);
    client.socket.write(requestText('TCP', 'h', 'body').replace('Content-Length: 0', 'Content-Length: 1000000'));
    expect(await client.waitFor('\r\n\r\n')).toMatch(/^SIP\/2\.0 513 Message Body Too Large\r\n/);
    await client.closed;
  });

  it('keeps serving other connections after one was refused', async () => {
    const { transport } = await listen();
    const bad = await tcpPeer(transport.port);
    bad.socket.write(badLength);
    await bad.closed;
    const good = await tcpPeer(transport.port);
    good.socket.write(requestText('TCP', 'h', 'after'));
    expect(await good.waitFor('\r\n\r\n')).toMatch(/^SIP\/2\.0 200 OK/);
    good.socket.destroy();
  });
});

describe('TCP resource limits', () => {
  it('closes a connection idle for idleTimeoutMs', async () => {
    const { transport } = await listen({ idleTimeoutMs: 100 });
    const client = await tcpPeer(transport.port);
    const started = Date.now();
    await client.closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await waitUntil(() => transport.connectionCount === 0);
  });

  it('refuses connections beyond maxConnections', async () => {
    const { transport } = await listen({ maxConnections: 2 });
    const first = await tcpPeer(transport.port);
    const second = await tcpPeer(transport.port);
    await waitUntil(() => transport.connectionCount === 2);
    const third = await tcpPeer(transport.port);
    await third.closed;
    expect(transport.connectionCount).toBe(2);
    first.socket.destroy();
    second.socket.destroy();
  });

  it('drops a connection whose peer does not read rather than queue without bound', async () => {
    const { transport } = await listen({ maxSendBufferBytes: 64 * 1024 });
    let source: MessageSource | undefined;
    transport.removeAllListeners('message');
    transport.on('message', (_message, from) => (source = from));
    const client = await tcpPeer(transport.port);
    client.socket.pause();
    client.socket.write(requestText('TCP', 'h', 'slow'));
    await waitUntil(() => source !== undefined);
    const big = createResponse({ headers: [] }, 200, { body: Buffer.alloc(200 * 1024) });
    await expect(transport.send(big, { protocol: 'tcp', address: '127.0.0.1', port: 1, connectionId: source!.connectionId! })).rejects.toBeInstanceOf(TransportError);
    await client.closed;
  });
});
