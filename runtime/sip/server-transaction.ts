/**
 * A server transaction (RFC 3261 §17.2): the INVITE or non-INVITE machine, plus the messages its
 * effects refer to — the request that created it, the response the TU just passed down, the last
 * response sent (for retransmissions) and the ACK it passes up.
 */
import { inviteServerTransaction, nonInviteServerTransaction } from '../../machines/transactions/index.ts';
import type { BaseTimers } from '../../machines/transactions/timers.ts';
import { createResponse } from './builders.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { TransactionDriver } from './transaction-driver.ts';
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
  sendResponse(response: SipResponse, source: MessageSource): Promise<void>;
  /** passToTU for the request that created the transaction. */
  deliverRequest(transaction: ServerTransaction): void;
  /** passToTU for an ACK (RFC 6026 §8.7: an ACK matching an accepted INVITE). */
  deliverAck(ack: SipRequest, source: MessageSource): void;
  forget(key: string): void;
  debug(context: object, message: string): void;
}

export class ServerTransactionRunner implements ServerTransaction {
  private readonly driver: TransactionDriver;
  private outgoing: SipResponse | undefined;
  private lastResponse: SipResponse | undefined;
  private ack: SipRequest | undefined;
  private finalSent = false;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly source: MessageSource,
    timers: BaseTimers,
    private readonly host: ServerTransactionHost,
  ) {
    const machine = request.method === 'INVITE' ? inviteServerTransaction : nonInviteServerTransaction;
    this.driver = new TransactionDriver(machine, { ...timers, reliable: source.protocol === 'tcp' }, (effect) => {
      switch (effect.type) {
        case 'transmit':
          if (effect.what === 'trying') this.lastResponse = createResponse(request, 100);
          else if (effect.what === 'response') this.lastResponse = this.outgoing;
          if (this.lastResponse !== undefined) this.transmit(this.lastResponse);
          return;
        case 'passToTU':
          if (effect.what === 'request') host.deliverRequest(this);
          else if (effect.what === 'ack' && this.ack !== undefined) host.deliverAck(this.ack, source);
          return;
        case 'terminated':
          host.forget(key);
          return;
        default:
          host.debug({ transaction: key, effect }, 'server transaction effect');
      }
    });
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
  }

  /** §17.2.3: a retransmission of the request that created this transaction. */
  receiveRetransmission(): void {
    this.driver.send({ type: 'REQUEST' });
  }

  receiveAck(ack: SipRequest): void {
    this.ack = ack;
    this.driver.send({ type: 'ACK' });
  }

  stop(): void {
    this.driver.stop();
  }

  private transmit(response: SipResponse): void {
    // RFC 3261 §17.2.4: a response the transport cannot send is a transport error of the transaction.
    this.host.sendResponse(response, this.source).catch((error: unknown) => {
      this.host.debug({ transaction: this.key, err: error }, 'response not sent');
      this.driver.send({ type: 'TRANSPORT_ERROR' });
    });
  }
}
