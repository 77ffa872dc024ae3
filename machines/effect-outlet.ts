/**
 * Where effects leave the machines: every actor of a session's system (the session, its legs and
 * blocks) emits `CfEffect`s; this collects them, in the order they happen, into one sink. The
 * runtime's sink performs them; a test's sink records them.
 *
 * Each actor is listened to (`on('*')`) from inside its logic, as the logic builds or restores the
 * actor's first snapshot: that is before the actor starts and runs its entry actions, so no effect
 * of a freshly spawned leg or block can be missed. xstate's `inspect` would find the actors too, but
 * it builds an inspection event for every event, action and snapshot of every actor of the system;
 * issue 7 measured it at ~17 % of a session's xstate time.
 */
import { createActor, type Actor, type AnyActorLogic, type AnyActorScope, type AnyStateMachine } from 'xstate';
import type { CfEffect } from './effects.ts';
import { sessionMachine, type SessionInput } from './session.ts';

export type EffectSink = (effect: CfEffect, source: string) => void;

export type SessionActor = Actor<typeof sessionMachine>;

/** The sink of each session system, which every actor of the system reaches through its scope. */
const sinks = new WeakMap<AnyActorScope['system'], EffectSink>();
/** The sink of the session actor being created: its system is made by, and first met inside, `createActor`. */
let creating: EffectSink | undefined;

function listen(scope: AnyActorScope): void {
  let sink = sinks.get(scope.system);
  if (sink === undefined) {
    if (creating === undefined) throw new Error('effect-outlet: a session actor was created without createSessionActor');
    sink = creating;
    sinks.set(scope.system, sink);
  }
  const { self } = scope;
  const deliver = sink;
  self.on('*', (effect) => deliver(effect as CfEffect, self.id));
}

function isMachine(logic: AnyActorLogic): logic is AnyStateMachine {
  return 'implementations' in logic && 'provide' in logic;
}

/**
 * `logic` whose every actor is listened to, and so is every actor it spawns by name (the machines
 * name each child in `setup({ actors })`). The wrapper delegates everything else to `logic`.
 */
function listened<T extends AnyActorLogic>(logic: T): T {
  const inner: AnyActorLogic = isMachine(logic) ? withListenedChildren(logic) : logic;
  const wrapped = Object.create(inner) as AnyActorLogic;
  wrapped.getInitialSnapshot = function getInitialSnapshot(this: AnyActorLogic, scope, input) {
    listen(scope);
    return inner.getInitialSnapshot.call(this, scope, input);
  };
  const restore = inner.restoreSnapshot;
  if (restore !== undefined) {
    wrapped.restoreSnapshot = function restoreSnapshot(this: AnyActorLogic, persisted, scope) {
      listen(scope);
      return restore.call(this, persisted, scope);
    };
  }
  return wrapped as T;
}

function withListenedChildren(machine: AnyStateMachine): AnyStateMachine {
  const children = Object.entries(machine.implementations.actors as Record<string, AnyActorLogic>);
  if (children.length === 0) return machine;
  return machine.provide({ actors: Object.fromEntries(children.map(([src, logic]) => [src, listened(logic)])) });
}

const listenedSession = listened(sessionMachine);

/** A session actor whose every effect, and its children's, reaches `sink`; `snapshot` resumes a persisted one. */
export function createSessionActor(input: SessionInput, sink: EffectSink, snapshot?: unknown): SessionActor {
  creating = sink;
  try {
    return createActor(listenedSession, { input, ...(snapshot === undefined ? {} : { snapshot: snapshot as never }) });
  } finally {
    creating = undefined;
  }
}
