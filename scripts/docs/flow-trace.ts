/**
 * A scenario's events run on the composed session with every actor inspected, so each effect is
 * known together with the macrostep that produced it: the actor that emitted it (the session, the
 * INVITE block, leg 1, …), the transitions that actor took in that macrostep, and so the requirement
 * IDs and RFC clauses those transitions carry.
 *
 * Why a macrostep: xstate defers `emit` to the end of the emitting actor's macrostep, so an effect
 * cannot be tied to one action, but it always belongs to that actor's macrostep, which is exactly
 * the reaction of one block to one event. An actor's first macrostep takes no transition (it enters
 * its initial states and runs their entry actions), so there the initial states' traces speak.
 *
 * The effects are then checked against `runSystem`, the recorder every other test uses, so a call
 * flow can never show a story the session did not tell.
 */
import { createActor, getStateNodes, isMachineSnapshot } from 'xstate';
import type { AnyActorRef, AnyStateMachine, InspectionEvent } from 'xstate';
import type { CfEffect } from '../../machines/effects.ts';
import { requirements as catalogue, type RequirementId } from '../../machines/requirements.ts';
import { sessionMachine, type SessionEvent } from '../../machines/session.ts';
import { tracedStates, type TracedTransition } from '../../test/model/conformance.ts';
import { runSystem, sessionInput } from '../../test/model/session-system.ts';
import { tracedDefinitions } from './machine-graph.ts';

export interface Macrostep {
  transitions: TracedTransition[];
  /** Every state the actor was in during the macrostep, passed-through eventless states included. */
  states: string[];
  /** IDs of the transitions taken, in catalogue order; of the initial states for a first macrostep. */
  requirements: RequirementId[];
  clauses: string[];
  /** When the macrostep began (its first microstep or effect), on the clock `TracedEffect.at` uses. */
  began: number;
}

export interface TracedEffect {
  effect: CfEffect;
  macrostep: Macrostep;
  /** When it was emitted: a count of the inspection events and effects of the run so far. */
  at: number;
}

export interface TracedStep {
  event: SessionEvent;
  /** The macrosteps this event caused, in the order they ended. */
  macrosteps: Macrostep[];
  /** The effects this event caused, in the order they were emitted. */
  effects: TracedEffect[];
}

const order = new Map(catalogue.map((r, i) => [r.id, i]));

export function inCatalogueOrder(ids: Iterable<RequirementId>): RequirementId[] {
  return [...new Set(ids)].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

interface OpenMacrostep {
  macrostep: Macrostep;
  states: Set<string>;
  first: boolean;
}

function activeStates(machine: AnyStateMachine, snapshot: unknown): string[] {
  if (!isMachineSnapshot(snapshot)) return [];
  return getStateNodes(machine.root, snapshot.value).map((node) => node.id);
}

function close(open: OpenMacrostep, machine: AnyStateMachine): Macrostep {
  const { macrostep } = open;
  const initial = open.first && macrostep.transitions.length === 0 ? tracedStates(machine).filter((s) => open.states.has(s.id)) : [];
  macrostep.states = [...open.states];
  macrostep.requirements = inCatalogueOrder([
    ...macrostep.transitions.flatMap((t) => t.requirements),
    ...initial.flatMap((s) => s.requirements),
  ]);
  macrostep.clauses = [...new Set([...macrostep.transitions, ...initial].flatMap((t) => (t.clause === undefined ? [] : [t.clause])))];
  return macrostep;
}

/** Runs `events` on a fresh session and returns, per event, its macrosteps and its effects. */
export function traceFlow(events: readonly SessionEvent[]): TracedStep[] {
  const steps: TracedStep[] = [];
  const opened = new Map<AnyActorRef, OpenMacrostep>();
  const seen = new Set<AnyActorRef>();
  // What the session does before the first event and while it stops belongs to no step.
  let current: TracedStep | null = null;
  let effectsOutsideSteps = 0;
  let clock = 0;
  // Every actor of the session system is an `Actor` of a state machine, which `ActorRef` does not show.
  const machineOf = (ref: AnyActorRef) => (ref as unknown as { logic: AnyStateMachine }).logic;
  const openFor = (ref: AnyActorRef): OpenMacrostep => {
    let open = opened.get(ref);
    if (!open) {
      open = {
        macrostep: { transitions: [], states: [], requirements: [], clauses: [], began: clock },
        states: new Set(),
        first: !seen.has(ref),
      };
      opened.set(ref, open);
      seen.add(ref);
    }
    return open;
  };
  const inspect = (inspection: InspectionEvent): void => {
    clock++;
    const ref = inspection.actorRef as AnyActorRef;
    if (inspection.type === '@xstate.actor') {
      ref.on('*', (effect: CfEffect) => {
        clock++;
        if (current) current.effects.push({ effect, macrostep: openFor(ref).macrostep, at: clock });
        else effectsOutsideSteps++;
      });
    } else if (inspection.type === '@xstate.microstep') {
      const open = openFor(ref);
      const index = tracedDefinitions(machineOf(ref));
      for (const definition of inspection._transitions) {
        const traced = index.get(definition);
        if (!traced) throw new Error(`flow-trace: a transition from '#${definition.source.id}' is not one of '${machineOf(ref).id}'`);
        open.macrostep.transitions.push(traced);
        open.states.add(traced.source);
      }
      activeStates(machineOf(ref), inspection.snapshot).forEach((id) => open.states.add(id));
    } else if (inspection.type === '@xstate.snapshot' && isMachineSnapshot(inspection.snapshot)) {
      const open = openFor(ref);
      activeStates(machineOf(ref), inspection.snapshot).forEach((id) => open.states.add(id));
      opened.delete(ref);
      current?.macrosteps.push(close(open, machineOf(ref)));
    }
  };
  const actor = createActor(sessionMachine, { input: sessionInput, inspect });
  actor.start();
  for (const event of events) {
    const step: TracedStep = { event, macrosteps: [], effects: [] };
    current = step;
    steps.push(step);
    actor.send(event);
  }
  current = null;
  actor.stop();

  const recorded = runSystem([...events]).effects.map((e) => e.effect);
  const traced = steps.flatMap((s) => s.effects.map(({ effect }) => effect));
  if (effectsOutsideSteps > 0 || JSON.stringify(traced) !== JSON.stringify(recorded)) {
    throw new Error('flow-trace: the inspected session emitted other effects than runSystem recorded for the same events');
  }
  return steps;
}
