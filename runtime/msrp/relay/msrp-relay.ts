/**
 * The MSRP relay of the CF (`MediaRelay`): one TCP listener for every session, sessions found by
 * the session-id of each request's To-Path, and the CF's own connections out to members, one per
 * member authority, shared by every session towards it (RFC 4975 §5.4, `ConnectionPool`).
 *
 * @example
 * const relay = await startMsrpRelay({
 *   host: '192.0.2.10', port: 2855, maxMessageBytes: 1 << 30,
 *   memorySpoolBytes: 8 << 20, windowBytes: 1 << 20, connectTimeoutMs: 10_000,
 * });
 * const media = relay.openSession({ authority: relay.authority, sessionId: newSessionId() }, events);
 * media.expectOriginator(answer); // then connectMember, relayToMember… as the machines say
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FocusMedia } from '../../../machines/types.ts';
import type { MediaEvents, MediaRelay, MediaSession } from '../../media.ts';
import type { MsrpRequestHead } from '../frame.ts';
import { parseMsrpUri, type MsrpUri } from '../uri.ts';
import { MsrpConnection, type ConnectionConfig, type ConnectionRouter, type FrameSink } from './connection.ts';
import { ConnectionPool } from './connection-pool.ts';
import { focusTargetOf } from './focus-path.ts';
import { checkRelayOptions, type MsrpRelayOptions, type RelayConfig } from './options.ts';
import { MSRP_DEFAULT_PORT } from './path.ts';
import { RelaySession } from './relay-session.ts';

/** Starts listening; resolves once the port is bound (rejects with the socket error, e.g. EADDRINUSE). */
export async function startMsrpRelay(options: MsrpRelayOptions): Promise<MsrpRelay> {
  const config = checkRelayOptions(options);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: config.host, port: config.port, ipv6Only: config.host.includes(':') }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new MsrpRelay(server, config);
}

export class MsrpRelay implements MediaRelay, ConnectionRouter {
  readonly authority: string;
  readonly #server: Server;
  readonly #config: RelayConfig;
  readonly #connectionConfig: ConnectionConfig;
  readonly #sessions = new Map<string, RelaySession>();
  readonly #connections = new Set<MsrpConnection>();
  readonly #pool = new ConnectionPool();
  readonly #cleanups = new Set<Promise<void>>();

  /** @internal use `startMsrpRelay`. */
  constructor(server: Server, config: RelayConfig) {
    this.#server = server;
    this.#config = config;
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    this.authority = `msrp://${host}:${port}`;
    const fallback = parseMsrpUri(`${this.authority};tcp`);
    if (!fallback.ok) throw new TypeError(fallback.reason);
    this.#connectionConfig = { maxHeadBytes: config.maxHeadBytes, fallbackUri: fallback.value, closeGraceMs: config.connectTimeoutMs, logger: config.logger };
    server.on('connection', (socket) => this.#accept(socket));
    server.on('error', (error) => config.logger.warn({ err: error }, 'MSRP listener error'));
  }

  get openSessions(): number {
    return this.#sessions.size;
  }

  /** TCP connections open now, either way (for metrics and the leak checks of the tests). */
  get openConnections(): number {
    return this.#connections.size;
  }

  /**
   * Bytes the relay holds in memory now: every spool's in-memory share and disk backlog, and what
   * waits to be written to peers. It is bounded by the options (see `MsrpRelayOptions`), whatever
   * the peers do.
   */
  get heldBytes(): number {
    let bytes = 0;
    for (const session of this.#sessions.values()) bytes += session.spooledMemoryBytes;
    for (const connection of this.#connections) bytes += connection.sender.bufferedBytes;
    return bytes;
  }

  openSession(focus: FocusMedia, events: MediaEvents): MediaSession {
    if (this.#sessions.has(focus.sessionId)) {
      throw new Error('MsrpRelay.openSession: this session-id is already open; mint a fresh one with newSessionId()');
    }
    const session = new RelaySession(
      {
        config: this.#config,
        connect: (uri) => this.#connect(uri),
        forget: (sessionId, cleanup) => this.#forget(sessionId, cleanup),
      },
      focus,
      events,
    );
    this.#sessions.set(focus.sessionId, session);
    return session;
  }

  /** Releases every session, closes every connection and the listener; resolves once spool files are gone. */
  async close(): Promise<void> {
    for (const session of [...this.#sessions.values()]) session.release();
    for (const connection of this.#connections) connection.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await Promise.all(this.#cleanups);
  }

  /** @internal the connections' router. */
  onRequest(connection: MsrpConnection, head: MsrpRequestHead): FrameSink | undefined {
    const target = focusTargetOf(head.headers.toPath);
    const session = target === undefined ? undefined : this.#sessions.get(target.sessionId);
    if (target === undefined || session === undefined) {
      // RFC 4975 §10: 481 "indicates that the indicated session does not exist".
      connection.answer(head, 481);
      return undefined;
    }
    return session.accept(connection, target, head);
  }

  /** @internal */
  onClose(connection: MsrpConnection): void {
    this.#connections.delete(connection);
    this.#pool.forget(connection);
  }

  #accept(socket: Socket): void {
    const connection = this.#adopt(socket);
    connection.expireUnbound(this.#config.connectTimeoutMs);
  }

  /** A connection to `uri`'s authority: one already open to it (RFC 4975 §5.4, see `ConnectionPool`), else a new one. */
  #connect(uri: MsrpUri): MsrpConnection {
    return this.#pool.connectionTo(uri, () => {
      const socket = connect({ host: uri.host.replace(/^\[(.*)\]$/, '$1'), port: uri.port ?? MSRP_DEFAULT_PORT });
      socket.setTimeout(this.#config.connectTimeoutMs, () => socket.destroy());
      socket.once('connect', () => socket.setTimeout(0));
      return this.#adopt(socket);
    });
  }

  #adopt(socket: Socket): MsrpConnection {
    socket.setNoDelay(true);
    const connection = new MsrpConnection(socket, this, this.#connectionConfig);
    this.#connections.add(connection);
    return connection;
  }

  #forget(sessionId: string, cleanup: Promise<void>): void {
    this.#sessions.delete(sessionId);
    this.#cleanups.add(cleanup);
    void cleanup.finally(() => this.#cleanups.delete(cleanup));
  }
}
