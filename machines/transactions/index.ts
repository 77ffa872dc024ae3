/**
 * The four transaction state machines of RFC 3261 §17, with the RFC 6026 corrections, as pure
 * xstate v5 machines: they emit `TransactionEffect`s and receive `TransactionEvent`s, and never
 * touch a clock, a socket or a promise.
 */
export { inviteClientTransaction } from './invite-client.ts';
export { nonInviteClientTransaction } from './non-invite-client.ts';
export { inviteServerTransaction } from './invite-server.ts';
export { nonInviteServerTransaction } from './non-invite-server.ts';
export type { TransactionContext, TransactionInput } from './transaction-setup.ts';
export type { TransactionEffect } from './effects.ts';
export type {
  AckEvent,
  InviteClientEvent,
  InviteServerEvent,
  NonInviteClientEvent,
  NonInviteServerEvent,
  RequestEvent,
  ResponseEvent,
  SendResponseEvent,
  TimerEvent,
  TransactionEvent,
  TransportErrorEvent,
} from './events.ts';
export { T1, T2, T4, TIMER_D_MINIMUM, timerDurations } from './timers.ts';
export type { BaseTimers, TimerDurations, TimerName } from './timers.ts';
