/**
 * What must hold of every story the session can tell, whatever the interleaving: the originator's
 * single final answer, each member's INVITE / CANCEL / ACK / BYE, media only after its connection,
 * anonymity kept, and nothing left behind (BYE-3). Used by the model-based paths here and by the
 * properties of `properties/`.
 */
import type { CfEffect } from '../../machines/effects.ts';
import type { SessionEvent } from '../../machines/session.ts';

export class SessionInvariantError extends Error {
  constructor(invariant: string, detail: string) {
    super(`${invariant}: ${detail}`);
    this.name = 'SessionInvariantError';
  }
}

function legOf(effect: CfEffect): number | null {
  return 'leg' in effect && typeof effect.leg === 'number' ? effect.leg : null;
}

const timerOfEvent = (event: SessionEvent): string | null =>
  event.type === 'TIMER' ? `${event.timer}/${event.leg ?? '-'}` : null;

/** Throws a `SessionInvariantError` naming the first invariant the story breaks. */
export function checkSessionStory(events: SessionEvent[], effects: CfEffect[], released: boolean): void {
  const fail = (invariant: string, detail: string): never => {
    throw new SessionInvariantError(invariant, detail);
  };
  const finals = effects.filter((e) => e.type === 'originator.reject' || e.type === 'originator.accept');
  const invited = events.some((e) => e.type === 'INVITE');
  if (finals.length > 1) fail('one final response to the INVITE', `${finals.length} were sent`);
  if (released && invited && finals.length !== 1) fail('one final response to the INVITE', 'the session ended without one');
  const accept = effects.find((e) => e.type === 'originator.accept');
  if (accept?.type === 'originator.accept' && !accept.response.contact.isfocus) fail('OK-6', 'Contact without isfocus');
  if (accept && !events.some((e) => e.type === 'MEMBER' && e.event.type === 'MEMBER_ACCEPTED')) fail('OK-1', '200 OK before any member accepted');

  const inviteEvent = events.find((e) => e.type === 'INVITE');
  const anonymous = inviteEvent?.type === 'INVITE' && inviteEvent.invite.anonymityRequested;
  const legs = new Set(effects.map(legOf).filter((l): l is number => l !== null));
  for (const leg of legs) {
    const mine = effects.filter((e) => legOf(e) === leg);
    const count = (type: CfEffect['type']) => mine.filter((e) => e.type === type).length;
    const legEvents = events.flatMap((e) => (e.type === 'MEMBER' && e.leg === leg ? [e.event] : []));
    if (count('member.invite') !== 1) fail('every member gets one INVITE', `leg ${leg} got ${count('member.invite')}`);
    for (const type of ['member.cancel', 'member.bye', 'member.ack'] as const) {
      if (count(type) > 1) fail(`at most one ${type} per member`, `leg ${leg} got ${count(type)}`);
    }
    const invite = mine.find((e) => e.type === 'member.invite');
    if (anonymous && invite?.type === 'member.invite' && invite.originator !== null) fail('RFC 3323 anonymity towards members', `leg ${leg} learnt ${invite.originator}`);
    const firstRelay = mine.findIndex((e) => e.type === 'msrp.relayToMember');
    const firstConnect = mine.findIndex((e) => e.type === 'msrp.connectMember' || e.type === 'msrp.awaitMember');
    if (firstRelay >= 0 && (firstConnect < 0 || firstConnect > firstRelay)) fail('no MSRP data before the connection', `leg ${leg}`);
    if (!released) continue;
    const answeredFinally = legEvents.some((e) => e.type === 'MEMBER_REJECTED' || e.type === 'MEMBER_UNREACHABLE' || e.type === 'MEMBER_ACCEPTED');
    const cancelled = count('member.cancel') === 1;
    if (!answeredFinally && !cancelled) fail('a pending INVITE is CANCELled when the session ends', `leg ${leg}`);
    const confirmed = count('member.ack') === 1;
    const memberLeft = legEvents.some((e) => e.type === 'MEMBER_BYE');
    if (confirmed && !memberLeft && count('member.bye') !== 1) fail('a confirmed member gets one BYE (BYE-2)', `leg ${leg}`);
    if (!confirmed && count('member.bye') > 0) fail('no BYE without a dialog', `leg ${leg}`);
  }

  const releases = effects.filter((e) => e.type === 'session.release').length;
  if (released !== (releases === 1)) fail('BYE-3 releases the session once, at its end', `${releases} releases, released=${released}`);
  if (released && effects.at(-1)?.type !== 'session.release') fail('BYE-3 is the last effect', `last was ${effects.at(-1)?.type}`);
  if (released) {
    const pending = new Map<string, number>();
    for (const e of effects) {
      if (e.type === 'timer.start') pending.set(`${e.timer}/${e.leg ?? '-'}`, 1);
      if (e.type === 'timer.cancel') pending.delete(`${e.timer}/${e.leg ?? '-'}`);
    }
    for (const event of events) {
      const fired = timerOfEvent(event);
      if (fired) pending.delete(fired);
    }
    if (pending.size > 0) fail('no timer outlives the session (BYE-3)', [...pending.keys()].join(', '));
  }
}
