/**
 * SIP over UDP (RFC 3261 §18): one datagram is one message (§18.3), sizes are capped, and a
 * malformed request that can still be answered gets its 400 sent back to the packet's source.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { createErrorResponse } from './builders.ts';
import { SipParseError, TransportError } from './errors.ts';
import { sourceAddress } from './ip.ts';
import type { SipMessage } from './message.ts';
import { parseDatagram, salvageResponseContext, skipLineEnds } from './parser.ts';
import { serializeMessage } from './serializer.ts';
import type { MessageSource, TransportLimits, TransportLogger } from './transport-types.ts';

/** Asked of the kernel for the socket's receive buffer; Linux grants up to `net.core.rmem_max`. */
const UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

export interface UdpHandlers {
  onMessage(message: SipMessage, source: MessageSource): void;
  onReject(error: SipParseError, source: MessageSource): void;
}

export class UdpEndpoint {
  private constructor(
    private readonly socket: Socket,
    private readonly limits: TransportLimits,
    private readonly logger: TransportLogger,
  ) {}

  /** Binds `host:port` (an IP literal); rejects with the socket error, e.g. EADDRINUSE. */
  static bind(host: string, port: number, limits: TransportLimits, handlers: UdpHandlers, logger: TransportLogger): Promise<UdpEndpoint> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', ipv6Only: isIPv6(host) });
    const endpoint = new UdpEndpoint(socket, limits, logger);
    socket.on('message', (datagram, remote) => endpoint.receive(datagram, { protocol: 'udp', address: sourceAddress(remote.address), port: remote.port }, handlers));
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        socket.on('error', (error) => logger.warn({ err: error }, 'SIP UDP socket error'));
        // One group session is a burst of datagrams (a 1xx and a 2xx per member at once); the
        // default receive buffer (about 200 KiB on Linux) overflows under a few hundred of them,
        // and a lost 2xx costs a member until its retransmission. The kernel caps the size asked.
        socket.setRecvBufferSize(UDP_RECEIVE_BUFFER_BYTES);
        resolve(endpoint);
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(bytes: Buffer, address: string, port: number): Promise<void> {
    // RFC 3261 §18.1.1: a message too large for the path belongs on TCP; the caller must choose it.
    if (bytes.length > this.limits.maxDatagramBytes) {
      return Promise.reject(new TransportError(`${bytes.length}-byte message exceeds the ${this.limits.maxDatagramBytes}-byte datagram limit`));
    }
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, port, address, (error) => (error ? reject(new TransportError(`UDP send to ${address}:${port} failed`, { cause: error })) : resolve()));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private receive(datagram: Buffer, source: MessageSource, handlers: UdpHandlers): void {
    // A datagram of only CRLFs is a keep-alive, not a message (RFC 5626 §3.5.1 keeps CRLF for streams).
    if (skipLineEnds(datagram, 0) === datagram.length) return;
    if (datagram.length > this.limits.maxDatagramBytes) {
      const fault = new SipParseError('CPM_ERR_SIP_DATAGRAM_TOO_LARGE', `${datagram.length}-byte datagram`);
      this.refuse(fault.withResponse(salvageResponseContext(datagram, 0, Math.min(datagram.length, this.limits.maxHeaderBytes))), source, handlers);
      return;
    }
    const parsed = parseDatagram(datagram);
    if (parsed.ok) handlers.onMessage(parsed.value, source);
    else this.refuse(parsed.error, source, handlers);
  }

  // The Via of a malformed request cannot be trusted, so its answer goes to where it came from.
  private refuse(error: SipParseError, source: MessageSource, handlers: UdpHandlers): void {
    handlers.onReject(error, source);
    const response = createErrorResponse(error);
    if (response === undefined) return;
    this.send(serializeMessage(response), source.address, source.port).catch((sendError: unknown) =>
      this.logger.debug({ err: sendError }, 'could not answer a malformed SIP datagram'),
    );
  }
}
