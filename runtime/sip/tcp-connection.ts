/**
 * One TCP connection carrying SIP (RFC 3261 §18.3): a framer on the read side, a bounded send
 * queue on the write side, an idle timer, and the rule that a framing fault ends the connection
 * after the fault is answered when it can be.
 */
import type { Socket } from 'node:net';
import { createErrorResponse } from './builders.ts';
import { TransportError, type SipParseError } from './errors.ts';
import { sourceAddress } from './ip.ts';
import type { SipMessage } from './message.ts';
import { serializeMessage } from './serializer.ts';
import { SipStreamFramer } from './stream-framer.ts';
import type { MessageSource, TransportLimits, TransportLogger } from './transport-types.ts';

export interface ConnectionHandlers {
  onMessage(message: SipMessage, source: MessageSource): void;
  onReject(error: SipParseError, source: MessageSource): void;
  onClose(connection: TcpConnection): void;
}

/** RFC 5626 §4.4.1: the "pong" answering a CRLFCRLF "ping". */
const PONG = Buffer.from('\r\n');
/** How long a connection that was answered with an error may linger for the answer to drain. */
const CLOSE_GRACE_MS = 1000;

let nextId = 0;

export class TcpConnection {
  readonly id = `tcp-${++nextId}`;
  readonly source: MessageSource;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly limits: TransportLimits,
    private readonly handlers: ConnectionHandlers,
    private readonly logger: TransportLogger,
  ) {
    this.source = {
      protocol: 'tcp',
      address: sourceAddress(socket.remoteAddress ?? ''),
      port: socket.remotePort ?? 0,
      connectionId: this.id,
    };
    const framer = new SipStreamFramer(limits, {
      onMessage: (message) => handlers.onMessage(message, this.source),
      onPing: () => this.write(PONG),
      onError: (error) => this.refuse(error),
    });
    socket.setNoDelay(true);
    // Node's socket timeout measures inactivity in both directions, which is what "idle" means here.
    socket.setTimeout(limits.idleTimeoutMs, () => {
      logger.debug({ connection: this.id }, 'closing idle SIP connection');
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => framer.push(chunk));
    socket.on('error', (error) => logger.debug({ connection: this.id, err: error }, 'SIP connection error'));
    socket.on('close', () => {
      this.closed = true;
      handlers.onClose(this);
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Queues `bytes`; rejects with `TransportError` when closed, or when the peer is not reading. */
  send(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) {
        reject(new TransportError(`connection ${this.id} is closed`));
        return;
      }
      if (!this.write(bytes, (error) => (error ? reject(new TransportError(`send on ${this.id} failed`, { cause: error })) : resolve()))) {
        reject(new TransportError(`send buffer of ${this.id} is full`));
      }
    });
  }

  close(): void {
    this.socket.destroy();
  }

  // The send queue is bounded: a peer that does not read (or floods pings) loses the connection
  // instead of growing this process's memory.
  private write(bytes: Buffer, done?: (error?: Error | null) => void): boolean {
    if (this.socket.writableLength + bytes.length > this.limits.maxSendBufferBytes) {
      this.logger.warn({ connection: this.id, queued: this.socket.writableLength }, 'SIP peer is not reading; closing');
      this.socket.destroy();
      return false;
    }
    this.socket.write(bytes, done);
    return true;
  }

  // RFC 3261 §18.3 / RFC 4475 §3.1.2.3: a framing fault on a stream "is not recoverable, and the
  // connection should be closed", after a 400 (or 505/513) when the request can still be answered.
  private refuse(error: SipParseError): void {
    this.handlers.onReject(error, this.source);
    // Nothing after the fault can be framed, so it is not even read: TCP flow control then holds
    // the peer back instead of this process reading and discarding whatever it keeps sending.
    this.socket.pause();
    const response = createErrorResponse(error);
    if (response === undefined) {
      this.socket.destroy();
      return;
    }
    this.write(serializeMessage(response));
    this.socket.end();
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }
}
