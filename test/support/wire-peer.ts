/**
 * A raw SIP peer on loopback, UDP or TCP: it sends text exactly as written and keeps every message
 * it receives both as bytes (for byte-for-byte assertions) and parsed.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { getHeader, type SipMessage } from '../../runtime/sip/message.ts';
import { parseDatagram } from '../../runtime/sip/parser.ts';
import type { Transport } from './sip-peer.ts';
import { Notifier } from './wait-for.ts';

export interface Received {
  readonly raw: string;
  /** Parsed; a response that copies the malformed header of the request it refuses may not parse. */
  readonly message: SipMessage | undefined;
  /** The status of a response, read from its status line. */
  readonly status: number | undefined;
  /** The sender's port (for UDP; the connection's peer for TCP). */
  readonly fromPort: number;
}

export class WirePeer {
  readonly received: Received[] = [];
  readonly #arrivals = new Notifier();
  readonly #listeners: ((received: Received) => void)[] = [];
  private constructor(
    readonly transport: Transport,
    readonly port: number,
    private readonly write: (bytes: Buffer, port?: number) => void,
    private readonly closeSocket: () => void,
  ) {}

  /** A UDP socket, or a TCP connection to the CF at `cfPort`. */
  static async open(transport: Transport, cfPort: number): Promise<WirePeer> {
    let peer: WirePeer | undefined;
    const keep = (raw: Buffer, fromPort: number): void => {
      const parsed = parseDatagram(raw);
      const text = raw.toString('utf8');
      const status = /^SIP\/2\.0 (\d{3}) /.exec(text)?.[1];
      if (peer !== undefined) peer.#keep({ raw: text, message: parsed.ok ? parsed.value : undefined, status: status === undefined ? undefined : Number(status), fromPort });
    };

    if (transport === 'udp') {
      const socket: UdpSocket = createSocket('udp4');
      socket.on('message', (datagram, remote) => keep(datagram, remote.port));
      socket.bind(0, '127.0.0.1');
      await once(socket, 'listening');
      peer = new WirePeer('udp', socket.address().port, (bytes, port = cfPort) => socket.send(bytes, port, '127.0.0.1'), () => socket.close());
      return peer;
    }
    const socket: Socket = connect({ port: cfPort, host: '127.0.0.1' });
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    // A framer of its own (head, then Content-Length bytes), so each message is kept as received.
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const length = /^(?:Content-Length|l)[ \t]*:[ \t]*(\d+)/im.exec(pending.subarray(0, headEnd).toString('utf8'));
        const end = headEnd + 4 + Number(length?.[1] ?? 0);
        if (pending.length < end) return;
        keep(pending.subarray(0, end), cfPort);
        pending = pending.subarray(end);
      }
    });
    peer = new WirePeer('tcp', socket.localPort ?? 0, (bytes) => socket.write(bytes), () => socket.destroy());
    return peer;
  }

  /** `Via` sent-by of this peer, for requests that must be answered here. */
  get sentBy(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Sends to the CF, or over UDP to `port`. */
  send(text: string | Buffer, port?: number): void {
    this.write(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, port);
  }

  /** Calls `listener` with every message received from now on, after it is in `received`. */
  onReceive(listener: (received: Received) => void): void {
    this.#listeners.push(listener);
  }

  /** The first message received that matches, waiting up to `ms`. */
  waitFor(predicate: (message: SipMessage) => boolean, what: string, ms = 5000): Promise<Received & { message: SipMessage }> {
    return this.#arrivals.until(() => this.received.find((r): r is Received & { message: SipMessage } => r.message !== undefined && predicate(r.message)), what, ms);
  }

  /** The final response to the request with this Call-ID and CSeq method. */
  finalResponse(callId: string, method = 'INVITE', ms = 5000): Promise<Received & { message: SipMessage }> {
    return this.waitFor(
      (m) => m.kind === 'response' && m.status >= 200 && getHeader(m, 'call-id') === callId && (getHeader(m, 'cseq') ?? '').endsWith(method),
      `final response to ${method} ${callId}`,
      ms,
    );
  }

  /**
   * An OPTIONS to the CF at `cfPort` and its answer: every datagram this peer sent before it has
   * been handled by then, since the CF takes one socket's datagrams in order.
   */
  async ping(cfPort: number): Promise<void> {
    const id = callId();
    this.send(rawRequest({ method: 'OPTIONS', uri: 'sip:cpm-cf@127.0.0.1', peer: this, callId: id }), cfPort);
    await this.finalResponse(id, 'OPTIONS');
  }

  close(): void {
    this.closeSocket();
  }

  #keep(received: Received): void {
    this.received.push(received);
    for (const listener of this.#listeners) listener(received);
    this.#arrivals.notify();
  }
}

let counter = 0;

/** A fresh Call-ID for a test request. */
export function callId(): string {
  return `wire-${++counter}-${Date.now().toString(36)}`;
}

export interface RawRequest {
  readonly method: string;
  readonly uri: string;
  readonly peer: WirePeer;
  readonly callId: string;
  readonly cseq?: number;
  readonly branch?: string;
  readonly to?: string;
  readonly headers?: readonly string[];
  readonly body?: string;
}

/** A request as text with CRLF line ends, Via to `peer` with rport, From the demo sender. */
export function rawRequest(r: RawRequest): string {
  const body = r.body ?? '';
  return [
    `${r.method} ${r.uri} SIP/2.0`,
    `Via: SIP/2.0/${r.peer.transport.toUpperCase()} ${r.peer.sentBy};rport;branch=${r.branch ?? `z9hG4bK-${r.callId}`}`,
    'Max-Forwards: 70',
    'From: <sip:sender@127.0.0.1>;tag=s1',
    `To: ${r.to ?? `<${r.uri}>`}`,
    `Call-ID: ${r.callId}`,
    `CSeq: ${r.cseq ?? 1} ${r.method}`,
    ...(r.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}
