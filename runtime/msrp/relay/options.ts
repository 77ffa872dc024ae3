/**
 * The relay's options, checked once at start with messages that say what to pass instead, and
 * filled with the defaults the RFCs suggest where they suggest one.
 */
import { isIP } from 'node:net';

/** The subset of a pino logger the relay uses (the same shape as the SIP transports'). */
export interface RelayLogger {
  warn(context: object, message: string): void;
  debug(context: object, message: string): void;
}

export interface MsrpRelayOptions {
  /** IP literal to listen on; it is also the host of every MSRP URI the CF hands out. */
  host: string;
  /** TCP port; 0 picks a free one (read it back from `relay.authority`). */
  port: number;
  /** Largest message the CF takes (413 beyond, RFC 4975 §10); an answer's a=max-size lowers it per session. */
  maxMessageBytes: number;
  /** Where spool files go; default `os.tmpdir()`. */
  spoolDir?: string;
  /**
   * Per session: spooled body bytes held in memory; the rest of the session's bytes go to a
   * temporary file, whose newest `memorySpoolBytes` (at least two windows) stay in memory as well.
   */
  memorySpoolBytes: number;
  /**
   * Per member connection (one per member authority, shared by the sessions towards it), the most
   * bytes the CF buffers towards that member; also the most a spool file may owe the disk before
   * the originator's socket is paused. A slow member costs the CF this much memory and nothing more.
   */
  windowBytes: number;
  /** Connecting to a member, or waiting for a member that connects to bind (RFC 4975 §5.4). */
  connectTimeoutMs: number;
  /**
   * How long a member may leave a chunk unanswered or its connection unread before its leg fails.
   * Default 30 s, the response timeout RFC 4975 suggests for a transaction.
   */
  transactionTimeoutMs?: number;
  /** Parser limit on start-line plus headers (default 16 KiB). */
  maxHeadBytes?: number;
  logger?: RelayLogger;
}

export interface RelayConfig {
  readonly host: string;
  readonly port: number;
  readonly maxMessageBytes: number;
  readonly spoolDir: string | undefined;
  readonly memorySpoolBytes: number;
  readonly windowBytes: number;
  readonly connectTimeoutMs: number;
  readonly transactionTimeoutMs: number;
  readonly maxHeadBytes: number;
  readonly logger: RelayLogger;
}

const SILENT: RelayLogger = { warn: () => undefined, debug: () => undefined };

/** Node's own default high-water mark for sockets: a window below it would never see 'drain'. */
const MIN_WINDOW_BYTES = 16 * 1024;

export function checkRelayOptions(options: MsrpRelayOptions): RelayConfig {
  if (isIP(options.host) === 0) {
    throw new TypeError(`MSRP relay option host must be an IP literal, got "${options.host}"; resolve names before starting the relay`);
  }
  integer('port', options.port, 0, 65535, 'use 0 to let the system pick');
  integer('maxMessageBytes', options.maxMessageBytes, 1, Number.MAX_SAFE_INTEGER, 'it is the size above which SENDs get 413');
  integer('memorySpoolBytes', options.memorySpoolBytes, 0, Number.MAX_SAFE_INTEGER, 'use 0 to spool every byte to disk');
  integer('windowBytes', options.windowBytes, MIN_WINDOW_BYTES, 2 ** 31 - 1, `it must reach Node's socket high-water mark (${MIN_WINDOW_BYTES})`);
  integer('connectTimeoutMs', options.connectTimeoutMs, 1, 2 ** 31 - 1, 'a connection attempt must be bounded');
  const transactionTimeoutMs = options.transactionTimeoutMs ?? 30_000;
  integer('transactionTimeoutMs', transactionTimeoutMs, 1, 2 ** 31 - 1, 'a member that never answers must be dropped');
  const maxHeadBytes = options.maxHeadBytes ?? 16 * 1024;
  integer('maxHeadBytes', maxHeadBytes, 1, 2 ** 31 - 1, 'it bounds what a peer can make the parser hold');
  return {
    host: options.host,
    port: options.port,
    maxMessageBytes: options.maxMessageBytes,
    spoolDir: options.spoolDir,
    memorySpoolBytes: options.memorySpoolBytes,
    windowBytes: options.windowBytes,
    connectTimeoutMs: options.connectTimeoutMs,
    transactionTimeoutMs,
    maxHeadBytes,
    logger: options.logger ?? SILENT,
  };
}

function integer(name: string, value: number, min: number, max: number, hint: string): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`MSRP relay option ${name} must be an integer from ${min} to ${max}, got ${value}: ${hint}`);
  }
}
