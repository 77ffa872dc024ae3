/**
 * The guards and actions the four transaction machines share, so that a status class, a timer
 * or an effect means the same thing in each of them. Every action only emits effects or updates
 * the retransmission interval; none touches the world.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import type { EventObject } from 'xstate';
import type { TransactionEffect } from './effects.ts';
import type { TransactionEvent } from './events.ts';
import { isRetransmissionTimer, runsOver, timerDurations } from './timers.ts';
import type { BaseTimers, TimerDurations, TimerName } from './timers.ts';

export interface TransactionInput extends BaseTimers {
  /** Whether the transport is reliable (TCP, TLS, SCTP) rather than unreliable (UDP). */
  reliable: boolean;
}

export interface TransactionContext {
  reliable: boolean;
  durations: TimerDurations;
  /**
   * The duration the retransmission timer (A, E or G: each machine has at most one) is armed
   * with next. It starts at T1 and backs off as each machine's RFC text says.
   */
  interval: number;
}

/** Builds the context from the input; throws a `RangeError` on unusable timer values. */
export function transactionContext({ input }: { input: TransactionInput }): TransactionContext {
  const durations = timerDurations(input);
  return { reliable: input.reliable, durations, interval: durations.A };
}

function statusOf(event: EventObject): number {
  if (!('status' in event) || typeof event.status !== 'number') {
    throw new TypeError(`'${event.type}' carries no status; only RESPONSE and SEND_RESPONSE do`);
  }
  return event.status;
}

function hasStatusIn(low: number, high: number) {
  return ({ event }: { event: EventObject }): boolean =>
    'status' in event && typeof event.status === 'number' && event.status >= low && event.status <= high;
}

function timerOf(event: EventObject): string | undefined {
  return event.type.startsWith('TIMER_') ? event.type.slice('TIMER_'.length) : undefined;
}

/**
 * The shared `setup()` for a transaction machine that receives `TEvent`.
 *
 * @example
 * ```ts
 * const machine = transactionSetup<NonInviteServerEvent>().createMachine({ ... });
 * ```
 */
export function transactionSetup<TEvent extends TransactionEvent>() {
  return setup({
    types: {} as {
      context: TransactionContext;
      events: TEvent;
      input: TransactionInput;
      emitted: TransactionEffect;
    },
    guards: {
      /** RFC 3261 §7.2: "1xx: Provisional". */
      isProvisional: hasStatusIn(100, 199),
      /** RFC 3261 §7.2: "2xx: Success". */
      isSuccess: hasStatusIn(200, 299),
      /** The responses RFC 3261 §17 handles together: "status code from 300-699". */
      isFinalNonSuccess: hasStatusIn(300, 699),
      /** RFC 3261 §17.1.2.2: "a final response (status codes 200-699)". */
      isFinal: hasStatusIn(200, 699),
      transportIsReliable: ({ context }) => context.reliable,
    },
    actions: {
      transmit: emit((_, params: { what: 'request' | 'ack' | 'trying' | 'lastResponse' }) => ({
        type: 'transmit' as const,
        what: params.what,
      })),
      transmitResponse: emit(({ event }) => ({ type: 'transmit' as const, what: 'response' as const, status: statusOf(event) })),
      passToTU: emit((_, params: { what: 'request' | 'ack' }) => ({ type: 'passToTU' as const, what: params.what })),
      passResponseToTU: emit(({ event }) => ({ type: 'passToTU' as const, what: 'response' as const, status: statusOf(event) })),
      discard: emit((_, params: { what: 'request' | 'ack' | 'response' }) => ({ type: 'discard' as const, what: params.what })),
      informTUOfTimeout: emit({ type: 'timeout' }),
      informTUOfTransportError: emit({ type: 'transportError' }),
      announceTermination: emit({ type: 'terminated' }),
      /** Arms `timer` unless the RFC leaves it unstarted on this transport (see `runsOver`). */
      startTimer: enqueueActions(({ context, enqueue }, { timer }: { timer: TimerName }) => {
        if (runsOver(timer, context.reliable)) {
          const ms = isRetransmissionTimer(timer) ? context.interval : context.durations[timer];
          enqueue.emit({ type: 'startTimer', timer, ms });
        }
      }),
      /**
       * Disarms `timer` when leaving the states it serves, unless it never ran on this transport
       * or its own firing is what makes the machine leave (a fired timer is no longer armed).
       */
      cancelTimer: enqueueActions(({ context, event, enqueue }, { timer }: { timer: TimerName }) => {
        if (runsOver(timer, context.reliable) && timerOf(event) !== timer) {
          enqueue.emit({ type: 'cancelTimer', timer });
        }
      }),
      /**
       * RFC 3261 §17.1.1.2: the request is retransmitted "with intervals that double after each
       * transmission". Note: the interval stops growing at Timer B (64*T1), which keeps the
       * machine's state space finite and changes nothing observable: "The value of 64*T1 is
       * equal to the amount of time required to send seven requests", so Timer B fires before
       * Timer A could run with a longer interval.
       */
      doubleIntervalUpToB: assign({ interval: ({ context }) => Math.min(2 * context.interval, context.durations.B) }),
      /** RFC 3261 §17.1.2.2 (Timer E) and §17.2.1 (Timer G): MIN(2*interval, T2). */
      doubleIntervalUpToT2: assign({ interval: ({ context }) => Math.min(2 * context.interval, context.durations.T2) }),
      /** RFC 3261 §17.1.2.2: in "Proceeding", "Timer E MUST be reset with a value of T2 seconds". */
      setIntervalToT2: assign({ interval: ({ context }) => context.durations.T2 }),
    },
  });
}
