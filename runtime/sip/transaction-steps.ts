/**
 * The steps of a transaction machine of `machines/transactions/`, each computed once by xstate's
 * pure `transition()` and shared by every transaction of that machine and input.
 *
 * The machines are pure — their context is the input and the retransmission interval, their only
 * actions are `emit`s — so all transactions of one machine and input go through the same few
 * configurations, and what an event does from a configuration never changes. A transaction is then
 * a pointer into this graph, not an actor: issue 7 measured an actor per transaction at 40-75 µs
 * of CPU over its life and 4.5 KB of heap while it lingers, against 1.5-3 µs and a few hundred
 * bytes here.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import type { TransactionEvent } from '../../machines/transactions/events.ts';
import type { TransactionInput } from '../../machines/transactions/transaction-setup.ts';
import type { BaseTimers } from '../../machines/transactions/timers.ts';

/** A configuration of the machine (state and context) and what each event met so far does from it. */
export interface Configuration {
  readonly snapshot: AnyMachineSnapshot;
  /** Whether the machine has reached "Terminated": no event does anything any more. */
  readonly final: boolean;
  readonly steps: Map<string, Step>;
}

/** Where an event leads, and the effects the machine emits on the way, in order. */
export interface Step {
  readonly to: Configuration;
  readonly effects: readonly TransactionEffect[];
}

/**
 * @example
 * const graph = new StepGraph(nonInviteServerTransaction, { reliable: false });
 * let at = graph.initial.to; // "Trying", after passToTU
 * const step = graph.next(at, { type: 'SEND_RESPONSE', status: 200 }); // transmit, startTimer J
 */
export class StepGraph {
  readonly initial: Step;
  /** Every configuration met, by state value and context. */
  private readonly configurations = new Map<string, Configuration>();

  constructor(
    private readonly machine: AnyStateMachine,
    input: TransactionInput,
  ) {
    const [snapshot, actions] = initialTransition(machine, input);
    this.initial = { to: this.configuration(snapshot), effects: effectsOf(actions) };
  }

  /** What `event` does from `from`: computed by xstate the first time, looked up after. */
  next(from: Configuration, event: TransactionEvent): Step {
    const key = eventKey(event);
    let step = from.steps.get(key);
    if (step === undefined) {
      const [snapshot, actions] = transition(this.machine, from.snapshot, event);
      step = { to: this.configuration(snapshot), effects: effectsOf(actions) };
      from.steps.set(key, step);
    }
    return step;
  }

  private configuration(snapshot: AnyMachineSnapshot): Configuration {
    const key = JSON.stringify([snapshot.status, snapshot.value, snapshot.context]);
    let found = this.configurations.get(key);
    if (found === undefined) {
      found = { snapshot, final: snapshot.status !== 'active', steps: new Map() };
      this.configurations.set(key, found);
    }
    return found;
  }
}

/**
 * The step graphs of one transaction layer, whose timers are fixed: one per machine and transport
 * reliability, made on first use and shared by every transaction of that kind.
 */
export class TransactionGraphs {
  private readonly graphs = new Map<AnyStateMachine, { reliable?: StepGraph; unreliable?: StepGraph }>();

  constructor(private readonly timers: BaseTimers) {}

  of(machine: AnyStateMachine, reliable: boolean): StepGraph {
    let byTransport = this.graphs.get(machine);
    if (byTransport === undefined) {
      byTransport = {};
      this.graphs.set(machine, byTransport);
    }
    const transport = reliable ? 'reliable' : 'unreliable';
    return (byTransport[transport] ??= new StepGraph(machine, { ...this.timers, reliable }));
  }
}

/** RESPONSE and SEND_RESPONSE carry a status; the machines' guards and effects read nothing else of an event. */
function eventKey(event: TransactionEvent): string {
  return 'status' in event ? `${event.type} ${event.status}` : event.type;
}

/** The emitted effects of a step; anything but an `emit` would mean the machine is not pure. */
function effectsOf(actions: readonly { type: string; params?: unknown }[]): readonly TransactionEffect[] {
  return Object.freeze(
    actions.map((action) => {
      if (action.type !== 'xstate.emit') throw new TypeError(`transaction machine action ${action.type} is not an emit; the step graph runs pure machines only`);
      return Object.freeze((action.params as { event: TransactionEffect }).event);
    }),
  );
}
