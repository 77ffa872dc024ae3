/**
 * The runtime runs the transaction machines through their shared step graph
 * (`runtime/sip/transaction-steps.ts`), not through actors. Property: for any sequence of events,
 * over either transport, walking the graph emits exactly the effects, in the same order, that an
 * actor of the same machine emits, and reaches "Terminated" at the same event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateMachine } from 'xstate';
import {
  inviteClientTransaction,
  inviteServerTransaction,
  nonInviteClientTransaction,
  nonInviteServerTransaction,
} from '../../machines/transactions/index.ts';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import type { TransactionEvent } from '../../machines/transactions/events.ts';
import { StepGraph, TransactionGraphs } from '../../runtime/sip/transaction-steps.ts';
import { TCP, UDP } from './harness.ts';

const STATUSES = [100, 180, 200, 202, 302, 486, 503, 699];
const timers = (...names: string[]): TransactionEvent[] => names.map((name) => ({ type: `TIMER_${name}` }) as TransactionEvent);
const common: TransactionEvent[] = [{ type: 'TRANSPORT_ERROR' }];

const subjects: { name: string; machine: AnyStateMachine; events: TransactionEvent[] }[] = [
  { name: 'INVITE client', machine: inviteClientTransaction, events: [...STATUSES.map((status) => ({ type: 'RESPONSE', status }) as const), ...timers('A', 'B', 'D', 'M'), ...common] },
  { name: 'non-INVITE client', machine: nonInviteClientTransaction, events: [...STATUSES.map((status) => ({ type: 'RESPONSE', status }) as const), ...timers('E', 'F', 'K'), ...common] },
  { name: 'INVITE server', machine: inviteServerTransaction, events: [...STATUSES.map((status) => ({ type: 'SEND_RESPONSE', status }) as const), { type: 'REQUEST' }, { type: 'ACK' }, ...timers('G', 'H', 'I', 'L'), ...common] },
  { name: 'non-INVITE server', machine: nonInviteServerTransaction, events: [...STATUSES.map((status) => ({ type: 'SEND_RESPONSE', status }) as const), { type: 'REQUEST' }, ...timers('J'), ...common] },
];

/** The effects of each event on a real actor; none once it is done, as a stopped actor emits nothing. */
function byActor(machine: AnyStateMachine, reliable: boolean, events: readonly TransactionEvent[]): { effects: TransactionEffect[][]; doneAt: number } {
  const emitted: TransactionEffect[] = [];
  const actor = createActor(machine, { input: { ...(reliable ? TCP : UDP), t1: 100 } });
  actor.on('*', (effect: TransactionEffect) => emitted.push(effect));
  actor.start();
  const effects = [emitted.splice(0)];
  let doneAt = actor.getSnapshot().status === 'done' ? 0 : -1;
  for (const [i, event] of events.entries()) {
    if (doneAt < 0) actor.send(event);
    effects.push(emitted.splice(0));
    if (doneAt < 0 && actor.getSnapshot().status === 'done') doneAt = i + 1;
  }
  return { effects, doneAt };
}

function byGraph(graph: StepGraph, events: readonly TransactionEvent[]): { effects: TransactionEffect[][]; doneAt: number } {
  let at = graph.initial.to;
  const effects = [[...graph.initial.effects]];
  let doneAt = at.final ? 0 : -1;
  for (const [i, event] of events.entries()) {
    if (at.final) {
      effects.push([]);
      continue;
    }
    const step = graph.next(at, event);
    at = step.to;
    effects.push([...step.effects]);
    if (doneAt < 0 && at.final) doneAt = i + 1;
  }
  return { effects, doneAt };
}

describe('the shared step graph of a transaction machine', () => {
  for (const { name, machine, events } of subjects) {
    it(`${name}: emits what an actor emits, event by event, over UDP and TCP`, () => {
      fc.assert(
        fc.property(fc.boolean(), fc.array(fc.constantFrom(...events), { maxLength: 12 }), (reliable, sequence) => {
          const graph = new StepGraph(machine, { ...(reliable ? TCP : UDP), t1: 100 });
          expect(byGraph(graph, sequence)).toEqual(byActor(machine, reliable, sequence));
        }),
        { numRuns: 300 },
      );
    });
  }

  it("is one per machine and transport among a layer's transactions", () => {
    const graphs = new TransactionGraphs({ t1: 100 });
    expect(graphs.of(inviteClientTransaction, false)).toBe(graphs.of(inviteClientTransaction, false));
    expect(graphs.of(inviteClientTransaction, true)).not.toBe(graphs.of(inviteClientTransaction, false));
    expect(graphs.of(nonInviteClientTransaction, false)).not.toBe(graphs.of(inviteClientTransaction, false));
  });
});
