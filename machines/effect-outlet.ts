/**
 * Where effects leave the machines: every actor of a session's system (the session, its legs and
 * blocks) emits `CfEffect`s; this collects them, in the order they happen, into one sink. The
 * runtime's sink performs them; a test's sink records them.
 */
import { createActor, type Actor } from 'xstate';
import type { CfEffect } from './effects.ts';
import { sessionMachine, type SessionInput } from './session.ts';

export type EffectSink = (effect: CfEffect, source: string) => void;

export type SessionActor = Actor<typeof sessionMachine>;

/** A session actor whose every effect, and its children's, reaches `sink`; `snapshot` resumes a persisted one. */
export function createSessionActor(input: SessionInput, sink: EffectSink, snapshot?: unknown): SessionActor {
  return createActor(sessionMachine, {
    input,
    ...(snapshot === undefined ? {} : { snapshot: snapshot as never }),
    // `@xstate.actor` is reported as each actor is constructed, before it starts and runs its
    // entry actions, so no effect of a freshly spawned leg or block can be missed.
    inspect: (event) => {
      if (event.type !== '@xstate.actor') return;
      const ref = event.actorRef as unknown as { on: Actor<typeof sessionMachine>['on']; id: string };
      ref.on('*', (effect) => sink(effect as CfEffect, ref.id));
    },
  });
}
