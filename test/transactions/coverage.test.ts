/**
 * The coverage helper of `test/support/coverage.ts`, on a machine small enough to know its answer
 * by heart: a self-loop, a targetless transition, a guarded pair (one operand a combinator), an
 * eventless `always`, and a parallel state with an atomic region.
 */
import { describe, expect, it } from 'vitest';
import { assign, not, setup } from 'xstate';
import { createTestModel } from 'xstate/graph';
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { coverage, machineStates, machineTransitions, replay } from '../support/coverage.ts';

const tiny = setup({
  types: {} as {
    context: { ticks: number };
    events: { type: 'TICK' } | { type: 'PING' } | { type: 'GO'; fast: boolean } | { type: 'STOP' };
    input: { ticks: number };
  },
  guards: {
    isFast: ({ event }) => event.type === 'GO' && event.fast,
    hasTicked: ({ context }) => context.ticks > 0,
  },
  actions: { tick: assign({ ticks: ({ context }) => context.ticks + 1 }) },
}).createMachine({
  id: 'tiny',
  context: ({ input }) => ({ ticks: input.ticks }),
  initial: 'idle',
  states: {
    idle: {
      on: {
        TICK: { target: 'idle', actions: 'tick' },
        PING: { actions: 'tick' },
        GO: [
          { guard: 'isFast', target: '#tiny.busy.speed.fast' },
          { guard: not('isFast'), target: 'busy' },
        ],
      },
    },
    busy: {
      type: 'parallel',
      on: { STOP: 'idle' },
      states: {
        speed: {
          initial: 'slow',
          states: {
            slow: { always: { guard: 'hasTicked', target: 'fast' } },
            fast: {},
          },
        },
        log: {},
      },
    },
  },
});

const KEYS = {
  selfLoop: 'tiny.idle --TICK--> tiny.idle',
  targetless: 'tiny.idle --PING--> (none)',
  fast: 'tiny.idle --GO[isFast]--> tiny.busy.speed.fast',
  slow: 'tiny.idle --GO[not(isFast)]--> tiny.busy',
  stop: 'tiny.busy --STOP--> tiny.idle',
  always: 'tiny.busy.speed.slow --always[hasTicked]--> tiny.busy.speed.fast',
};

const path = (...events: Array<EventObject & Record<string, unknown>>) => ({ steps: [{ type: 'xstate.init' }, ...events].map((event) => ({ event })) });

/** Shortest paths under a key that tells transitions apart (see the model-based tests), ticks abstracted to 0 or more. */
function shortestPaths(input: { ticks: number }) {
  const stateKey = (snapshot: AnyMachineSnapshot) => JSON.stringify([snapshot.value, Math.min(snapshot.context.ticks, 1)]);
  return createTestModel(tiny, {
    input,
    events: [
      { type: 'GO', fast: true },
      { type: 'GO', fast: false },
    ],
    serializeState: (snapshot, event, previous) =>
      event && previous && previous.machine.getTransitionData(previous, event).length > 0
        ? `${stateKey(snapshot)} via ${JSON.stringify(event)} from ${stateKey(previous)}`
        : stateKey(snapshot),
  }).getShortestPaths();
}

describe('machineTransitions', () => {
  it('lists every transition of every state node, each guarded alternative and `always` included, by a readable key', () => {
    expect(machineTransitions(tiny).map(({ key }) => key)).toEqual([
      KEYS.selfLoop,
      KEYS.targetless,
      KEYS.fast,
      KEYS.slow,
      KEYS.stop,
      KEYS.always,
    ]);
  });

  it('describes each transition by source, event, guard and targets', () => {
    expect(machineTransitions(tiny).find(({ key }) => key === KEYS.always)).toEqual({
      key: KEYS.always,
      source: 'tiny.busy.speed.slow',
      event: 'always',
      guard: 'hasTicked',
      targets: ['tiny.busy.speed.fast'],
    });
  });

  it('numbers transitions that differ only in their actions, so that every key is unique', () => {
    const twins = setup({ actions: { a: () => undefined, b: () => undefined } }).createMachine({
      id: 'twins',
      on: { X: [{ actions: 'a' }, { actions: 'b' }] },
    });
    expect(machineTransitions(twins).map(({ key }) => key)).toEqual(['twins --X--> (none)', 'twins --X--> (none) #2']);
  });
});

describe('machineStates', () => {
  it('lists every state node but the root, regions of a parallel state included', () => {
    expect(machineStates(tiny)).toEqual([
      'tiny.idle',
      'tiny.busy',
      'tiny.busy.speed',
      'tiny.busy.speed.slow',
      'tiny.busy.speed.fast',
      'tiny.busy.log',
    ]);
  });
});

describe('replay', () => {
  it('attributes each step to the transitions xstate took, the eventless one after the event included', () => {
    const steps = replay(tiny, path({ type: 'TICK' }, { type: 'GO', fast: false }), { input: { ticks: 0 } });
    expect(steps.map(({ transitions }) => transitions)).toEqual([[], [KEYS.selfLoop], [KEYS.slow, KEYS.always]]);
    expect(steps.at(-1)?.states).toEqual([
      'tiny.busy',
      'tiny.busy.speed',
      'tiny.busy.speed.slow',
      'tiny.busy.log',
      'tiny.busy.speed.fast',
    ]);
  });

  it('credits no transition to an event no transition accepts', () => {
    const steps = replay(tiny, path({ type: 'STOP' }), { input: { ticks: 0 } });
    expect(steps[1]).toMatchObject({ transitions: [], states: ['tiny.idle'], value: 'idle' });
  });

  it('refuses a path that another input would have produced', () => {
    const direct = shortestPaths({ ticks: 1 }).find(({ steps }) => steps.length === 2 && steps[1]?.event.type === 'GO');
    if (!direct) throw new Error('a one-event path to busy must exist');
    expect(() => replay(tiny, direct, { input: { ticks: 1 } })).not.toThrow();
    expect(() => replay(tiny, direct, { input: { ticks: 0 } })).toThrow(/pass the input the paths were generated with/);
  });
});

describe('coverage', () => {
  const input = { ticks: 0 };

  it('counts the states and transitions some path took, and names the rest', () => {
    expect(coverage(tiny, [path({ type: 'GO', fast: true })], { input })).toEqual({
      states: 6,
      statesCovered: 5,
      transitions: 6,
      transitionsCovered: 1,
      uncoveredStates: ['tiny.busy.speed.slow'],
      uncoveredTransitions: [KEYS.selfLoop, KEYS.targetless, KEYS.slow, KEYS.stop, KEYS.always],
    });
  });

  it('reaches 100% of states and transitions from shortest paths under a transition-aware key', () => {
    expect(coverage(tiny, shortestPaths(input), { input })).toMatchObject({
      statesCovered: 6,
      transitionsCovered: 6,
      uncoveredStates: [],
      uncoveredTransitions: [],
    });
  });
});
