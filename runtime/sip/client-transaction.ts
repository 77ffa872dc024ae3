/**
 * A client transaction (RFC 3261 §17.1): the INVITE or non-INVITE machine, the request it sends and
 * retransmits, the destination it was sent to, and the TU's handlers for what it passes up.
 */
import { inviteClientTransaction, nonInviteClientTransaction } from '../../machines/transactions/index.ts';
import type { BaseTimers } from '../../machines/transactions/timers.ts';
import { ackForFailure } from './derived-requests.ts';
import type { SipMessage, SipRequest, SipResponse } from './message.ts';
import { TransactionDriver } from './transaction-driver.ts';
import type { Destination } from './transport-types.ts';

/** What a client transaction reports to its TU. */
export interface ClientTransactionHandlers {
  onResponse(response: SipResponse): void;
  /** Timer B or F fired (RFC 3261 §17.1.1.2, §17.1.2.2); §8.1.3.1 reads it as a 408. */
  onTimeout(): void;
  /** The transport failed (§17.1.4); §8.1.3.1 reads it as a 503. */
  onTransportError(): void;
}

export interface ClientTransaction {
  readonly request: SipRequest;
  readonly destination: Destination;
}

/** What a client transaction needs from its layer. */
export interface ClientTransactionHost {
  send(message: SipMessage, destination: Destination): Promise<void>;
  forget(key: string): void;
  debug(context: object, message: string): void;
}

export class ClientTransactionRunner implements ClientTransaction {
  private readonly driver: TransactionDriver;
  private lastResponse: SipResponse | undefined;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly destination: Destination,
    timers: BaseTimers,
    handlers: ClientTransactionHandlers,
    private readonly host: ClientTransactionHost,
  ) {
    const machine = request.method === 'INVITE' ? inviteClientTransaction : nonInviteClientTransaction;
    this.driver = new TransactionDriver(machine, { ...timers, reliable: destination.protocol === 'tcp' }, (effect) => {
      switch (effect.type) {
        case 'transmit':
          if (effect.what === 'request') this.transmit(request);
          else if (effect.what === 'ack' && this.lastResponse !== undefined) this.transmit(ackForFailure(request, this.lastResponse));
          return;
        case 'passToTU':
          if (this.lastResponse !== undefined) handlers.onResponse(this.lastResponse);
          return;
        case 'timeout':
          handlers.onTimeout();
          return;
        case 'transportError':
          handlers.onTransportError();
          return;
        case 'terminated':
          host.forget(key);
          return;
        case 'discard':
          host.debug({ transaction: key }, 'response retransmission absorbed');
      }
    });
  }

  start(): void {
    this.driver.start();
  }

  /** §17.1.3: a response that matched this transaction. */
  receive(response: SipResponse): void {
    this.lastResponse = response;
    this.driver.send({ type: 'RESPONSE', status: response.status });
  }

  stop(): void {
    this.driver.stop();
  }

  private transmit(message: SipMessage): void {
    this.host.send(message, this.destination).catch((error: unknown) => {
      this.host.debug({ transaction: this.key, err: error }, 'request not sent');
      this.driver.send({ type: 'TRANSPORT_ERROR' });
    });
  }
}
