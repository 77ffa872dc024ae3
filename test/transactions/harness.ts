/**
 * Runs a transaction machine on a real actor and hands back what it emitted, step by step, plus
 * short constructors for the expected effects so that tests read like the RFC's figures.
 */
import { createActor } from 'xstate';
import type { AnyStateMachine, EventFromLogic, StateValue } from 'xstate';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import type { TransactionInput } from '../../machines/transactions/transaction-setup.ts';
import type { TimerName } from '../../machines/transactions/timers.ts';

export interface Run<TMachine extends AnyStateMachine> {
  /** The effects of constructing the transaction. */
  created: TransactionEffect[];
  /** Sends the events in order and returns the effects they caused. */
  send: (...events: EventFromLogic<TMachine>[]) => TransactionEffect[];
  state: () => StateValue;
  /** Whether the machine reached its final state ("Terminated"). */
  done: () => boolean;
}

export function run<TMachine extends AnyStateMachine>(machine: TMachine, input: TransactionInput): Run<TMachine> {
  const emitted: TransactionEffect[] = [];
  // Widened on purpose: the four machines differ only in the events they accept, which `send` keeps typed.
  const actor = createActor(machine as AnyStateMachine, { input });
  actor.on('*', (effect: TransactionEffect) => emitted.push(effect));
  actor.start();
  return {
    created: emitted.splice(0),
    send: (...events) => {
      events.forEach((event) => actor.send(event));
      return emitted.splice(0);
    },
    state: () => actor.getSnapshot().value,
    done: () => actor.getSnapshot().status === 'done',
  };
}

export const UDP: TransactionInput = { reliable: false };
export const TCP: TransactionInput = { reliable: true };

export const start = (timer: TimerName, ms: number): TransactionEffect => ({ type: 'startTimer', timer, ms });
export const cancel = (timer: TimerName): TransactionEffect => ({ type: 'cancelTimer', timer });
export const transmit = (what: 'request' | 'ack' | 'trying' | 'lastResponse'): TransactionEffect => ({ type: 'transmit', what });
export const transmitResponse = (status: number): TransactionEffect => ({ type: 'transmit', what: 'response', status });
export const responseToTU = (status: number): TransactionEffect => ({ type: 'passToTU', what: 'response', status });
export const toTU = (what: 'request' | 'ack'): TransactionEffect => ({ type: 'passToTU', what });
export const discard = (what: 'request' | 'ack' | 'response'): TransactionEffect => ({ type: 'discard', what });
export const TIMEOUT: TransactionEffect = { type: 'timeout' };
export const TRANSPORT_ERROR: TransactionEffect = { type: 'transportError' };
export const TERMINATED: TransactionEffect = { type: 'terminated' };
