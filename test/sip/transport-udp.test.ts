import { afterEach, describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../runtime/sip/builders.ts';
import { TransportError, TransportOptionsError, type SipParseError } from '../../runtime/sip/errors.ts';
import { parseNameAddr } from '../../runtime/sip/headers/name-addr.ts';
import type { SipMessage } from '../../runtime/sip/message.ts';
import { SipTransport } from '../../runtime/sip/transport.ts';
import type { MessageSource } from '../../runtime/sip/transport-types.ts';
import { sipUri } from '../../runtime/sip/uri.ts';
import { requestText, udpPeer, type UdpPeer } from './peers.ts';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function listen(options: Partial<Parameters<typeof SipTransport.listen>[0]> = {}): Promise<SipTransport> {
  const transport = await SipTransport.listen({ host: '127.0.0.1', ...options });
  open.push(transport);
  return transport;
}

async function peer(host?: string): Promise<UdpPeer> {
  const p = await udpPeer(host);
  open.push(p);
  return p;
}

/** Answers every request with 200 (RFC 3261 §8.2.6) through §18.2.2 routing. */
function answerAll(transport: SipTransport): { messages: [SipMessage, MessageSource][]; rejected: SipParseError[] } {
  const seen = { messages: [] as [SipMessage, MessageSource][], rejected: [] as SipParseError[] };
  transport.on('message', (message, source) => {
    seen.messages.push([message, source]);
    if (message.kind === 'request') void transport.sendResponse(createResponse(message, 200), source);
  });
  transport.on('rejected', (error) => seen.rejected.push(error));
  return seen;
}

describe('SipTransport over UDP', () => {
  it('binds UDP and TCP on one ephemeral port', async () => {
    const transport = await listen();
    expect(transport.port).toBeGreaterThan(0);
  });

  it('delivers a request with its source, stamps received/rport, and routes the response back (RFC 3581)', async () => {
    const transport = await listen();
    const seen = answerAll(transport);
    const client = await peer();
    await client.send(requestText('UDP', 'client.invalid:9', 'u1'), transport.port);
    const response = await client.next();
    expect(response).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(response).toContain(`Via: SIP/2.0/UDP client.invalid:9;rport=${client.port};branch=z9hG4bK-u1;received=127.0.0.1\r\n`);
    expect(seen.messages[0]![1]).toEqual({ protocol: 'udp', address: '127.0.0.1', port: client.port });
  });

  it('answers a malformed request with 400 to its source and goes on answering', async () => {
    const transport = await listen();
    const seen = answerAll(transport);
    const client = await peer();
    await client.send(requestText('UDP', '127.0.0.1:9', 'bad').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'), transport.port);
    expect(await client.next()).toMatch(/^SIP\/2\.0 400 CSeq Method Mismatch\r\n/);
    await client.send(requestText('UDP', '127.0.0.1:9', 'good'), transport.port);
    expect(await client.next()).toMatch(/^SIP\/2\.0 200 OK/);
    expect(seen.rejected.map((e) => e.code)).toEqual(['CPM_ERR_SIP_CSEQ_METHOD_MISMATCH']);
  });

  it('drops garbage that cannot be answered, and ignores CRLF keep-alives', async () => {
    const transport = await listen();
    const seen = answerAll(transport);
    const client = await peer();
    await client.send('\x00\x01garbage\r\n\r\n', transport.port);
    await client.send('\r\n\r\n', transport.port);
    await client.send('SIP/2.0 200 OK\r\n\r\n', transport.port);
    expect(await client.next(300)).toBeUndefined();
    expect(seen.rejected.map((e) => e.code)).toEqual(['CPM_ERR_SIP_BAD_START_LINE', 'CPM_ERR_SIP_MISSING_HEADER']);
  });

  it('refuses a datagram over maxDatagramBytes with 513 when it names the request', async () => {
    const transport = await listen({ maxDatagramBytes: 600 });
    const seen = answerAll(transport);
    const client = await peer();
    await client.send(requestText('UDP', '127.0.0.1:9', 'big', [], 'x'.repeat(700)), transport.port);
    expect(await client.next()).toMatch(/^SIP\/2\.0 513 Datagram Too Large/);
    expect(seen.messages).toEqual([]);
  });

  it('sends a request to a destination, and refuses one larger than a datagram may be', async () => {
    const transport = await listen({ maxDatagramBytes: 2000 });
    const client = await peer();
    const request = createRequest({
      method: 'MESSAGE',
      uri: sipUri({ user: 'bob', host: '127.0.0.1', port: client.port }),
      from: expectOk(parseNameAddr('<sip:cf@127.0.0.1>')),
      to: expectOk(parseNameAddr('<sip:bob@127.0.0.1>')),
      cseq: 1,
      via: { transport: 'UDP', host: '127.0.0.1', port: transport.port },
      body: Buffer.from('héllo'),
      contentType: 'text/plain',
    });
    await transport.send(request, { protocol: 'udp', address: '127.0.0.1', port: client.port });
    const received = await client.next();
    expect(received).toContain('Content-Length: 6\r\n\r\nhéllo');
    request.body = Buffer.alloc(3000);
    await expect(transport.send(request, { protocol: 'udp', address: '127.0.0.1', port: client.port })).rejects.toBeInstanceOf(TransportError);
  });

  it('works over IPv6 loopback, with bracketed hosts in Via', async () => {
    const transport = await listen({ host: '::1' });
    expect(transport.sentBy).toBe(`[::1]:${transport.port}`);
    answerAll(transport);
    const client = await peer('::1');
    await client.send(requestText('UDP', '[::1]:9', 'v6'), transport.port, '::1');
    const response = await client.next();
    expect(response).toContain(`Via: SIP/2.0/UDP [::1]:9;rport=${client.port};branch=z9hG4bK-v6;received=::1\r\n`);
  });

  it('refuses options that cannot work, saying what to pass instead', async () => {
    await expect(SipTransport.listen({ host: 'localhost' })).rejects.toThrow(TransportOptionsError);
    await expect(SipTransport.listen({ host: '127.0.0.1', maxConnections: 0 })).rejects.toThrow(/positive integer/);
    await expect(SipTransport.listen({ host: '127.0.0.1', port: 70000 })).rejects.toThrow(/0-65535/);
  });

  it('reports a port already in use instead of binding elsewhere', async () => {
    const first = await listen();
    await expect(SipTransport.listen({ host: '127.0.0.1', port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('rejects sendResponse for a response without a usable Via', async () => {
    const transport = await listen();
    const response = createResponse({ headers: [] }, 200);
    await expect(transport.sendResponse(response)).rejects.toBeInstanceOf(TransportError);
  });
});

function expectOk<T>(parsed: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}
