/**
 * The transaction layer (RFC 3261 §17) between the transport and the transaction user: it matches
 * each message to its transaction (§17.1.3, §17.2.3), creates server transactions for new requests,
 * answers CANCEL itself (§9.2), and hands the TU what no transaction absorbs: new requests, ACKs for
 * 2xx (their own transactions, §17.1.1.3) and responses that match no client transaction.
 */
import type { BaseTimers } from '../../machines/transactions/timers.ts';
import { createResponse } from './builders.ts';
import { ClientTransactionRunner, type ClientTransactionHandlers } from './client-transaction.ts';
import { MAGIC_COOKIE, newBranch } from './ids.ts';
import type { SipMessage, SipRequest, SipResponse } from './message.ts';
import { ServerTransactionRunner, type ServerTransaction } from './server-transaction.ts';
import { clientKey, responseKey, serverKey, topVia } from './transaction-keys.ts';
import { TransactionGraphs } from './transaction-steps.ts';
import { viaBranch } from './headers/via.ts';
import { prepare, type Outgoing, type SipTransport } from './transport.ts';
import type { Destination, MessageSource, TransportLogger } from './transport-types.ts';

export type { ServerTransaction } from './server-transaction.ts';
export type { ClientTransactionHandlers } from './client-transaction.ts';

/** The transaction user (RFC 3261 §5): the CF's session host. */
export interface TransactionUser {
  /** A new request other than ACK and CANCEL, with the server transaction to answer it on. */
  onRequest(transaction: ServerTransaction): void;
  /** RFC 3261 §9.2: a CANCEL matched this INVITE before it had a final response (the CANCEL is already answered 200). */
  onCancel(invite: ServerTransaction): void;
  /** An ACK no transaction absorbed: the ACK of a 2xx (RFC 3261 §13.3.1.4, RFC 6026 §8.7). */
  onAck(ack: SipRequest, source: MessageSource): void;
  /** A response matching no client transaction, e.g. a 2xx retransmitted after Timer M (RFC 6026 §8.4). */
  onStrayResponse(response: SipResponse, source: MessageSource): void;
}

export interface TransactionLayerOptions {
  /** T1, T2, T4 (RFC 3261 §17); defaults to the RFC's values. */
  readonly timers?: BaseTimers;
  readonly logger?: TransportLogger;
}

/** Counts for the benchmark of issue 7: what the layer holds now and has created so far. */
export interface TransactionStats {
  readonly live: number;
  readonly created: number;
}

/**
 * @example
 * const layer = new TransactionLayer(transport, { timers: { t1: 500 } });
 * layer.attach(sessionHost);
 * layer.sendRequest(invite, { protocol: 'udp', address: '127.0.0.1', port: 5071 }, handlers);
 */
export class TransactionLayer {
  private readonly servers = new Map<string, ServerTransactionRunner>();
  private readonly clients = new Map<string, ClientTransactionRunner>();
  private readonly graphs: TransactionGraphs;
  private readonly logger: TransportLogger;
  private user: TransactionUser | undefined;
  private created = 0;

  private readonly serverHost = {
    send: (outgoing: Outgoing) => this.transport.sendPrepared(outgoing),
    deliverRequest: (transaction: ServerTransaction) => this.deliver(transaction),
    deliverAck: (ack: SipRequest, source: MessageSource) => this.tu.onAck(ack, source),
    forget: (key: string) => this.servers.delete(key),
    debug: (context: object, message: string) => this.logger.debug(context, message),
  };

  private readonly clientHost = {
    send: (outgoing: Outgoing) => this.transport.sendPrepared(outgoing),
    forget: (key: string) => this.clients.delete(key),
    debug: (context: object, message: string) => this.logger.debug(context, message),
  };

  constructor(
    readonly transport: SipTransport,
    options: TransactionLayerOptions = {},
  ) {
    this.graphs = new TransactionGraphs(options.timers ?? {});
    this.logger = options.logger ?? { warn: () => undefined, debug: () => undefined };
    transport.on('message', (message, source) => this.receive(message, source));
  }

  /** Sets the transaction user; messages that arrive before are dropped. */
  attach(user: TransactionUser): void {
    this.user = user;
  }

  get stats(): TransactionStats {
    return { live: this.servers.size + this.clients.size, created: this.created };
  }

  /**
   * Starts a client transaction for `request` (anything but ACK), whose top Via must carry a
   * magic-cookie branch (see `newBranch`): the request is sent at once and retransmitted per its machine.
   */
  sendRequest(request: SipRequest, destination: Destination, handlers: ClientTransactionHandlers): void {
    const via = topVia(request);
    const branch = via === undefined ? undefined : viaBranch(via);
    if (branch === undefined || !branch.startsWith(MAGIC_COOKIE)) throw new TypeError(`${request.method} has no top Via with a ${MAGIC_COOKIE} branch`);
    const key = clientKey(branch, request.method);
    const transaction = new ClientTransactionRunner(key, request, destination, this.graphs, handlers, this.clientHost);
    this.clients.set(key, transaction);
    this.created++;
    transaction.start();
  }

  /**
   * RFC 3261 §17.1.1.3: the ACK of a 2xx is no transaction; it goes straight to the transport.
   * Returns it as sent, for the UAC core to send again for each retransmission of the 2xx
   * (§13.2.2.4) with `sendAckAgain`; undefined when it cannot be serialized.
   */
  sendAck(ack: SipRequest, destination: Destination): Outgoing | undefined {
    let outgoing: Outgoing;
    try {
      outgoing = prepare(ack, destination);
    } catch (error) {
      this.logger.debug({ err: error }, 'ACK not sent');
      return undefined;
    }
    this.sendAckAgain(outgoing);
    return outgoing;
  }

  /** Sends an ACK that went out before (see `sendAck`) once more, as it was. */
  sendAckAgain(outgoing: Outgoing): void {
    this.transport.sendPrepared(outgoing).catch((error: unknown) => this.logger.debug({ err: error }, 'ACK not sent'));
  }

  /** A fresh branch for a request's Via (RFC 3261 §8.1.1.7). */
  newBranch(): string {
    return newBranch();
  }

  /** Destroys every transaction (the CF is stopping): timers are disarmed and nothing more is sent. */
  close(): void {
    for (const transaction of this.servers.values()) transaction.stop();
    for (const transaction of this.clients.values()) transaction.stop();
    this.servers.clear();
    this.clients.clear();
  }

  private get tu(): TransactionUser {
    if (this.user === undefined) throw new Error('TransactionLayer: a message arrived before attach()');
    return this.user;
  }

  private receive(message: SipMessage, source: MessageSource): void {
    if (this.user === undefined) return;
    if (message.kind === 'response') this.receiveResponse(message, source);
    else this.receiveRequest(message, source);
  }

  private receiveResponse(response: SipResponse, source: MessageSource): void {
    const key = responseKey(response);
    const transaction = key === undefined ? undefined : this.clients.get(key);
    if (transaction === undefined) this.tu.onStrayResponse(response, source);
    else transaction.receive(response);
  }

  private receiveRequest(request: SipRequest, source: MessageSource): void {
    const key = serverKey(request);
    if (key === undefined) return;
    const existing = this.servers.get(key);
    if (request.method === 'ACK') {
      if (existing === undefined) this.tu.onAck(request, source);
      else existing.receiveAck(request);
      return;
    }
    if (existing !== undefined) {
      existing.receiveRetransmission();
      return;
    }
    const transaction = new ServerTransactionRunner(key, request, source, this.graphs, this.serverHost);
    this.servers.set(key, transaction);
    this.created++;
    transaction.start();
  }

  private deliver(transaction: ServerTransaction): void {
    if (transaction.request.method === 'CANCEL') this.answerCancel(transaction);
    else this.tu.onRequest(transaction);
  }

  /**
   * RFC 3261 §9.2: "If the UAS did not find a matching transaction for the CANCEL according to the
   * procedure above, it SHOULD respond to the CANCEL with a 481 ... Regardless of the method of the
   * original request, as long as the CANCEL matched an existing transaction, the UAS answers the
   * CANCEL request itself with a 200 (OK) response." Only an INVITE still without a final response
   * is the TU's business: "If it has [sent one], the CANCEL request has no effect".
   */
  private answerCancel(cancel: ServerTransaction): void {
    const key = serverKey(cancel.request, 'INVITE');
    const invite = key === undefined ? undefined : this.servers.get(key);
    if (invite === undefined) {
      cancel.respond(createResponse(cancel.request, 481));
      return;
    }
    cancel.respond(createResponse(cancel.request, 200));
    if (!invite.answered) this.tu.onCancel(invite);
  }
}
