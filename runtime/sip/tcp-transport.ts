/**
 * SIP over TCP (RFC 3261 §18): a listening socket plus the connections opened either way, capped
 * in number, looked up by id (to answer on the connection a request came on, §18.2.2) or by remote
 * address (to reuse one for a new message, §18.1.1).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { TransportError } from './errors.ts';
import { canonicalAddress } from './ip.ts';
import { TcpConnection, type ConnectionHandlers } from './tcp-connection.ts';
import type { Destination, TransportLimits, TransportLogger } from './transport-types.ts';

type EndpointHandlers = Omit<ConnectionHandlers, 'onClose'>;

export class TcpEndpoint {
  private readonly connections = new Map<string, TcpConnection>();
  private readonly byRemote = new Map<string, TcpConnection>();
  /**
   * The bound port, read once when listening starts: every request the CF sends asks for it (its
   * Via's sent-by), and `server.address()` is a getsockname(2) system call each time.
   */
  private boundPort = 0;

  private constructor(
    private readonly server: Server,
    private readonly limits: TransportLimits,
    private readonly handlers: EndpointHandlers,
    private readonly logger: TransportLogger,
  ) {}

  /** Listens on `host:port` (an IP literal); rejects with the socket error, e.g. EADDRINUSE. */
  static listen(host: string, port: number, limits: TransportLimits, handlers: EndpointHandlers, logger: TransportLogger): Promise<TcpEndpoint> {
    const server = createServer();
    const endpoint = new TcpEndpoint(server, limits, handlers, logger);
    server.on('connection', (socket) => endpoint.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, ipv6Only: host.includes(':') }, () => {
        server.off('error', reject);
        const address = server.address();
        endpoint.boundPort = typeof address === 'object' && address !== null ? address.port : 0;
        server.on('error', (error) => logger.warn({ err: error }, 'SIP TCP server error'));
        resolve(endpoint);
      });
    });
  }

  get port(): number {
    return this.boundPort;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async send(bytes: Buffer, destination: Destination): Promise<void> {
    const connection = this.find(destination) ?? (await this.open(destination.address, destination.port));
    await connection.send(bytes);
  }

  close(): Promise<void> {
    // As `server.address()` says once the server is closed: no port.
    this.boundPort = 0;
    for (const connection of this.connections.values()) connection.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private find(destination: Destination): TcpConnection | undefined {
    const byId = destination.connectionId === undefined ? undefined : this.connections.get(destination.connectionId);
    if (byId?.isOpen === true) return byId;
    const reused = this.byRemote.get(remoteKey(destination.address, destination.port));
    return reused?.isOpen === true ? reused : undefined;
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= this.limits.maxConnections) {
      this.logger.warn({ limit: this.limits.maxConnections }, 'refusing SIP connection: limit reached');
      socket.destroy();
      return;
    }
    this.adopt(socket);
  }

  private adopt(socket: Socket): TcpConnection {
    const connection = new TcpConnection(socket, this.limits, { ...this.handlers, onClose: (closed) => this.forget(closed) }, this.logger);
    this.connections.set(connection.id, connection);
    this.byRemote.set(remoteKey(connection.source.address, connection.source.port), connection);
    return connection;
  }

  private forget(connection: TcpConnection): void {
    this.connections.delete(connection.id);
    const key = remoteKey(connection.source.address, connection.source.port);
    if (this.byRemote.get(key) === connection) this.byRemote.delete(key);
  }

  private open(address: string, port: number): Promise<TcpConnection> {
    if (this.connections.size >= this.limits.maxConnections) {
      return Promise.reject(new TransportError(`cannot open a connection to ${address}:${port}: ${this.limits.maxConnections} open`));
    }
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address, port });
      const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${this.limits.connectTimeoutMs} ms`)), this.limits.connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new TransportError(`cannot connect to ${address}:${port}`, { cause: error }));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(this.adopt(socket));
      });
    });
  }
}

function remoteKey(address: string, port: number): string {
  return `${canonicalAddress(address)}|${port}`;
}
