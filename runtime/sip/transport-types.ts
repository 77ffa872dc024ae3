/** Shapes shared by the transports and the code that uses them. */

export type TransportProtocol = 'udp' | 'tcp';

/** Where a message came from: the packet's source, and for TCP the connection it arrived on. */
export interface MessageSource {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  readonly connectionId?: string;
}

/** Where to send: for TCP an open connection by id if it still exists, else a connection to address:port. */
export interface Destination {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
  readonly connectionId?: string;
}

/** Limits on what peers can make the transport hold; every one is in force (no "unlimited"). */
export interface TransportLimits {
  /** Largest datagram read or sent over UDP (RFC 3261 §18.1.1: larger requests belong on TCP). */
  readonly maxDatagramBytes: number;
  readonly maxHeaderBytes: number;
  readonly maxBodyBytes: number;
  /** Bytes of an unfinished message held per TCP connection. */
  readonly maxBufferedBytes: number;
  /** Bytes queued for sending per TCP connection before it is dropped as not reading. */
  readonly maxSendBufferBytes: number;
  /** TCP connections, inbound and outbound together. */
  readonly maxConnections: number;
  /** A TCP connection with no traffic either way for this long is closed. */
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

/** The subset of a pino logger the transports use. */
export interface TransportLogger {
  warn(context: object, message: string): void;
  debug(context: object, message: string): void;
}
