/**
 * Model-based tests: `xstate/graph` walks each transaction machine over a reliable and an
 * unreliable transport, every shortest path is replayed on a real actor, and the effects it
 * emits at each step must equal what the RFC figure (`figures.ts`) prescribes for that step.
 */
import { describe, expect, it } from 'vitest';
import { createTestModel } from 'xstate/graph';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject } from 'xstate';
import { inviteClientTransaction } from '../../machines/transactions/invite-client.ts';
import { inviteServerTransaction } from '../../machines/transactions/invite-server.ts';
import { nonInviteClientTransaction } from '../../machines/transactions/non-invite-client.ts';
import { nonInviteServerTransaction } from '../../machines/transactions/non-invite-server.ts';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import { coverage, machineTransitions, replay } from '../support/coverage.ts';
import type { EventPath, StepTrace } from '../support/coverage.ts';
import {
  expectSteps,
  inviteClientFigure,
  inviteServerFigure,
  nonInviteClientFigure,
  nonInviteServerFigure,
  passedThrough,
  unarmedTimers,
} from './figures.ts';
import type { Figure } from './figures.ts';

interface Subject {
  name: string;
  machine: AnyStateMachine;
  figure: Figure;
  /** One event per guard class the machine distinguishes; other events carry no data. */
  events: EventObject[];
}

const responses = (type: 'RESPONSE' | 'SEND_RESPONSE'): EventObject[] =>
  [180, 200, 486].map((status) => ({ type, status }) as EventObject);

const subjects: Subject[] = [
  { name: 'INVITE client transaction (Figure 5, RFC 6026 Figure 4)', machine: inviteClientTransaction, figure: inviteClientFigure, events: responses('RESPONSE') },
  { name: 'non-INVITE client transaction (Figure 6)', machine: nonInviteClientTransaction, figure: nonInviteClientFigure, events: responses('RESPONSE') },
  { name: 'INVITE server transaction (RFC 6026 Figure 5)', machine: inviteServerTransaction, figure: inviteServerFigure, events: responses('SEND_RESPONSE') },
  { name: 'non-INVITE server transaction (Figure 8)', machine: nonInviteServerTransaction, figure: nonInviteServerFigure, events: responses('SEND_RESPONSE') },
];

/** The state value and the retransmission interval, the only part of the context that changes. */
function stateKey(snapshot: AnyMachineSnapshot): string {
  return JSON.stringify([snapshot.value, snapshot.context.interval]);
}

/**
 * A key per transition rather than per state, so that self-loops and targetless transitions
 * become vertices of their own and shortest paths reach each of them; an event that enables no
 * transition leaves the key of the state it did not change.
 */
function transitionKey(snapshot: AnyMachineSnapshot, event: EventObject | undefined, previous: AnyMachineSnapshot | undefined): string {
  if (!event || !previous || previous.machine.getTransitionData(previous, event).length === 0) {
    return stateKey(snapshot);
  }
  return `${stateKey(snapshot)} via ${JSON.stringify(event)} from ${stateKey(previous)}`;
}

function shortestPaths({ machine, figure, events }: Subject, reliable: boolean): EventPath[] {
  const unarmed = unarmedTimers(figure, reliable).map((timer) => `TIMER_${timer}`);
  const model = createTestModel(machine, {
    input: { reliable },
    events,
    filterEvents: (_, event) => !unarmed.includes(event.type),
    serializeState: transitionKey,
  });
  return model.getShortestPaths();
}

/** Arming, disarming and firing must alternate per timer, and nothing may stay armed past "Terminated". */
function timerViolations(traces: StepTrace[]): string[] {
  const armed = new Set<string>();
  const violations: string[] = [];
  for (const { event, emitted } of traces) {
    if (event.type.startsWith('TIMER_')) {
      const timer = event.type.slice('TIMER_'.length);
      if (!armed.delete(timer)) violations.push(`${event.type} was handled while Timer ${timer} was not armed`);
    }
    for (const effect of emitted as TransactionEffect[]) {
      if (effect.type === 'startTimer' && armed.has(effect.timer)) violations.push(`Timer ${effect.timer} was armed twice`);
      if (effect.type === 'startTimer') armed.add(effect.timer);
      if (effect.type === 'cancelTimer' && !armed.delete(effect.timer)) violations.push(`Timer ${effect.timer} was cancelled while not armed`);
      if (effect.type === 'terminated' && armed.size > 0) violations.push(`terminated with Timer(s) ${[...armed].join(', ')} armed`);
    }
  }
  return violations;
}

function describePath(path: EventPath): string {
  return path.steps.map(({ event }) => ('status' in event ? `${event.type} ${String(event.status)}` : event.type)).join(' → ');
}

for (const subject of subjects) {
  const { name, machine, figure } = subject;
  describe(name, () => {
    for (const reliable of [false, true]) {
      const transport = reliable ? 'a reliable transport' : 'an unreliable transport';
      const input = { reliable };
      const paths = shortestPaths(subject, reliable);

      describe(`over ${transport}`, () => {
        it('emits, at every step of every shortest path, exactly the effects its figure prescribes', () => {
          expect(paths.length).toBeGreaterThan(1);
          for (const path of paths) {
            const traces = replay(machine, path, { input });
            const expected = expectSteps(figure, reliable, traces.slice(1).map((trace) => trace.event));
            const actual = traces.map((trace) => ({ state: trace.value, effects: trace.emitted }));
            expect(actual, describePath(path)).toEqual(expected);
          }
        });

        it('arms each timer before it fires or is cancelled, and leaves none armed when it terminates', () => {
          for (const path of paths) {
            expect(timerViolations(replay(machine, path, { input })), describePath(path)).toEqual([]);
          }
        });

        it('leaves uncovered only the transitions this transport rules out', () => {
          const unarmed = unarmedTimers(figure, reliable).map((timer) => `TIMER_${timer}`);
          const transient = passedThrough(figure, reliable).map((state) => `${machine.id}.${state}`);
          const ruledOut = machineTransitions(machine)
            .filter(({ source, event }) =>
              reliable ? unarmed.includes(event) || (transient.includes(source) && event !== 'always') : event === 'always',
            )
            .map(({ key }) => key);
          const result = coverage(machine, paths, { input });
          expect(result.uncoveredStates).toEqual([]);
          expect(result.uncoveredTransitions).toEqual(ruledOut);
        });
      });
    }

    it('covers 100% of its states and transitions with the paths of both transports together', () => {
      const [unreliable, reliable] = [false, true].map((isReliable) =>
        coverage(machine, shortestPaths(subject, isReliable), { input: { reliable: isReliable } }),
      );
      if (!unreliable || !reliable) throw new Error('both transports must be measured');
      const uncoveredStates = unreliable.uncoveredStates.filter((state) => reliable.uncoveredStates.includes(state));
      const uncoveredTransitions = unreliable.uncoveredTransitions.filter((key) => reliable.uncoveredTransitions.includes(key));
      expect({ uncoveredStates, uncoveredTransitions }).toEqual({ uncoveredStates: [], uncoveredTransitions: [] });
      expect(unreliable.states).toBeGreaterThanOrEqual(4);
      expect(unreliable.transitions).toBeGreaterThan(unreliable.states);
    });
  });
}
