/**
 * The SIP transport layer (RFC 3261 §18): UDP and TCP on one host and port, delivering parsed
 * messages with their source, stamping `received`/`rport` on requests (§18.2.1, RFC 3581), routing
 * responses (§18.2.2) and refusing what peers must not be able to make it hold.
 */
import { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { TransportError, TransportOptionsError, type SipParseError } from './errors.ts';
import { addressToHost } from './ip.ts';
import type { SipMessage, SipResponse } from './message.ts';
import { responseDestination, stampReceived } from './response-routing.ts';
import { serializeMessage } from './serializer.ts';
import { topVia } from './transaction-keys.ts';
import { TcpEndpoint } from './tcp-transport.ts';
import type { Destination, MessageSource, TransportLimits, TransportLogger } from './transport-types.ts';
import { UdpEndpoint } from './udp-transport.ts';

export const DEFAULT_LIMITS: TransportLimits = {
  maxDatagramBytes: 65_507,
  maxHeaderBytes: 16 * 1024,
  maxBodyBytes: 1024 * 1024,
  maxBufferedBytes: 16 * 1024 + 1024 * 1024,
  maxSendBufferBytes: 4 * 1024 * 1024,
  maxConnections: 1024,
  idleTimeoutMs: 5 * 60_000,
  connectTimeoutMs: 10_000,
};

export interface TransportOptions extends Partial<TransportLimits> {
  /** An IPv4 or IPv6 literal, e.g. "127.0.0.1" or "::1". */
  readonly host: string;
  /** 0 (the default) asks for an ephemeral port, the same for UDP and TCP; read it from `port`. */
  readonly port?: number;
  readonly logger?: TransportLogger;
}

export interface TransportEvents {
  /** A well-formed message; a request's top Via already carries `received`/`rport` (§18.2.1). */
  message: [message: SipMessage, source: MessageSource];
  /** Input that was refused; it was answered when `error.response` is set. */
  rejected: [error: SipParseError, source: MessageSource];
}

const SILENT: TransportLogger = { warn: () => undefined, debug: () => undefined };
/** Ephemeral ports tried when the one TCP got is already taken for UDP. */
const EPHEMERAL_ATTEMPTS = 20;

/**
 * @example
 * const transport = await SipTransport.listen({ host: '127.0.0.1' });
 * transport.on('message', (message, source) => { ... });
 * await transport.sendResponse(createResponse(request, 200), source);
 */
export class SipTransport extends EventEmitter<TransportEvents> {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly host: string,
    private readonly udp: UdpEndpoint,
    private readonly tcp: TcpEndpoint,
  ) {
    super();
  }

  static async listen(options: TransportOptions): Promise<SipTransport> {
    const limits = checkOptions(options);
    const logger = options.logger ?? SILENT;
    let transport: SipTransport | undefined;
    const handlers = {
      onMessage: (message: SipMessage, source: MessageSource) => transport?.deliver(message, source),
      onReject: (error: SipParseError, source: MessageSource) => transport?.emit('rejected', error, source),
    };
    const wanted = options.port ?? 0;
    for (let attempt = 0; ; attempt++) {
      const tcp = await TcpEndpoint.listen(options.host, wanted, limits, handlers, logger);
      try {
        const udp = await UdpEndpoint.bind(options.host, tcp.port, limits, handlers, logger);
        transport = new SipTransport(options.host, udp, tcp);
        return transport;
      } catch (error) {
        await tcp.close();
        const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (wanted !== 0 || !taken || attempt + 1 >= EPHEMERAL_ATTEMPTS) throw error;
      }
    }
  }

  /** This transport's sent-by for Via and Contact (RFC 3261 §18.1.1): host (IPv6 bracketed) and port. */
  get sentBy(): string {
    return `${addressToHost(this.host)}:${this.port}`;
  }

  /** The bound port, shared by UDP and TCP. */
  get port(): number {
    return this.tcp.port;
  }

  get connectionCount(): number {
    return this.tcp.connectionCount;
  }

  /** Sends `message` to `destination`; every failure rejects with `TransportError` (§18.4). */
  async send(message: SipMessage, destination: Destination): Promise<void> {
    await this.sendPrepared(prepare(message, destination));
  }

  /** Sends `response` where RFC 3261 §18.2.2 says, given the source of the request it answers. */
  async sendResponse(response: SipResponse, requestSource?: MessageSource): Promise<void> {
    await this.sendPrepared(prepareResponse(response, requestSource));
  }

  /** Sends a message prepared earlier (`prepare`, `prepareResponse`) as it is: a retransmission. */
  async sendPrepared({ bytes, destination }: Outgoing): Promise<void> {
    if (destination.protocol === 'udp') await this.udp.send(bytes, destination.address, destination.port);
    else await this.tcp.send(bytes, destination);
  }

  /** Closes both sockets and every connection; calling it again returns the same promise. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.udp.close(), this.tcp.close()]).then(() => undefined);
    return this.closing;
  }

  private deliver(message: SipMessage, source: MessageSource): void {
    this.emit('message', message.kind === 'request' ? stampReceived(message, source) : message, source);
  }
}

/**
 * A message serialized for its destination, for a sender that may send it again unchanged (a
 * transaction's retransmissions, the ACK of every retransmitted 2xx) without keeping the message.
 */
export interface Outgoing {
  readonly bytes: Buffer;
  readonly destination: Destination;
}

/** `message` serialized for `destination`; throws `TransportError` when it cannot be serialized. */
export function prepare(message: SipMessage, destination: Destination): Outgoing {
  try {
    return { bytes: serializeMessage(message), destination };
  } catch (error) {
    throw new TransportError('message cannot be serialized', { cause: error });
  }
}

/** `response` serialized for where RFC 3261 §18.2.2 sends it, given the source of the request it answers. */
export function prepareResponse(response: SipResponse, requestSource?: MessageSource): Outgoing {
  const via = topVia(response);
  if (via === undefined) throw new TransportError('response has no usable top Via');
  return prepare(response, responseDestination(via, requestSource));
}

function checkOptions(options: TransportOptions): TransportLimits {
  if (isIP(options.host) === 0) {
    throw new TransportOptionsError(`host "${options.host}" is not an IP literal; pass e.g. "127.0.0.1" or "::1"`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TransportOptionsError(`port ${port} is not 0-65535`);
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof TransportLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) throw new TransportOptionsError(`${key} must be a positive integer, not ${value}`);
    limits[key] = value;
  }
  if (options.maxBufferedBytes === undefined) limits.maxBufferedBytes = limits.maxHeaderBytes + limits.maxBodyBytes;
  return limits;
}
