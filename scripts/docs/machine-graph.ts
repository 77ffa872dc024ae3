/**
 * A machine as the diagrams draw it: its state tree with each state's trace (requirement IDs,
 * clause), entry and exit actions and internal transitions, and its transitions between states,
 * labelled `EVENT [guard] / actions`. Read from the machine definition itself, with the keys and
 * traces of `tracedTransitions`, so a diagram, the traceability table and the coverage report all
 * name a transition the same way.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import type { Trace } from '../../machines/effects.ts';
import type { RequirementId } from '../../machines/requirements.ts';
import { tracedStates, tracedTransitions, type TracedTransition } from '../../test/model/conformance.ts';

export type TransitionKind = 'passing' | 'rejecting' | 'timer' | 'eventless';

export interface DrawnTransition {
  key: string;
  source: string;
  targets: readonly string[];
  event: string;
  guard: string | undefined;
  actions: string[];
  requirements: RequirementId[];
  clause: string | undefined;
  description: string | undefined;
  kind: TransitionKind;
  /** `EVENT [guard]`, or `[guard]` / `always` for an eventless transition. */
  trigger: string;
}

export interface DrawnState {
  id: string;
  /** The state's name in the code (its key under its parent); the machine's id for the root. */
  name: string;
  type: 'root' | 'atomic' | 'compound' | 'parallel' | 'final';
  description: string | undefined;
  requirements: RequirementId[];
  clause: string | undefined;
  entry: string[];
  exit: string[];
  /** Transitions without a target: they run their actions and stay (UML internal transitions). */
  internal: DrawnTransition[];
  /** Id of the initial child of a compound state. */
  initial: string | undefined;
  children: DrawnState[];
  /** One of the `rejected*` states, where a check of the CR ends with a final non-2xx answer. */
  rejection: boolean;
}

export interface DrawnMachine {
  name: string;
  root: DrawnState;
  /** Every transition with a target, in document order. */
  transitions: DrawnTransition[];
}

/** A named action as written; a parameterised one with its parameters' values, e.g. `startTimer(A)`. */
function actionLabel(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'function') return action.name || 'inline';
  if (typeof action === 'object' && action !== null && 'type' in action) {
    const params = 'params' in action ? leafValues(action.params) : [];
    return params.length > 0 ? `${String(action.type)}(${params.join(', ')})` : String(action.type);
  }
  return 'inline';
}

function leafValues(value: unknown): string[] {
  if (value === undefined || value === null || typeof value === 'function') return [];
  if (typeof value === 'object') return Object.values(value).flatMap(leafValues);
  return [String(value)];
}

function kindOf(event: string, targets: readonly string[]): TransitionKind {
  if (targets.some((t) => isRejection(t))) return 'rejecting';
  if (event.startsWith('TIMER')) return 'timer';
  if (event === 'always') return 'eventless';
  return 'passing';
}

function isRejection(stateId: string): boolean {
  return (stateId.split('.').at(-1) ?? '').startsWith('rejected');
}

function triggerOf(event: string, guard: string | undefined): string {
  if (event === 'always') return guard === undefined ? 'always' : `[${guard}]`;
  return guard === undefined ? event : `${event} [${guard}]`;
}

function nodesOf(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap((child: AnyStateNode) => nodesOf(child))];
}

const definitionIndexes = new WeakMap<AnyStateMachine, Map<AnyTransitionDefinition, TracedTransition>>();

/**
 * Each transition definition of `machine` with its trace. `tracedTransitions` lists them per state
 * node, evented then eventless, which is the order walked here; the inspection API hands out
 * definitions, so this is how a transition taken at run time finds its key and requirement IDs.
 */
export function tracedDefinitions(machine: AnyStateMachine): Map<AnyTransitionDefinition, TracedTransition> {
  const known = definitionIndexes.get(machine);
  if (known) return known;
  const definitions = nodesOf(machine.root).flatMap((node) => [...node.transitions.values()].flat().concat(node.always ?? []));
  const index = new Map(
    tracedTransitions(machine).map((traced, i) => {
      const definition = definitions[i];
      if (definition === undefined || definition.source.id !== traced.source) {
        throw new Error(`machine-graph: transition ${traced.key} of '${machine.id}' does not match its definition`);
      }
      return [definition, traced] as const;
    }),
  );
  definitionIndexes.set(machine, index);
  return index;
}

function stateType(node: AnyStateNode, machine: AnyStateMachine): DrawnState['type'] {
  if (node === machine.root) return 'root';
  if (node.type === 'final' || node.type === 'parallel' || node.type === 'compound') return node.type;
  return 'atomic';
}

export function drawnMachine(name: string, machine: AnyStateMachine): DrawnMachine {
  const transitions: DrawnTransition[] = [...tracedDefinitions(machine)].map(([definition, traced]) => ({
    key: traced.key,
    source: traced.source,
    targets: traced.targets,
    event: traced.event,
    guard: traced.guard,
    actions: definition.actions.map(actionLabel),
    requirements: traced.requirements,
    clause: traced.clause,
    description: traced.description,
    kind: kindOf(traced.event, traced.targets),
    trigger: triggerOf(traced.event, traced.guard),
  }));
  const traces = new Map(tracedStates(machine).map((s) => [s.id, s]));
  const build = (node: AnyStateNode): DrawnState => {
    const trace = traces.get(node.id);
    const rootTrace = node === machine.root ? (node.meta as Trace | undefined) : undefined;
    const children = Object.values(node.states)
      .filter((child: AnyStateNode) => child.type !== 'history')
      .map((child: AnyStateNode) => build(child));
    return {
      id: node.id,
      name: node === machine.root ? name : node.key,
      type: stateType(node, machine),
      description: node.description,
      requirements: trace?.requirements ?? rootTrace?.requirements ?? [],
      clause: trace?.clause ?? rootTrace?.clause,
      entry: node.entry.map(actionLabel),
      exit: node.exit.map(actionLabel),
      internal: transitions.filter((t) => t.source === node.id && t.targets.length === 0),
      initial: children.length > 0 ? node.initial.target[0]?.id : undefined,
      children,
      rejection: isRejection(node.id),
    };
  };
  return { name, root: build(machine.root), transitions: transitions.filter((t) => t.targets.length > 0) };
}

/** Every state of the drawing but the root, depth first. */
export function drawnStates(machine: DrawnMachine): DrawnState[] {
  const walk = (state: DrawnState): DrawnState[] => [state, ...state.children.flatMap(walk)];
  return machine.root.children.flatMap(walk);
}
