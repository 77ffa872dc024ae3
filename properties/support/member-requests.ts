/**
 * Invariant 2: each group member (but the originator) gets exactly one INVITE; a member left
 * ringing gets exactly one CANCEL; a member with a confirmed dialog gets exactly one BYE unless it
 * sent its own; and no request goes to a member outside a state that allows it, judged by what the
 * CF had received from that member when it sent the request (RFC 3261 §9.1, §13.2.2.4, §15).
 */
import { canonicalAddress } from '../../machines/group.ts';
import type { LegIndex } from '../../machines/types.ts';
import { SessionInvariantError } from '../../test/model/session-checks.ts';
import type { FinishedRun } from './session-property.ts';
import type { Trace } from './trace.ts';

const INVARIANT = 'invariant 2: one INVITE per member, CANCEL for a pending INVITE, one BYE per confirmed dialog, no request out of state';

/** What the CF knew of one member's dialog when it sent each request. */
interface LegLedger {
  invites: number;
  final: 'none' | '2xx' | 'other';
  twoHundreds: number;
  cancels: number;
  acks: number;
  byes: number;
  memberByes: number;
  byeAnswers: number;
}

function ledger(): LegLedger {
  return { invites: 0, final: 'none', twoHundreds: 0, cancels: 0, acks: 0, byes: 0, memberByes: 0, byeAnswers: 0 };
}

function fail(detail: string): never {
  throw new SessionInvariantError(INVARIANT, detail);
}

/** Replays the story, refusing each request the member's dialog did not allow when it was sent. */
function replayRequests(trace: Trace): Map<LegIndex, LegLedger> {
  const legs = new Map<LegIndex, LegLedger>();
  const of = (leg: LegIndex) => legs.get(leg) ?? legs.set(leg, ledger()).get(leg)!;
  let released = false;
  for (const [index, step] of trace.entries()) {
    if ('event' in step && step.event.type === 'MEMBER') {
      const l = of(step.event.leg);
      const e = step.event.event;
      if (e.type === 'MEMBER_ACCEPTED') l.twoHundreds++;
      if ((e.type === 'MEMBER_ACCEPTED' || e.type === 'MEMBER_REJECTED' || e.type === 'MEMBER_UNREACHABLE') && l.final === 'none') {
        l.final = e.type === 'MEMBER_ACCEPTED' ? '2xx' : 'other';
      }
      if (e.type === 'MEMBER_BYE') l.memberByes++;
    }
    if (!('effect' in step)) continue;
    const effect = step.effect;
    if (effect.type === 'session.release') released = true;
    if (!effect.type.startsWith('member.') || !('leg' in effect) || effect.leg === null) continue;
    const at = `step ${index}: ${effect.type} to leg ${effect.leg}`;
    if (released) fail(`${at} after the session was released`);
    const l = of(effect.leg);
    if (effect.type !== 'member.invite' && l.invites === 0) fail(`${at} before its INVITE`);
    switch (effect.type) {
      case 'member.invite':
        if (l.invites++ > 0) fail(`${at}: a second INVITE`);
        break;
      case 'member.cancel':
        // RFC 3261 §9.1: only a request without a final response can be cancelled, once.
        if (l.final !== 'none' || l.cancels++ > 0) fail(`${at} after ${l.final === 'none' ? 'a CANCEL' : `a final response (${l.final})`}`);
        break;
      case 'member.ack':
        // RFC 3261 §13.2.2.4: one ACK per 2xx received.
        if (l.acks++ >= l.twoHundreds) fail(`${at} without a 2xx to acknowledge`);
        break;
      case 'member.bye':
        // RFC 3261 §15: BYE only in a confirmed dialog the member has not ended.
        if (l.acks === 0 || l.memberByes > 0 || l.byes++ > 0) fail(`${at}: ${l.acks === 0 ? 'no confirmed dialog' : l.memberByes > 0 ? 'the member already sent BYE' : 'a second BYE'}`);
        break;
      case 'member.answerBye':
        if (l.byeAnswers++ >= l.memberByes) fail(`${at} without a BYE from the member`);
        break;
    }
  }
  return legs;
}

export function checkMemberRequests({ world }: FinishedRun): void {
  const legs = replayRequests(world.trace);
  const invites = world.trace.flatMap((s) => ('effect' in s && s.effect.type === 'member.invite' ? [s.effect] : []));
  const found = world.trace.find((s) => 'event' in s && s.event.type === 'GROUP_DOCUMENT_FOUND');
  const originator = world.scenario.invite.authenticatedOriginator;
  if (invites.length > 0 && found !== undefined && 'event' in found && found.event.type === 'GROUP_DOCUMENT_FOUND' && originator !== null) {
    // INV-9 / open question 14: every member of the document once, the originator left out.
    const expected = new Set(found.event.group.members.map((m) => canonicalAddress(m.uri)));
    expected.delete(canonicalAddress(originator));
    const invited = invites.map((e) => canonicalAddress(e.member.uri));
    if (invited.length !== expected.size || invited.some((a) => !expected.has(a))) {
      fail(`invited ${JSON.stringify(invited)}, the group's members but the originator are ${JSON.stringify([...expected])}`);
    }
  }
  if (!world.cf.released) return;
  for (const member of world.memberList()) {
    const l = legs.get(member.leg) ?? ledger();
    if (!member.answeredUnprompted && l.cancels !== 1) fail(`leg ${member.leg} was left ringing and got ${l.cancels} CANCELs`);
    if (l.acks > 0 && !member.byeSent && l.byes !== 1) fail(`leg ${member.leg} had a confirmed dialog, did not leave, and got ${l.byes} BYEs`);
  }
}
