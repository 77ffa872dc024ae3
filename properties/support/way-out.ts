/**
 * Invariant 6, structurally: in every machine, every state that is not final has a way out, and
 * the ways out lead somewhere that ends. Each state the machine can hold is a node; each
 * transition with a target (an event — the timers' expiries are events too —, an eventless one,
 * a delayed one, the end of a child) written on it or on an ancestor is an edge. Guards are
 * ignored, so this is the most the machine could do: a state from which even that never reaches
 * a final state (or, for a block the session stops itself, never returns to its idle state) is a
 * trap. The dynamic half is in `settle.ts`: after every run the session must have ended.
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

export interface Trap {
  machine: string;
  state: string;
  why: string;
}

function descendants(node: AnyStateNode): AnyStateNode[] {
  return Object.values(node.states).flatMap((child: AnyStateNode) => [child, ...descendants(child)]);
}

function ancestry(node: AnyStateNode): AnyStateNode[] {
  const chain: AnyStateNode[] = [];
  for (let n: AnyStateNode | undefined = node; n !== undefined; n = n.parent) chain.push(n);
  return chain;
}

/** The states a transition into `node` ends in: its initial descendants (every region's, for a parallel state). */
function settledIn(node: AnyStateNode): AnyStateNode[] {
  if (node.type === 'atomic' || node.type === 'final') return [node];
  if (node.type === 'parallel') return Object.values(node.states).flatMap((child: AnyStateNode) => settledIn(child));
  const target = node.type === 'history' ? node.parent?.initial.target : node.initial.target;
  return (target ?? []).flatMap((t: AnyStateNode) => settledIn(t));
}

function transitionsOf(node: AnyStateNode): AnyTransitionDefinition[] {
  return [...node.transitions.values()].flat().concat(node.always ?? []);
}

/** Where a state can go: every target of a transition on it or an ancestor, and a nested final's `onDone`. */
function successors(state: AnyStateNode): AnyStateNode[] {
  const parent = state.parent;
  const nestedFinal = state.type === 'final' && parent !== undefined && parent.parent !== undefined;
  const doneEvent = nestedFinal ? `xstate.done.state.${parent.id}` : undefined;
  return ancestry(state)
    .flatMap((node) => transitionsOf(node))
    .filter((t) => (state.type === 'final' ? t.eventType === doneEvent : true))
    .flatMap((t) => (t.target ?? []).flatMap((target: AnyStateNode) => settledIn(target)));
}

function reachable(from: AnyStateNode): Set<AnyStateNode> {
  const seen = new Set<AnyStateNode>([from]);
  const queue = [from];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    for (const next of successors(state)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** The states of `machine` with no way out. */
export function trapsOf(machine: AnyStateMachine): Trap[] {
  const root = machine.root;
  const states = descendants(root).filter((n) => n.type === 'atomic' || n.type === 'final');
  const ends = states.filter((n) => n.type === 'final' && n.parent === root);
  const idle = settledIn(root);
  const traps: Trap[] = [];
  for (const state of states) {
    if (ends.includes(state)) continue;
    const out = reachable(state);
    if (successors(state).length === 0) traps.push({ machine: machine.id, state: state.id, why: 'no transition leaves it' });
    else if (ends.length > 0 ? !ends.some((end) => out.has(end)) : !idle.some((i) => out.has(i))) {
      traps.push({ machine: machine.id, state: state.id, why: ends.length > 0 ? 'no final state is reachable from it' : 'it never returns to the idle state' });
    }
  }
  return traps;
}
