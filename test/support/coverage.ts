/**
 * State and transition coverage of xstate v5 machines by test paths (those of `xstate/graph`'s
 * `createTestModel(...).getShortestPaths()` / `getSimplePaths()`, or any list of event
 * sequences), because `xstate/graph` reports neither.
 *
 * A path is replayed on a real actor, and xstate's own inspection stream tells which
 * transitions each macrostep took (`@xstate.microstep` carries them), so eventless `always`
 * transitions, raised events, parallel regions and guarded alternatives are attributed exactly as
 * the interpreter chose them, never re-derived here.
 *
 * `machine.getTransitionData(snapshot, event)` was not enough: it names the transitions the event
 * enables, not the eventless or raised ones the same macrostep takes after them.
 *
 * Limits: the machine's actions run during replay, so parent-facing actions (`sendParent`) must be
 * `.provide()`d; delayed (`after`) transitions are listed but never taken, as a replay does not
 * wait (and `createTestModel` refuses such machines).
 */
import { createActor, getInitialMicrosteps, isMachineSnapshot } from 'xstate';
import type { AnyActorRef, AnyStateMachine, AnyStateNode, AnyTransitionDefinition, EventObject, InspectionEvent, StateValue } from 'xstate';

/** One transition of a machine, as written in its config. */
export interface MachineTransition {
  /** `sourceStateId --EVENT[guard]--> targetIds`, unique within the machine and stable across runs. */
  key: string;
  source: string;
  /** The event descriptor, or `always` for an eventless transition. */
  event: string;
  guard: string | undefined;
  /** Target state ids; empty for a targetless transition (it runs actions without leaving its source). */
  targets: readonly string[];
}

/** Anything with steps of events, such as a `StatePath`/`TestPath` of `xstate/graph`. */
export interface EventPath {
  steps: ReadonlyArray<{ event: EventObject }>;
}

export interface ReplayOptions {
  /** The machine input the paths were generated with (`createTestModel(machine, { input })`). */
  input?: unknown;
}

/** What one step of a path did when replayed. */
export interface StepTrace {
  event: EventObject;
  /** Keys of the transitions taken, in microstep order. */
  transitions: string[];
  /** Ids of every state active after any microstep of the step, including ones passed through. */
  states: string[];
  /** The events the machine `emit`ted during the step, in order. */
  emitted: EventObject[];
  /** The state value at the end of the step. */
  value: StateValue;
}

export interface Coverage {
  states: number;
  statesCovered: number;
  transitions: number;
  transitionsCovered: number;
  uncoveredStates: string[];
  uncoveredTransitions: string[];
}

const INIT_EVENT = 'xstate.init';
const STOP_EVENT = 'xstate.stop';

function stateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child: AnyStateNode) => stateNodes(child))];
}

/** Ids of every state node a configuration can hold: all but the root and history pseudo-states. */
export function machineStates(machine: AnyStateMachine): string[] {
  return stateNodes(machine.root)
    .filter((node) => node !== machine.root && node.type !== 'history')
    .map((node) => node.id);
}

/** A readable name for a guard: a named guard's type, or a combinator with its operands. */
function describeGuard(guard: unknown): string {
  if (typeof guard === 'string') {
    return guard;
  }
  if (typeof guard === 'function') {
    const combinator = guard as { name: string; guards?: unknown[]; stateValue?: unknown };
    if (combinator.guards) {
      return `${combinator.name}(${combinator.guards.map(describeGuard).join(', ')})`;
    }
    if ('stateValue' in combinator) {
      return `stateIn(${JSON.stringify(combinator.stateValue)})`;
    }
    return combinator.name || 'inline';
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    return String(guard.type);
  }
  return 'inline';
}

function describe(transition: AnyTransitionDefinition): Omit<MachineTransition, 'key'> {
  return {
    source: transition.source.id,
    event: transition.eventType === '' ? 'always' : transition.eventType,
    guard: transition.guard === undefined ? undefined : describeGuard(transition.guard),
    targets: (transition.target ?? []).map((target) => target.id),
  };
}

function keyOf({ source, event, guard, targets }: Omit<MachineTransition, 'key'>): string {
  const guardPart = guard === undefined ? '' : `[${guard}]`;
  const targetPart = targets.length === 0 ? '(none)' : targets.join(',');
  return `${source} --${event}${guardPart}--> ${targetPart}`;
}

/** Every transition definition of the machine, in document order, with the key it is known by. */
function transitionIndex(machine: AnyStateMachine): Map<AnyTransitionDefinition, MachineTransition> {
  const index = new Map<AnyTransitionDefinition, MachineTransition>();
  const seen = new Map<string, number>();
  for (const node of stateNodes(machine.root)) {
    const definitions: AnyTransitionDefinition[] = [...node.transitions.values()].flat().concat(node.always ?? []);
    for (const definition of definitions) {
      const described = describe(definition);
      const base = keyOf(described);
      // Two definitions alike in source, event, guard and targets differ only in their actions: number them.
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      index.set(definition, { key: count === 1 ? base : `${base} #${count}`, ...described });
    }
  }
  return index;
}

/**
 * All transitions of `machine`, walking its state nodes recursively: compound and parallel
 * children, self-loops, targetless transitions, eventless `always` transitions, and each guarded
 * alternative for one event as a transition of its own.
 */
export function machineTransitions(machine: AnyStateMachine): MachineTransition[] {
  return [...transitionIndex(machine).values()];
}

/** Ids of the states a state value makes active (each region of a parallel state included). */
function activeStates(node: AnyStateNode, value: StateValue): string[] {
  if (typeof value === 'string') {
    return [childOf(node, value).id];
  }
  return Object.entries(value).flatMap(([key, sub]) => {
    const child = childOf(node, key);
    return sub === undefined ? [child.id] : [child.id, ...activeStates(child, sub)];
  });
}

function childOf(node: AnyStateNode, key: string): AnyStateNode {
  const child: AnyStateNode | undefined = node.states[key];
  if (!child) {
    throw new Error(`State '${key}' does not exist under '#${node.id}'`);
  }
  return child;
}

/**
 * Replays `path` on a fresh actor and reports, per step, the transitions taken, the states
 * visited and the events emitted. The first step of an `xstate/graph` path (`xstate.init`) is the
 * actor's start. Throws if the actor ends a step in another state than the path says, which means
 * the path was generated with another input or the machine is not deterministic.
 */
export function replay(machine: AnyStateMachine, path: EventPath, { input }: ReplayOptions = {}): StepTrace[] {
  const index = transitionIndex(machine);
  const traces: StepTrace[] = [];
  let current = newTrace({ type: INIT_EVENT });
  // Inspection reports the initial macrostep's eventless transitions, not the configuration entered before them.
  const [entered] = getInitialMicrosteps(machine, input);
  if (entered) {
    current.states.push(...activeStates(machine.root, entered[0].value));
  }
  const inspect = (inspection: InspectionEvent): void => {
    // Only the replayed actor's own microsteps (`rootId` is its session id), and not its final stop.
    if (
      inspection.type !== '@xstate.microstep' ||
      (inspection.actorRef as AnyActorRef).sessionId !== inspection.rootId ||
      inspection.event.type === STOP_EVENT
    ) {
      return;
    }
    for (const taken of inspection._transitions) {
      const transition = index.get(taken);
      if (!transition) {
        throw new Error(`A transition from '#${taken.source.id}' is not one of the machine's own`);
      }
      current.transitions.push(transition.key);
    }
    if (isMachineSnapshot(inspection.snapshot)) {
      current.states.push(...activeStates(machine.root, inspection.snapshot.value));
    }
  };
  const actor = createActor(machine, { input, inspect });
  actor.on('*', (emitted: EventObject) => current.emitted.push(emitted));
  const close = (expected: StateValue | undefined): void => {
    current.value = actor.getSnapshot().value;
    if (expected !== undefined && JSON.stringify(expected) !== JSON.stringify(current.value)) {
      throw new Error(
        `Replaying '${current.event.type}' reached ${JSON.stringify(current.value)}, but the path says ` +
          `${JSON.stringify(expected)}: pass the input the paths were generated with`,
      );
    }
    current.states = [...new Set(current.states)];
    traces.push(current);
  };
  actor.start();
  const [first, ...rest] = path.steps;
  const startsWithInit = first?.event.type === INIT_EVENT;
  close(startsWithInit ? valueOf(first) : undefined);
  for (const step of startsWithInit ? rest : path.steps) {
    current = newTrace(step.event);
    actor.send(step.event);
    close(valueOf(step));
  }
  actor.stop();
  return traces;
}

function newTrace(event: EventObject): StepTrace {
  return { event, transitions: [], states: [], emitted: [], value: {} };
}

function valueOf(step: { event: EventObject } | undefined): StateValue | undefined {
  return (step as { state?: { value?: StateValue } } | undefined)?.state?.value;
}

/**
 * State and transition coverage of `machine` by `paths`.
 *
 * @example
 * ```ts
 * const paths = createTestModel(machine, { input }).getShortestPaths();
 * expect(coverage(machine, paths, { input }).uncoveredTransitions).toEqual([]);
 * ```
 */
export function coverage(machine: AnyStateMachine, paths: readonly EventPath[], options: ReplayOptions = {}): Coverage {
  const allStates = machineStates(machine);
  const allTransitions = machineTransitions(machine).map((transition) => transition.key);
  const coveredStates = new Set<string>();
  const coveredTransitions = new Set<string>();
  for (const path of paths) {
    for (const step of replay(machine, path, options)) {
      step.states.forEach((state) => coveredStates.add(state));
      step.transitions.forEach((transition) => coveredTransitions.add(transition));
    }
  }
  const uncoveredStates = allStates.filter((state) => !coveredStates.has(state));
  const uncoveredTransitions = allTransitions.filter((transition) => !coveredTransitions.has(transition));
  return {
    states: allStates.length,
    statesCovered: allStates.length - uncoveredStates.length,
    transitions: allTransitions.length,
    transitionsCovered: allTransitions.length - uncoveredTransitions.length,
    uncoveredStates,
    uncoveredTransitions,
  };
}
