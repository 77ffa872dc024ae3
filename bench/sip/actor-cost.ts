/**
 * What the xstate actors cost by themselves, in this process, with no socket: the CPU time of one
 * transaction's life (the transaction machines of `machines/transactions/`), as an actor and as the
 * CF runs it (`TransactionDriver` on the shared step graph, timers armed and disarmed), and of
 * one group session's (the session system of `machines/session.ts` with its member legs and blocks,
 * through INVITE, the group document, every member's 200 OK, ACK, every member's MSRP binding, BYE,
 * every member caught up and its BYE answered, to the session's release), and the heap one live actor of each holds. It tells how much of
 * the CF's CPU per session (the load steps' `cpuMsPerSession`) is the actors' own.
 */
import { createActor, type AnyStateMachine } from 'xstate';
import { createSessionActor, type SessionActor } from '../../machines/effect-outlet.ts';
import { CPM_LARGE_MESSAGE_ICSI, type GroupDocument } from '../../machines/group.ts';
import type { SessionEvent } from '../../machines/session.ts';
import { inviteClientTransaction, nonInviteClientTransaction, nonInviteServerTransaction } from '../../machines/transactions/index.ts';
import type { TransactionEvent } from '../../machines/transactions/events.ts';
import type { CfPolicy, InviteSummary, MsrpMedia } from '../../machines/types.ts';
import { TransactionDriver } from '../../runtime/sip/transaction-driver.ts';
import { TransactionGraphs } from '../../runtime/sip/transaction-steps.ts';
import { collectGarbage } from './collect.ts';
import { round } from './step.ts';

const TIMERS = { t1: 500, t2: 4000, t4: 5000 };

/** Runs `fn` `count` times after a warm-up of the same size; µs of CPU per run. */
function cpuMicros(count: number, fn: (i: number) => void): number {
  for (let i = 0; i < count; i++) fn(i);
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

/** Heap bytes per object that `make` returns, with `count` of them alive at once, on a collected heap; each is then `release`d. */
function heapBytesEach<T>(count: number, make: (i: number) => T, release: (made: T) => void = () => undefined): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const held = Array.from({ length: count }, (_, i) => make(i));
  collectGarbage();
  const after = process.memoryUsage().heapUsed;
  held.forEach(release);
  return (after - before) / count;
}

/** A transaction's whole life: created, started, sent `events` in turn, each effect handed to a no-op. */
function transaction(machine: AnyStateMachine, events: readonly TransactionEvent[]): ReturnType<typeof createActor> {
  const actor = createActor(machine, { input: { ...TIMERS, reliable: false } });
  actor.on('*', () => undefined);
  actor.start();
  for (const event of events) actor.send(event);
  return actor;
}

const GRAPHS = new TransactionGraphs(TIMERS);
const NO_TU = { perform: () => undefined };

/** The same life as the CF runs it: no actor, each step looked up in the machine's step graph. */
function drivenTransaction(machine: AnyStateMachine, events: readonly TransactionEvent[]): TransactionDriver {
  const driver = new TransactionDriver(GRAPHS.of(machine, false), NO_TU);
  driver.start();
  for (const event of events) driver.send(event);
  return driver;
}

const LIVES = {
  /** A member's INVITE answered 200 OK (RFC 6026 Accepted, then Timer M). */
  inviteClient: [inviteClientTransaction, [{ type: 'RESPONSE', status: 200 }, { type: 'TIMER_M' }]],
  /** A BYE to a member answered 200 OK, then Timer K. */
  nonInviteClient: [nonInviteClientTransaction, [{ type: 'RESPONSE', status: 200 }, { type: 'TIMER_K' }]],
  /** The originator's BYE answered 200 OK, then Timer J. */
  nonInviteServer: [nonInviteServerTransaction, [{ type: 'SEND_RESPONSE', status: 200 }, { type: 'TIMER_J' }]],
} as const satisfies Record<string, readonly [AnyStateMachine, readonly TransactionEvent[]]>;

function media(path: string): MsrpMedia {
  return { path: [path], acceptTypes: ['message/cpim'], acceptWrappedTypes: [], maxSize: null, setup: null, otherAttributes: [] };
}

const POLICY: CfPolicy = {
  server: 'CPM-serv/OMA1.0',
  allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'UPDATE'],
  focusUri: 'sip:cpm-cf@127.0.0.1:5060',
  requiredUserAgents: null,
  errorInfoUri: 'https://cpm.example.net/ua.html',
  minSessionExpires: 90,
  maxSessionExpires: 7200,
  timers: { noAnswerMs: 60_000, cancelMs: 32_000, ackMs: 32_000, drainMs: 30_000 },
};

function sessionEvents(members: number): { opening: SessionEvent[]; closing: SessionEvent[] } {
  const group: GroupDocument = {
    uri: 'sip:bench@cpm.example.net',
    members: Array.from({ length: members }, (_, i) => ({ uri: `sip:m${i}@127.0.0.1:${6000 + i}` })),
    supportedServices: [CPM_LARGE_MESSAGE_ICSI],
    rules: [{ id: 'sender', conditions: { identity: { one: ['sip:sender@127.0.0.1'], many: [] } }, actions: { allowInitiateConference: true, allowAnonymity: false } }],
  };
  const invite: InviteSummary = {
    groupUri: group.uri,
    authenticatedOriginator: 'sip:sender@127.0.0.1',
    userAgent: null,
    anonymityRequested: false,
    sessionExpires: null,
    minSe: null,
    supportsTimer: false,
    offer: media('msrp://127.0.0.1:7777/o;tcp'),
  };
  const legs = Array.from({ length: members }, (_, leg) => leg);
  const member = (leg: number, event: Extract<SessionEvent, { type: 'MEMBER' }>['event']): SessionEvent => ({ type: 'MEMBER', leg, event });
  return {
    opening: [
      { type: 'INVITE', invite },
      { type: 'GROUP_DOCUMENT_FOUND', group },
      ...legs.map((leg) => member(leg, { type: 'MEMBER_ACCEPTED', answer: media(`msrp://127.0.0.1:9000/m${leg};tcp`) })),
      { type: 'ACK' },
      ...legs.map((leg) => member(leg, { type: 'MSRP_CONNECTED' })),
    ],
    closing: [{ type: 'BYE' }, ...legs.map((leg) => member(leg, { type: 'CAUGHT_UP' })), ...legs.map((leg) => member(leg, { type: 'BYE_COMPLETED' }))],
  };
}

function session(events: readonly SessionEvent[]): SessionActor {
  const actor = createSessionActor({ policy: POLICY, focus: { authority: 'msrp://127.0.0.1:2855', sessionId: 's' } }, () => undefined);
  actor.start();
  for (const event of events) actor.send(event);
  return actor;
}

export interface ActorCosts {
  readonly transactionLifeMicros: Record<keyof typeof LIVES, number>;
  readonly drivenTransactionLifeMicros: Record<keyof typeof LIVES, number>;
  /** A transaction between its final response and its last timer (Completed, Accepted): what lingers 64*T1 on UDP. */
  readonly lingeringTransactionHeapBytes: number;
  /** The same, driven: the driver and its armed timer (the messages it refers to are the runner's). */
  readonly lingeringDrivenTransactionHeapBytes: number;
  readonly sessionLifeMicros: number;
  readonly establishedSessionHeapBytes: number;
}

export function measureActors(members: number): ActorCosts {
  const runs = 5_000;
  const lives = (life: (machine: AnyStateMachine, events: readonly TransactionEvent[]) => unknown): Record<keyof typeof LIVES, number> =>
    Object.fromEntries(Object.entries(LIVES).map(([name, [machine, events]]) => [name, round(cpuMicros(runs, () => life(machine, events)))])) as Record<keyof typeof LIVES, number>;
  const transactionLifeMicros = lives(transaction);
  const drivenTransactionLifeMicros = lives(drivenTransaction);
  const lingering: readonly TransactionEvent[] = [{ type: 'SEND_RESPONSE', status: 200 }];
  const lingeringTransactionHeapBytes = Math.round(heapBytesEach(runs, () => transaction(nonInviteServerTransaction, lingering)));
  const lingeringDrivenTransactionHeapBytes = Math.round(
    heapBytesEach(runs, () => drivenTransaction(nonInviteServerTransaction, lingering), (driver) => driver.stop()),
  );
  const { opening, closing } = sessionEvents(members);
  const all = [...opening, ...closing];
  const sessionLifeMicros = round(cpuMicros(500, () => session(all)));
  const establishedSessionHeapBytes = Math.round(heapBytesEach(500, () => session(opening)));
  return {
    transactionLifeMicros,
    drivenTransactionLifeMicros,
    lingeringTransactionHeapBytes,
    lingeringDrivenTransactionHeapBytes,
    sessionLifeMicros,
    establishedSessionHeapBytes,
  };
}
