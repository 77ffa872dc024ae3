/**
 * A machine's test model: the inputs it is explored under, the events offered in each state, the
 * part of context that distinguishes states, and the effects a path must produce — computed
 * without the machine, so that a path checks the machine rather than restating it.
 */
import { createTestModel, type TestPath } from 'xstate/graph';
import type { AnyStateMachine, EventFromLogic, EventObject, InputFrom, SnapshotFrom } from 'xstate';
import type { CfEffect } from '../../machines/effects.ts';
import { machineTransitions, replay } from '../support/coverage.ts';

export interface MachineModel<M extends AnyStateMachine> {
  name: string;
  machine: M;
  inputs: { label: string; input: InputFrom<M> }[];
  events: (snapshot: SnapshotFrom<M>) => readonly EventFromLogic<M>[];
  abstractContext: (snapshot: SnapshotFrom<M>) => unknown;
  /**
   * The effects the path must emit, in order. Models whose order across concurrent parts is free
   * return a check instead (throwing with a message on violation).
   */
  expectedEffects?: (events: EventObject[], input: InputFrom<M>) => CfEffect[];
  check?: (events: EventObject[], effects: EventObject[], input: InputFrom<M>, finalValue: unknown) => void;
}

export interface GeneratedPath {
  machine: string;
  inputLabel: string;
  input: unknown;
  events: EventObject[];
  path: TestPath<any, any>;
}

/**
 * Shortest paths to every state of a transition-aware graph: a state is its value, its abstract
 * context, the event that entered it and the state it came from, so every transition — self-loops
 * and each guarded branch included — is the last step of some path.
 */
export function generatePaths<M extends AnyStateMachine>(model: MachineModel<M>): GeneratedPath[] {
  const generated = model.inputs.flatMap(({ label, input }) =>
    shortestPaths(model, input, (snapshot) => model.abstractContext(snapshot)).map((path) => toGenerated(model, label, input, path)),
  );
  return [...generated, ...completion(model, generated)];
}

function shortestPaths<M extends AnyStateMachine>(
  model: MachineModel<M>,
  input: unknown,
  abstract: (snapshot: SnapshotFrom<M>) => unknown,
  detail: 'type' | 'full' = 'type',
) {
  return createTestModel(model.machine, {
    input,
    events: model.events as never,
    serializeState: (snapshot: any, event: EventObject | undefined, previous: any) =>
      JSON.stringify(
        detail === 'type'
          ? [snapshot.value, abstract(snapshot), event?.type ?? null, previous?.value ?? null]
          : [snapshot.value, abstract(snapshot), event ?? null, previous?.value ?? null, previous ? abstract(previous) : null],
      ),
  } as never).getShortestPaths();
}

function toGenerated<M extends AnyStateMachine>(model: MachineModel<M>, label: string, input: unknown, path: TestPath<any, any>): GeneratedPath {
  return {
    machine: model.name,
    inputLabel: label,
    input,
    events: path.steps.map((s) => s.event).filter((e) => e.type !== 'xstate.init'),
    path,
  };
}

/**
 * A transition that only differs from another by what happened earlier in the path (the same
 * state, context and event, reached through another branch) is never the *last* step of a shortest
 * path. For each such transition, search the graph keyed by full contexts, before and after the
 * step, for a path through it.
 */
function completion<M extends AnyStateMachine>(model: MachineModel<M>, generated: GeneratedPath[]): GeneratedPath[] {
  const taken = (paths: GeneratedPath[]) =>
    new Set(paths.flatMap((p) => replay(model.machine, p.path, { input: p.input }).flatMap((t) => t.transitions)));
  const covered = taken(generated);
  const missing = machineTransitions(model.machine).filter((t) => !covered.has(t.key));
  if (missing.length === 0) return [];
  const extra: GeneratedPath[] = [];
  for (const { label, input } of model.inputs) {
    const candidates = shortestPaths(model, input, (snapshot: any) => snapshot.context, 'full').map((p) => toGenerated(model, label, input, p));
    for (const candidate of candidates) {
      const through = taken([candidate]);
      if (missing.some((t) => through.has(t.key) && !covered.has(t.key))) {
        extra.push(candidate);
        through.forEach((key) => covered.add(key));
      }
    }
  }
  return extra;
}
