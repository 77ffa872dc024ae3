import { afterEach, describe, expect, it } from 'vitest';
import { createRequest, createResponse } from '../../runtime/sip/builders.ts';
import { TransportError, type Parsed } from '../../runtime/sip/errors.ts';
import { parseNameAddr, type NameAddr } from '../../runtime/sip/headers/name-addr.ts';
import { getHeader, type SipMessage } from '../../runtime/sip/message.ts';
import { SipTransport, type TransportOptions } from '../../runtime/sip/transport.ts';
import type { MessageSource } from '../../runtime/sip/transport-types.ts';
import { sipUri } from '../../runtime/sip/uri.ts';
import { requestText, tcpPeer, waitUntil } from './peers.ts';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

async function listen(options: Partial<TransportOptions> = {}): Promise<SipTransport> {
  const transport = await SipTransport.listen({ host: '127.0.0.1', ...options });
  open.push(transport);
  return transport;
}

function answerAll(transport: SipTransport): [SipMessage, MessageSource][] {
  const seen: [SipMessage, MessageSource][] = [];
  transport.on('message', (message, source) => {
    seen.push([message, source]);
    if (message.kind === 'request') void transport.sendResponse(createResponse(message, 200), source);
  });
  return seen;
}

function ok<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

const addr = (text: string): NameAddr => ok(parseNameAddr(text));

describe('SipTransport over TCP', () => {
  it('answers a request on the connection it came on (RFC 3261 §18.2.2)', async () => {
    const transport = await listen();
    const seen = answerAll(transport);
    const client = await tcpPeer(transport.port);
    client.socket.write(requestText('TCP', 'client.invalid:5060', 't1'));
    const text = await client.waitFor('\r\n\r\n');
    expect(text).toMatch(/^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/TCP client\.invalid:5060;rport=\d+;branch=z9hG4bK-t1;received=127\.0\.0\.1\r\n/);
    expect(seen[0]![1]).toMatchObject({ protocol: 'tcp', address: '127.0.0.1', port: client.socket.localPort, connectionId: expect.stringMatching(/^tcp-/) });
    client.socket.destroy();
  });

  it('frames pipelined requests and requests split across writes', async () => {
    const transport = await listen();
    answerAll(transport);
    const client = await tcpPeer(transport.port);
    const both = requestText('TCP', 'h', 'p1', [], 'body ✓') + requestText('TCP', 'h', 'p2');
    client.socket.write(both.slice(0, 10));
    client.socket.write(both.slice(10, 200));
    client.socket.write(both.slice(200));
    const text = await client.waitFor('Call-ID: p2');
    expect(text.match(/SIP\/2\.0 200 OK/g)).toHaveLength(2);
    client.socket.destroy();
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626 §4.4.1)', async () => {
    const transport = await listen();
    const client = await tcpPeer(transport.port);
    client.socket.write('\r\n\r\n');
    expect(await client.waitFor('\r\n')).toBe('\r\n');
    client.socket.destroy();
  });

  it('opens a connection to send a request, and receives the response on it', async () => {
    const server = await listen();
    answerAll(server);
    const client = await listen();
    const responses: SipMessage[] = [];
    client.on('message', (message) => responses.push(message));
    const request = createRequest({
      method: 'OPTIONS',
      uri: sipUri({ user: 'cf', host: '127.0.0.1', port: server.port }),
      from: addr('<sip:alice@127.0.0.1>'),
      to: addr('<sip:cf@127.0.0.1>'),
      cseq: 7,
      via: { transport: 'TCP', host: '127.0.0.1', port: client.port },
    });
    await client.send(request, { protocol: 'tcp', address: '127.0.0.1', port: server.port });
    await waitUntil(() => responses.length === 1);
    expect(responses[0]!.kind === 'response' && responses[0]!.status).toBe(200);
    expect(getHeader(responses[0]!, 'cseq')).toBe('7 OPTIONS');
    await client.send(request, { protocol: 'tcp', address: '127.0.0.1', port: server.port });
    await waitUntil(() => responses.length === 2);
    expect([client.connectionCount, server.connectionCount]).toEqual([1, 1]);
  });

  it('rejects with TransportError when no one listens', async () => {
    const transport = await listen();
    const closed = await listen();
    const port = closed.port;
    await closed.close();
    const response = createResponse({ headers: [] }, 200);
    await expect(transport.send(response, { protocol: 'tcp', address: '127.0.0.1', port })).rejects.toBeInstanceOf(TransportError);
  });

  it('works over IPv6 loopback', async () => {
    const transport = await listen({ host: '::1' });
    answerAll(transport);
    const client = await tcpPeer(transport.port, '::1');
    client.socket.write(requestText('TCP', '[::1]', 'v6'));
    expect(await client.waitFor('\r\n\r\n')).toContain(';received=::1\r\n');
    client.socket.destroy();
  });
});
