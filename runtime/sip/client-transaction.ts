/**
 * A client transaction (RFC 3261 §17.1): the INVITE or non-INVITE machine, the request it sends and
 * retransmits, and the TU's handlers for what it passes up.
 *
 * Once a final response has arrived the request is never sent again, yet the transaction lingers
 * (Timer M, D or K: up to 64*T1 on UDP) to absorb retransmissions; from then on it keeps only what
 * those need — the handlers (2xx retransmissions go up, RFC 6026 §8.4) and the bytes of its ACK
 * (§17.1.1.3: a retransmitted 300-699 gets the ACK again) — not the request or any response.
 */
import { inviteClientTransaction, nonInviteClientTransaction } from '../../machines/transactions/index.ts';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import { ackForFailure } from './derived-requests.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { TransactionDriver, type EffectPerformer } from './transaction-driver.ts';
import type { TransactionGraphs } from './transaction-steps.ts';
import { prepare, type Outgoing } from './transport.ts';
import type { Destination } from './transport-types.ts';

/** What a client transaction reports to its TU. */
export interface ClientTransactionHandlers {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired (RFC 3261 §17.1.1.2, §17.1.2.2); §8.1.3.1 reads it as a 408. */
  onTimeout(): void;
  /** The transport failed (§17.1.4); §8.1.3.1 reads it as a 503. */
  onTransportError(): void;
  /** The transaction is over: no response reaches the TU through it any more (e.g. a 2xx after Timer M). */
  onTerminated?(): void;
}

/** What a client transaction needs from its layer. */
export interface ClientTransactionHost {
  send(outgoing: Outgoing): Promise<void>;
  forget(key: string): void;
  debug(context: object, message: string): void;
}

export class ClientTransactionRunner implements EffectPerformer {
  private readonly driver: TransactionDriver;
  /** The request, until its final response: the ACK of a 300-699 is built from it. */
  private request: SipRequest | undefined;
  /** The request's bytes, until its final response, sent again at each retransmission. */
  private requestBytes: Outgoing | undefined;
  /** The ACK of the final 300-699 response, sent again for each retransmission of it. */
  private ackBytes: Outgoing | undefined;
  /** The response being delivered, for the effects of the step it causes. */
  private received: SipResponse | undefined;

  constructor(
    readonly key: string,
    request: SipRequest,
    readonly destination: Destination,
    graphs: TransactionGraphs,
    private readonly handlers: ClientTransactionHandlers,
    private readonly host: ClientTransactionHost,
  ) {
    this.request = request;
    const machine = request.method === 'INVITE' ? inviteClientTransaction : nonInviteClientTransaction;
    this.driver = new TransactionDriver(graphs.of(machine, destination.protocol === 'tcp'), this);
  }

  start(): void {
    this.driver.start();
  }

  /** §17.1.3: a response that matched this transaction. */
  receive(response: SipResponse): void {
    this.received = response;
    this.driver.send({ type: 'RESPONSE', status: response.status });
    this.received = undefined;
    if (response.status >= 200) {
      this.request = undefined;
      this.requestBytes = undefined;
    }
  }

  stop(): void {
    this.driver.stop();
  }

  perform(effect: Exclude<TransactionEffect, { type: 'startTimer' | 'cancelTimer' }>): void {
    switch (effect.type) {
      case 'transmit':
        if (effect.what === 'request') this.transmitRequest();
        else if (effect.what === 'ack') this.transmitAck();
        return;
      case 'passToTU':
        if (this.received !== undefined) this.handlers.onResponse(this.received);
        return;
      case 'timeout':
        this.handlers.onTimeout();
        return;
      case 'transportError':
        this.handlers.onTransportError();
        return;
      case 'terminated':
        this.ackBytes = undefined;
        this.host.forget(this.key);
        this.handlers.onTerminated?.();
        return;
      case 'discard':
        this.host.debug({ transaction: this.key }, 'response retransmission absorbed');
    }
  }

  private transmitRequest(): void {
    const request = this.request;
    if (request === undefined) return;
    this.transmit(() => (this.requestBytes ??= prepare(request, this.destination)));
  }

  /** RFC 3261 §17.1.1.3: built once, from the request and the first 300-699; the same bytes after. */
  private transmitAck(): void {
    const request = this.request;
    const response = this.received;
    this.transmit(() => {
      if (this.ackBytes === undefined) {
        if (request === undefined || response === undefined) throw new TypeError('an ACK asked for before any final response');
        this.ackBytes = prepare(ackForFailure(request, response), this.destination);
      }
      return this.ackBytes;
    });
  }

  private transmit(outgoing: () => Outgoing): void {
    this.driver.transmit(
      () => this.host.send(outgoing()),
      (error) => this.host.debug({ transaction: this.key, err: error }, 'request not sent'),
    );
  }
}
