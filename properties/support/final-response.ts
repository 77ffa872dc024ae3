/**
 * Invariant 1: the originator gets exactly one final response to its INVITE, the one prescribed
 * for the first failing check. The prescription is read from the story, not from the machines:
 * the INVITE block's answer comes from `expectedInviteEffects` (the CR's checks in order); once it
 * proceeds, the first of these decides — the originator's CANCEL (487, open question 8), a member's
 * usable 200 while its INVITE was pending (the 200 OK, OK-1), or every member leg over (480, open
 * question 7). A leg is over when its member answered non-2xx, or the CF gave it up and its
 * CANCEL or BYE completed: a tiny model of the leg, not the leg machine.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CfEffect } from '../../machines/effects.ts';
import type { InviteEvent } from '../../machines/invite.ts';
import type { SessionEvent } from '../../machines/session.ts';
import type { CfPolicy, LegIndex } from '../../machines/types.ts';
import { expectedInviteEffects } from '../../test/model/invite-oracle.ts';
import { SessionInvariantError } from '../../test/model/session-checks.ts';
import type { FinishedRun } from './session-property.ts';
import { effectsOf, eventsOf } from './trace.ts';

const INVARIANT = 'invariant 1: one final response, the one the first failing check prescribes';

type Final = { type: 'originator.accept' } | Extract<CfEffect, { type: 'originator.reject' }>;

const requestTerminated: Final = { type: 'originator.reject', rejection: { status: 487, reason: 'Request Terminated' }, requirement: null };
const noMemberAccepted: Final = {
  type: 'originator.reject',
  rejection: { status: 480, reason: 'Temporarily Unavailable', warning: 'No member accepted' },
  requirement: 'INV-10',
};

type LegPhase = 'pending' | 'cancelling' | 'byeSent' | 'over';

/** How one member event or timer moves a leg that has not been accepted. */
function nextPhase(phase: LegPhase, event: SessionEvent): LegPhase | 'accepted' {
  if (event.type === 'TIMER') return phase === 'pending' && event.timer === 'noAnswer' ? 'cancelling' : phase === 'cancelling' && event.timer === 'cancel' ? 'over' : phase;
  if (event.type !== 'MEMBER') return phase;
  const e = event.event;
  if (phase === 'pending' || phase === 'cancelling') {
    if (e.type === 'MEMBER_REJECTED' || e.type === 'MEMBER_UNREACHABLE') return 'over';
    if (e.type === 'MEMBER_ACCEPTED') return phase === 'pending' && e.answer !== null && e.answer.path.length > 0 ? 'accepted' : 'byeSent';
  }
  if (phase === 'byeSent' && (e.type === 'BYE_COMPLETED' || e.type === 'MEMBER_BYE')) return 'over';
  return phase;
}

/** The final response the story prescribes, or null when the story never reached one. */
export function prescribedFinal(events: SessionEvent[], effects: CfEffect[], policy: CfPolicy): Final | null {
  const invite = events.find((e) => e.type === 'INVITE');
  if (invite?.type !== 'INVITE') return null;
  const decisive = events.findIndex((e) => e.type === 'CANCEL' || e.type.startsWith('GROUP_DOCUMENT_'));
  const answer = decisive < 0 ? undefined : (events[decisive] as Exclude<InviteEvent, { type: 'INVITE' }>);
  const block = expectedInviteEffects(invite.invite, answer, policy);
  const rejection = block.find((e) => e.type === 'originator.reject');
  if (rejection?.type === 'originator.reject') return rejection;
  if (answer === undefined) return null;

  const legs = new Map<LegIndex, LegPhase>();
  for (const e of effects) if (e.type === 'member.invite') legs.set(e.leg, 'pending');
  for (const event of events.slice(decisive + 1)) {
    if (event.type === 'CANCEL') return requestTerminated;
    const leg = event.type === 'MEMBER' || event.type === 'TIMER' ? event.leg : null;
    const phase = leg === null ? undefined : legs.get(leg);
    if (leg === null || phase === undefined) continue;
    const next = nextPhase(phase, event);
    if (next === 'accepted') return { type: 'originator.accept' };
    legs.set(leg, next);
    if ([...legs.values()].every((p) => p === 'over')) return noMemberAccepted;
  }
  return null;
}

export function checkOneFinalResponse({ world, scenario }: FinishedRun): void {
  const effects = effectsOf(world.trace);
  const finals = effects.filter((e) => e.type === 'originator.reject' || e.type === 'originator.accept');
  if (finals.length !== 1) throw new SessionInvariantError(INVARIANT, `${finals.length} final responses: ${JSON.stringify(finals)}`);
  const sent = finals[0]!;
  const expected = prescribedFinal(eventsOf(world.trace), effects, scenario.policy);
  if (expected === null) throw new SessionInvariantError(INVARIANT, `a final response (${describe(sent)}) where the story prescribes none yet`);
  const matches = expected.type === 'originator.accept' ? sent.type === 'originator.accept' : isDeepStrictEqual(sent, expected);
  if (!matches) throw new SessionInvariantError(INVARIANT, `sent ${describe(sent)}, prescribed ${describe(expected)}`);
}

function describe(final: CfEffect | Final): string {
  return final.type === 'originator.reject' ? JSON.stringify({ ...final.rejection, requirement: final.requirement }) : '200 OK';
}
