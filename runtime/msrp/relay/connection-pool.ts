/**
 * The connections the CF opened itself (it is the active side, RFC 4975 §5.4), by the authority
 * they go to, so that every session towards the same member endpoint shares one.
 *
 * RFC 4975 §5.4: "If the sender already has such a connection, that is, one associated with the
 * same host, port, and URI scheme, then it SHOULD reuse that connection." Each session still binds
 * it with its own first SEND (§5.4), and the peer tells the sessions apart by the session-id of
 * each request's To-Path (§7.3); the CF does the same with the responses (see `MsrpConnection`).
 * A connection is reused while it is open and some session is bound to it; the last session to
 * leave closes it, and the next one opens a new one.
 *
 * Without it the relay opened a connection per member per session: 10,000 sessions of 10
 * members took 100,000 descriptors, beyond what a process may hold.
 */
import { connectionKey, type MsrpUri } from '../uri.ts';
import type { MsrpConnection } from './connection.ts';
import { MSRP_DEFAULT_PORT } from './path.ts';

export class ConnectionPool {
  readonly #byKey = new Map<string, MsrpConnection>();
  readonly #keys = new Map<MsrpConnection, string>();

  /** The reusable connection to `uri`'s authority, or the one `open()` makes. */
  connectionTo(uri: MsrpUri, open: () => MsrpConnection): MsrpConnection {
    const key = connectionKey(uri, MSRP_DEFAULT_PORT);
    const pooled = this.#byKey.get(key);
    if (pooled?.reusable === true) return pooled;
    if (pooled !== undefined) this.forget(pooled);
    const connection = open();
    this.#byKey.set(key, connection);
    this.#keys.set(connection, key);
    return connection;
  }

  /** The connection has closed. */
  forget(connection: MsrpConnection): void {
    const key = this.#keys.get(connection);
    if (key === undefined) return;
    this.#keys.delete(connection);
    if (this.#byKey.get(key) === connection) this.#byKey.delete(key);
  }
}
