/**
 * What a transaction machine receives: messages from the transport, responses from the TU, and
 * the expiry of the timers it asked for. Creating the actor is the TU initiating the client
 * transaction (RFC 3261 §17.1.1.2, §17.1.2.2) or the core constructing the server transaction
 * for a request that arrived (§17.2.1, §17.2.2), so neither is an event.
 */
import type { TimerName } from './timers.ts';

/** A response from the transport that matched this client transaction (§17.1.3). */
export interface ResponseEvent {
  type: 'RESPONSE';
  status: number;
}

/** A response the TU passes to this server transaction (§17.2.3: the TU targets it). */
export interface SendResponseEvent {
  type: 'SEND_RESPONSE';
  status: number;
}

/** A retransmission of the request that created this server transaction (§17.2.3). */
export interface RequestEvent {
  type: 'REQUEST';
}

/** An ACK that matched this INVITE server transaction (§17.2.3). */
export interface AckEvent {
  type: 'ACK';
}

/** The transport layer failed to send a message of this transaction (§17.1.4, §17.2.4). */
export interface TransportErrorEvent {
  type: 'TRANSPORT_ERROR';
}

/** Timer `T` fired; the runtime sends it only for a timer started and not cancelled since. */
export type TimerEvent<T extends TimerName> = T extends TimerName ? { type: `TIMER_${T}` } : never;

export type InviteClientEvent = ResponseEvent | TransportErrorEvent | TimerEvent<'A' | 'B' | 'D' | 'M'>;

export type NonInviteClientEvent = ResponseEvent | TransportErrorEvent | TimerEvent<'E' | 'F' | 'K'>;

export type InviteServerEvent =
  | RequestEvent
  | AckEvent
  | SendResponseEvent
  | TransportErrorEvent
  | TimerEvent<'G' | 'H' | 'I' | 'L'>;

export type NonInviteServerEvent = RequestEvent | SendResponseEvent | TransportErrorEvent | TimerEvent<'J'>;

export type TransactionEvent = InviteClientEvent | NonInviteClientEvent | InviteServerEvent | NonInviteServerEvent;
