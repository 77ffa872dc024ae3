/**
 * The composed session as a test model. `createTestModel` traverses a machine with its children
 * inert, which would leave the legs and blocks out of the story; so the whole actor system is wrapped
 * as one `ActorLogic` whose snapshot is the abstract state of every actor in it, and `TestModel` (the
 * class behind `createTestModel`) generates shortest paths over that. Each transition replays the
 * path on a real system, so every step is what the runtime would see.
 */
import { TestModel } from 'xstate/graph';
import type { AnyActorLogic, AnyActorRef, EventObject, StateValue } from 'xstate';
import type { CfEffect, TimerName } from '../../machines/effects.ts';
import { createSessionActor } from '../../machines/effect-outlet.ts';
import type { MemberLegEvent } from '../../machines/member-leg.ts';
import type { SessionEvent, SessionInput } from '../../machines/session.ts';
import type { InviteSummary } from '../../machines/types.ts';
import { addresses, focus, groups, invite, policy } from './fixtures.ts';
import { activeAnswer, memberLegEvents, passiveAnswer } from './member-leg-model.ts';

export interface RecordedEffect {
  effect: CfEffect;
  source: string;
}

export interface SystemSnapshot {
  status: 'active' | 'done' | 'error';
  output: undefined;
  error: unknown;
  events: SessionEvent[];
  /** The system's persisted snapshot, to continue from without replaying the events. */
  persisted: unknown;
  value: StateValue;
  /** Each live leg's index and state. */
  legs: { leg: number; value: StateValue; canHandle: MemberLegEvent[] }[];
  children: string[];
  effects: RecordedEffect[];
}

export const sessionInput: SessionInput = { policy, focus };

/**
 * Runs `events` on a session system — a fresh one, or the one persisted in `from` — and reports
 * where every actor stands.
 */
export function runSystem(events: SessionEvent[], input: SessionInput = sessionInput, from?: SystemSnapshot): SystemSnapshot {
  const effects: RecordedEffect[] = from ? [...from.effects] : [];
  const actor = createSessionActor(input, (effect, source) => effects.push({ effect, source }), from?.persisted);
  let error: unknown;
  actor.subscribe({ error: (e) => { error = e; } });
  actor.start();
  for (const event of events.slice(from ? from.events.length : 0)) actor.send(event);
  const snapshot = actor.getSnapshot();
  const children = snapshot.children as Record<string, AnyActorRef>;
  const legs = Object.entries(children)
    .filter(([id]) => id.startsWith('leg.'))
    .map(([id, ref]) => {
      const legSnapshot = ref.getSnapshot();
      return {
        leg: Number(id.slice(4)),
        value: legSnapshot.value as StateValue,
        canHandle: memberLegEvents.filter((e) => legSnapshot.can(e)),
      };
    })
    .sort((a, b) => a.leg - b.leg);
  const result: SystemSnapshot = {
    status: error !== undefined ? 'error' : snapshot.status === 'done' ? 'done' : 'active',
    output: undefined,
    error,
    events,
    persisted: actor.getPersistedSnapshot(),
    value: snapshot.value,
    legs,
    children: Object.keys(children).sort(),
    effects,
  };
  actor.stop();
  return result;
}

/** The originator's INVITEs the session is explored with: one per way INV-6 can settle. */
export const sessionInvites: InviteSummary[] = [
  invite({ sessionExpires: { interval: 1800, refresher: null }, supportsTimer: true }),
  invite({ sessionExpires: { interval: 1800, refresher: null }, supportsTimer: false }),
  // Open question 13: Alice may send anonymously; the members must not learn who she is.
  invite({ authenticatedOriginator: addresses.alice, anonymityRequested: true }),
];

/** A group of Bob (the originator) with Alice and Carol: two legs, enough for every interleaving class. */
export const twoMemberGroup = { ...groups.friends, members: [{ uri: addresses.bob }, { uri: addresses.alice }, { uri: addresses.carol }] };

export function offered(snapshot: SystemSnapshot): SessionEvent[] {
  const value = snapshot.value;
  const top = typeof value === 'string' ? value : Object.keys(value)[0];
  const events: SessionEvent[] = [];
  if (top === 'awaitingInvite') return sessionInvites.map((i) => ({ type: 'INVITE', invite: i }));
  if (top === 'handlingInvite') {
    return [
      { type: 'GROUP_DOCUMENT_FOUND', group: twoMemberGroup },
      { type: 'GROUP_DOCUMENT_NOT_FOUND' },
      { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 503, retryAfter: 30 },
      { type: 'CANCEL' },
      { type: 'SHUTDOWN' },
    ];
  }
  if (top === 'invitingMembers') events.push({ type: 'CANCEL' }, { type: 'SHUTDOWN' });
  if (top === 'dialog') {
    const sub = (value as { dialog: string }).dialog;
    if (sub === 'awaitingAck') events.push({ type: 'ACK' }, { type: 'TIMER', timer: 'ack', leg: null });
    // One message per session, as Large Message Mode sends it.
    if (sub === 'established' && !snapshot.events.some((e) => e.type === 'SEND')) {
      events.push(
        { type: 'SEND', messageId: 'm1', flag: '$', successReport: true, failureReport: 'yes' },
        ...snapshot.legs.map((l) => ({ type: 'MEMBER_MESSAGE_DELIVERED' as const, leg: l.leg, messageId: 'm1' })),
      );
    }
    events.push({ type: 'BYE' }, { type: 'SHUTDOWN' }, { type: 'REFRESH' });
    // Only a refresh the CF sent can fail, and only an armed timer can fire.
    if (snapshot.effects.some((e) => e.effect.type === 'originator.sendRefresh')) events.push({ type: 'REFRESH_FAILED' });
    for (const timer of ['sessionExpiry', 'sessionRefresh'] as const) {
      if (armed(snapshot, timer)) events.push({ type: 'TIMER', timer, leg: null });
    }
  }
  for (const leg of snapshot.legs) {
    for (const event of leg.canHandle) {
      // Leg timers reach the leg through the session, as the runtime delivers them.
      if (event.type === 'TIMER_NO_ANSWER') events.push({ type: 'TIMER', timer: 'noAnswer', leg: leg.leg });
      else if (event.type === 'TIMER_CANCEL') events.push({ type: 'TIMER', timer: 'cancel', leg: leg.leg });
      else if (event.type === 'TIMER_DRAIN') events.push({ type: 'TIMER', timer: 'drain', leg: leg.leg });
      // The session decides when a leg connects or has data; the runtime never sends these itself.
      else if (event.type !== 'CONNECT_MEDIA' && event.type !== 'DATA_AVAILABLE' && event.type !== 'END_LEG' && !(event.type === 'MEMBER_ACCEPTED' && event.answer === activeAnswer)) {
        events.push({ type: 'MEMBER', leg: leg.leg, event });
      }
    }
  }
  return events;
}

function armed(snapshot: SystemSnapshot, timer: TimerName): boolean {
  let on = false;
  for (const { effect } of snapshot.effects) {
    if ((effect.type === 'timer.start' || effect.type === 'timer.cancel') && effect.timer === timer && effect.leg === null) on = effect.type === 'timer.start';
  }
  return on;
}

/** Legs are interchangeable: the abstract state counts legs per state rather than naming them. */
export function abstractState(snapshot: SystemSnapshot): string {
  const legStates = snapshot.legs.map((l) => JSON.stringify(l.value)).sort();
  const sent = snapshot.events.some((e) => e.type === 'SEND');
  const reported = snapshot.effects.some((e) => e.effect.type === 'originator.report');

  return JSON.stringify([snapshot.status, snapshot.value, legStates, snapshot.children.filter((c) => !c.startsWith('leg.')), sent, reported]);
}

// The graph tools only read `status` of a snapshot; the system's snapshot carries the rest.
const systemLogic = {
  transition: (snapshot: SystemSnapshot, event: SessionEvent) => runSystem([...snapshot.events, event], sessionInput, snapshot),
  getInitialSnapshot: () => runSystem([]),
  getPersistedSnapshot: (snapshot: SystemSnapshot) => snapshot,
} as unknown as AnyActorLogic;

export interface SessionPath {
  events: SessionEvent[];
  final: SystemSnapshot;
}

/**
 * Stories the abstract graph merges away: its states do not tell which INVITE started the session,
 * so only the first of `sessionInvites` is explored past the XDMS; the CF as refresher (the second)
 * is told here.
 */
const cfRefreshes: SessionEvent[] = [
  { type: 'INVITE', invite: sessionInvites[1]! },
  { type: 'GROUP_DOCUMENT_FOUND', group: twoMemberGroup },
  { type: 'MEMBER', leg: 0, event: { type: 'MEMBER_ACCEPTED', answer: passiveAnswer } },
  { type: 'ACK' },
  { type: 'TIMER', timer: 'sessionRefresh', leg: null },
];
const storiesMergedAway: SessionEvent[][] = [cfRefreshes, [...cfRefreshes, { type: 'REFRESH_FAILED' }]];

/** Shortest paths to every abstract state of the session system, the entering event included. */
export function generateSessionPaths(): SessionPath[] {
  const model = new TestModel(systemLogic, {
    events: (snapshot: SystemSnapshot) => offered(snapshot),
    serializeState: (snapshot: SystemSnapshot, event: EventObject | undefined, previous: SystemSnapshot | undefined) =>
      `${abstractState(snapshot)}|${event?.type ?? ''}|${event && 'event' in event ? (event as { event: EventObject }).event.type : ''}|${previous ? JSON.stringify(previous.value) : ''}`,
  } as never);
  const explored = model.getShortestPaths().map((path) => path.steps.map((s) => s.event as SessionEvent).filter((e) => (e.type as string) !== 'xstate.init'));
  return [...explored, ...storiesMergedAway].map((events) => ({ events, final: runSystem(events) }));
}
