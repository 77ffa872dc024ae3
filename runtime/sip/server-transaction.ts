/**
 * A server transaction (RFC 3261 §17.2): the INVITE or non-INVITE machine, plus the messages its
 * effects refer to — the request that created it, the response the TU just passed down, the bytes
 * of the last response sent (what a retransmitted request gets again, §17.2.1, §17.2.2) and the ACK
 * it passes up. Responses are kept as the bytes sent, not as messages: a transaction lingers in
 * "Completed" or "Accepted" for up to 64*T1 on UDP.
 */
import { inviteServerTransaction, nonInviteServerTransaction } from '../../machines/transactions/index.ts';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import { createResponse } from './builders.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { TransactionDriver, type EffectPerformer } from './transaction-driver.ts';
import type { TransactionGraphs } from './transaction-steps.ts';
import { prepareResponse, type Outgoing } from './transport.ts';
import type { MessageSource } from './transport-types.ts';

/** What the transaction user sees of a server transaction. */
export interface ServerTransaction {
  readonly request: SipRequest;
  readonly source: MessageSource;
  /** A final response (200-699) has been passed down. */
  readonly answered: boolean;
  /**
   * Passes a response down (RFC 3261 §17.2.1, §17.2.2). For an INVITE, 2xx retransmissions go
   * through here too while the transaction is in "Accepted" (RFC 6026 §8.7).
   */
  respond(response: SipResponse): void;
}

/** What a server transaction needs from its layer. */
export interface ServerTransactionHost {
  send(outgoing: Outgoing): Promise<void>;
  /** passToTU for the request that created the transaction. */
  deliverRequest(transaction: ServerTransaction): void;
  /** passToTU for an ACK (RFC 6026 §8.7: an ACK matching an accepted INVITE). */
  deliverAck(ack: SipRequest, source: MessageSource): void;
  forget(key: string): void;
  debug(context: object, message: string): void;
}

export class ServerTransactionRunner implements ServerTransaction, EffectPerformer {
  private readonly driver: TransactionDriver;
  /** The response being passed down, or the ACK being received, for the effects of the step it causes. */
  private outgoing: SipResponse | undefined;
  private ack: SipRequest | undefined;
  private lastSent: Outgoing | undefined;
  private finalSent = false;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly source: MessageSource,
    graphs: TransactionGraphs,
    private readonly host: ServerTransactionHost,
  ) {
    const machine = request.method === 'INVITE' ? inviteServerTransaction : nonInviteServerTransaction;
    this.driver = new TransactionDriver(graphs.of(machine, source.protocol === 'tcp'), this);
  }

  get answered(): boolean {
    return this.finalSent;
  }

  start(): void {
    this.driver.start();
  }

  respond(response: SipResponse): void {
    if (response.status >= 200) this.finalSent = true;
    this.outgoing = response;
    this.driver.send({ type: 'SEND_RESPONSE', status: response.status });
    this.outgoing = undefined;
  }

  /** §17.2.3: a retransmission of the request that created this transaction. */
  receiveRetransmission(): void {
    this.driver.send({ type: 'REQUEST' });
  }

  receiveAck(ack: SipRequest): void {
    this.ack = ack;
    this.driver.send({ type: 'ACK' });
    this.ack = undefined;
  }

  stop(): void {
    this.driver.stop();
  }

  perform(effect: Exclude<TransactionEffect, { type: 'startTimer' | 'cancelTimer' }>): void {
    switch (effect.type) {
      case 'transmit':
        if (effect.what === 'trying') this.transmit(createResponse(this.request, 100));
        else if (effect.what === 'response' && this.outgoing !== undefined) this.transmit(this.outgoing);
        else if (effect.what === 'lastResponse' && this.lastSent !== undefined) {
          const lastSent = this.lastSent;
          this.send(() => lastSent);
        }
        return;
      case 'passToTU':
        if (effect.what === 'request') this.host.deliverRequest(this);
        else if (effect.what === 'ack' && this.ack !== undefined) this.host.deliverAck(this.ack, this.source);
        return;
      case 'terminated':
        // The TU may keep the transaction (it holds the request), but nothing is retransmitted any more.
        this.lastSent = undefined;
        this.host.forget(this.key);
        return;
      default:
        this.host.debug({ transaction: this.key, effect }, 'server transaction effect');
    }
  }

  private transmit(response: SipResponse): void {
    this.send(() => (this.lastSent = prepareResponse(response, this.source)));
  }

  private send(outgoing: () => Outgoing): void {
    // RFC 3261 §17.2.4: a response the transport cannot send is a transport error of the transaction.
    this.driver.transmit(
      () => this.host.send(outgoing()),
      (error) => this.host.debug({ transaction: this.key, err: error }, 'response not sent'),
    );
  }
}
