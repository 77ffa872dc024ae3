/**
 * The conformance run: every generated path of every machine replayed, its effects checked, and the
 * result folded into coverage per machine and into paths per requirement ID. `npm run conformance`
 * prints it; the tests assert it; the docs draw from it.
 */
import type { AnyStateMachine, AnyStateNode, EventObject } from 'xstate';
import type { CfEffect, Trace } from '../../machines/effects.ts';
import { requirements, type RequirementId } from '../../machines/requirements.ts';
import { sessionMachine } from '../../machines/session.ts';
import { machineStates, machineTransitions, replay } from '../support/coverage.ts';
import { ackModel, byeModel, firstOkModel, msrpSendModel } from './block-models.ts';
import { inviteModel } from './invite-model.ts';
import { memberLegModel } from './member-leg-model.ts';
import { generatePaths, type MachineModel } from './model.ts';
import { checkSessionStory } from './session-checks.ts';
import { generateSessionPaths, sessionInput, type RecordedEffect } from './session-system.ts';

export interface PathRun {
  machine: string;
  /** The input's label, for block machines; the session's paths have one input. */
  label: string;
  events: EventObject[];
  /** Effects in order, with the actor that emitted them (the block's own name for block paths). */
  effects: RecordedEffect[];
  transitions: string[];
  states: string[];
  failure: string | null;
}

export interface MachineReport {
  name: string;
  states: number;
  statesCovered: number;
  transitions: number;
  transitionsCovered: number;
  uncoveredStates: string[];
  uncoveredTransitions: string[];
}

export interface RequirementReport {
  id: RequirementId;
  states: string[];
  transitions: string[];
  paths: number;
}

export interface ConformanceReport {
  requirements: RequirementReport[];
  machines: MachineReport[];
  paths: number;
  runs: PathRun[];
}

/** The machines of the specification, each with the requirement IDs its states and transitions carry. */
export const specificationMachines: { name: string; machine: AnyStateMachine }[] = [
  { name: 'invite', machine: inviteModel.machine },
  { name: 'memberLeg', machine: memberLegModel.machine },
  { name: 'firstOk', machine: firstOkModel.machine },
  { name: 'ack', machine: ackModel.machine },
  { name: 'msrpSend', machine: msrpSendModel.machine },
  { name: 'bye', machine: byeModel.machine },
  { name: 'session', machine: sessionMachine },
];

function stateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child: AnyStateNode) => stateNodes(child))];
}

function requirementsOf(meta: unknown): RequirementId[] {
  return (meta as Trace | undefined)?.requirements ?? [];
}

export interface TracedTransition {
  key: string;
  source: string;
  event: string;
  guard: string | undefined;
  targets: readonly string[];
  actions: string[];
  description: string | undefined;
  requirements: RequirementId[];
  clause: string | undefined;
}

/** The machine's transitions with their traces; same order and keys as `machineTransitions`. */
export function tracedTransitions(machine: AnyStateMachine): TracedTransition[] {
  const definitions = stateNodes(machine.root).flatMap((node) => [...node.transitions.values()].flat().concat(node.always ?? []));
  const keyed = machineTransitions(machine);
  if (keyed.length !== definitions.length) throw new Error(`transition walk of '${machine.id}' disagrees with the coverage helper`);
  return keyed.map((t, i) => {
    const definition = definitions[i]!;
    if (definition.source.id !== t.source) throw new Error(`transition ${t.key} out of order`);
    const meta = (definition as { meta?: Trace }).meta;
    return {
      ...t,
      actions: definition.actions.map((a: unknown) => (typeof a === 'string' ? a : ((a as { type?: string }).type ?? 'inline'))),
      description: (definition as { description?: string }).description,
      requirements: requirementsOf(meta),
      clause: meta?.clause,
    };
  });
}

export interface TracedState {
  id: string;
  description: string | undefined;
  requirements: RequirementId[];
  clause: string | undefined;
}

export function tracedStates(machine: AnyStateMachine): TracedState[] {
  return machineStates(machine).map((id) => {
    const node = machine.getStateNodeById(id);
    const meta = node.meta as Trace | undefined;
    return { id, description: node.description, requirements: requirementsOf(meta), clause: meta?.clause };
  });
}

function runBlock<M extends AnyStateMachine>(model: MachineModel<M>): PathRun[] {
  return generatePaths(model).map((generated) => {
    const traces = replay(model.machine, generated.path, { input: generated.input });
    const emitted = traces.flatMap((t) => t.emitted);
    let failure: string | null = null;
    try {
      if (model.expectedEffects) {
        const expected = model.expectedEffects(generated.events, generated.input as never);
        if (JSON.stringify(emitted) !== JSON.stringify(expected)) {
          failure = `emitted ${JSON.stringify(emitted)}\nexpected ${JSON.stringify(expected)}`;
        }
      }
      model.check?.(generated.events, emitted, generated.input as never, traces.at(-1)?.value);
    } catch (error) {
      failure = (error as Error).message;
    }
    return {
      machine: model.name,
      label: generated.inputLabel,
      events: generated.events,
      effects: emitted.map((effect) => ({ effect: effect as CfEffect, source: model.name })),
      transitions: traces.flatMap((t) => t.transitions),
      states: [...new Set(traces.flatMap((t) => t.states))],
      failure,
    };
  });
}

function runSession(): PathRun[] {
  return generateSessionPaths().map(({ events, final }) => {
    const traces = replay(sessionMachine, { steps: events.map((event) => ({ event })) }, { input: sessionInput });
    let failure: string | null = final.status === 'error' ? String(final.error) : null;
    try {
      checkSessionStory(events, final.effects.map((e) => e.effect), final.status === 'done');
    } catch (error) {
      failure ??= (error as Error).message;
    }
    return {
      machine: 'session',
      label: 'session',
      events,
      effects: final.effects,
      transitions: traces.flatMap((t) => t.transitions),
      states: [...new Set(traces.flatMap((t) => t.states))],
      failure,
    };
  });
}

export function runConformance(): ConformanceReport {
  const runs = [
    ...runBlock(inviteModel),
    ...runBlock(memberLegModel),
    ...runBlock(firstOkModel),
    ...runBlock(ackModel),
    ...runBlock(msrpSendModel),
    ...runBlock(byeModel),
    ...runSession(),
  ];
  const machines = specificationMachines.map(({ name, machine }) => {
    const mine = runs.filter((r) => r.machine === name);
    const coveredStates = new Set(mine.flatMap((r) => r.states));
    const coveredTransitions = new Set(mine.flatMap((r) => r.transitions));
    const states = machineStates(machine);
    const transitions = machineTransitions(machine).map((t) => t.key);
    const uncoveredStates = states.filter((s) => !coveredStates.has(s));
    const uncoveredTransitions = transitions.filter((t) => !coveredTransitions.has(t));
    return {
      name,
      states: states.length,
      statesCovered: states.length - uncoveredStates.length,
      transitions: transitions.length,
      transitionsCovered: transitions.length - uncoveredTransitions.length,
      uncoveredStates,
      uncoveredTransitions,
    };
  });
  const requirementReports = requirements.map(({ id }) => {
    const states = specificationMachines.flatMap(({ machine }) => tracedStates(machine).filter((s) => s.requirements.includes(id)).map((s) => s.id));
    const transitions = specificationMachines.flatMap(({ machine }) =>
      tracedTransitions(machine).filter((t) => t.requirements.includes(id)).map((t) => t.key),
    );
    const stateSet = new Set(states);
    const transitionSet = new Set(transitions);
    const paths = runs.filter((r) => r.states.some((s) => stateSet.has(s)) || r.transitions.some((t) => transitionSet.has(t))).length;
    return { id, states, transitions, paths };
  });
  return { requirements: requirementReports, machines, paths: runs.length, runs };
}
