/**
 * Everything a transaction machine asks of the world, as xstate `emit`ted events. The machines
 * hold no message bytes, sockets or clocks: the runtime keeps the request and the last response
 * it was given and acts on these effects in the order they are emitted.
 */
import type { TimerName } from './timers.ts';

export type TransactionEffect =
  /** Arm `timer` to send `TIMER_<timer>` after `ms`; arming a running timer re-arms it. */
  | { type: 'startTimer'; timer: TimerName; ms: number }
  /** Disarm a running `timer`; the machines never cancel a timer that is not running. */
  | { type: 'cancelTimer'; timer: TimerName }
  /**
   * Pass a message to the transport layer (§18): the request (first time or retransmission),
   * the ACK the transaction builds for a 300-699 (§17.1.1.3), a 100 (Trying) the transaction
   * builds itself (§8.2.6, §17.2.1), or the most recent response already sent, once more.
   */
  | { type: 'transmit'; what: 'request' | 'ack' | 'trying' | 'lastResponse' }
  /** Pass the response the TU just passed down, with this status, to the transport layer. */
  | { type: 'transmit'; what: 'response'; status: number }
  /** Pass the request that created the server transaction, or an ACK (RFC 6026 §8.7), to the TU. */
  | { type: 'passToTU'; what: 'request' | 'ack' }
  /** Pass a response with this status up to the TU. */
  | { type: 'passToTU'; what: 'response'; status: number }
  /** A message the RFC says to discard or absorb; the runtime may log it, nothing more. */
  | { type: 'discard'; what: 'request' | 'ack' | 'response' }
  /** Inform the TU that the transaction timed out (Timers B, F) or its final response was never acknowledged (Timer H). */
  | { type: 'timeout' }
  /** Inform the TU that the transport failed (§17.1.4, §17.2.4). */
  | { type: 'transportError' }
  /** The transaction entered "Terminated" and MUST be destroyed: forget it, its request and its response. */
  | { type: 'terminated' };
