/** Raw test peers on loopback: a UDP socket and a TCP client that record what they receive. */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface UdpPeer {
  readonly socket: UdpSocket;
  readonly port: number;
  send(bytes: Buffer | string, port: number, host?: string): Promise<void>;
  /** The next datagram, or undefined after `ms` without one. */
  next(ms?: number): Promise<string | undefined>;
  close(): void;
}

export async function udpPeer(host = '127.0.0.1'): Promise<UdpPeer> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const inbox: string[] = [];
  let waiter: ((value: string | undefined) => void) | undefined;
  socket.on('message', (datagram) => {
    if (waiter) {
      const resolve = waiter;
      waiter = undefined;
      resolve(datagram.toString('utf8'));
    } else {
      inbox.push(datagram.toString('utf8'));
    }
  });
  socket.bind(0, host);
  await once(socket, 'listening');
  return {
    socket,
    port: socket.address().port,
    send: (bytes, port, to = host) => new Promise((resolve, reject) => socket.send(bytes, port, to, (e) => (e ? reject(e) : resolve()))),
    next: (ms = 1000) =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift())
        : new Promise((resolve) => {
            const timer = setTimeout(() => {
              waiter = undefined;
              resolve(undefined);
            }, ms);
            waiter = (value) => {
              clearTimeout(timer);
              resolve(value);
            };
          }),
    close: () => socket.close(),
  };
}

export interface TcpPeer {
  readonly socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Waits until the received text contains `text` (rejects after `ms`). */
  waitFor(text: string, ms?: number): Promise<string>;
  /** Resolves when the server closed or reset the connection. */
  readonly closed: Promise<void>;
}

/** `allowHalfOpen` keeps the peer writing after the server's FIN, as a hostile peer would. */
export async function tcpPeer(port: number, host = '127.0.0.1', allowHalfOpen = false): Promise<TcpPeer> {
  const socket = connect({ port, host, allowHalfOpen });
  await once(socket, 'connect');
  let text = '';
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    received: () => text,
    closed,
    waitFor: (wanted, ms = 2000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!text.includes(wanted)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve(text);
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no "${wanted}" within ${ms} ms; got ${JSON.stringify(text.slice(0, 300))}`));
        }, ms);
        listeners.add(check);
        check();
      }),
  };
}

/** A request as text, over `transport` ("UDP" or "TCP"), from a sent-by of `sentBy`. */
export function requestText(transport: string, sentBy: string, callId: string, extra: string[] = [], body = ''): string {
  return [
    'OPTIONS sip:cf@example.com SIP/2.0',
    `Via: SIP/2.0/${transport} ${sentBy};rport;branch=z9hG4bK-${callId}`,
    'Max-Forwards: 70',
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:cf@example.com>',
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** Polls `condition` every few milliseconds until it holds (rejects after `ms`). */
export async function waitUntil(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
