/**
 * One scenario per open question of READING.md, run on the composed session: the behaviour
 * docs/spec-findings.md decides, pinned. Names say "Qn" so the findings can cite them.
 */
import { describe, expect, it } from 'vitest';
import type { CfEffect } from '../../machines/effects.ts';
import { membersToInvite } from '../../machines/members.ts';
import type { SessionEvent } from '../../machines/session.ts';
import { addresses, groups, invite } from '../model/fixtures.ts';
import { runSystem, twoMemberGroup } from '../model/session-system.ts';
import { passiveAnswer } from '../model/member-leg-model.ts';
import { checkSessionStory } from '../model/session-checks.ts';

const start: SessionEvent[] = [
  { type: 'INVITE', invite: invite({ sessionExpires: { interval: 1800, refresher: null } }) },
  { type: 'GROUP_DOCUMENT_FOUND', group: twoMemberGroup },
];
const member = (leg: number, event: Extract<SessionEvent, { type: 'MEMBER' }>['event']): SessionEvent => ({ type: 'MEMBER', leg, event });
const accepted = (leg: number) => member(leg, { type: 'MEMBER_ACCEPTED', answer: passiveAnswer });

function story(events: SessionEvent[]) {
  const final = runSystem(events);
  const effects = final.effects.map((e) => e.effect);
  checkSessionStory(events, effects, final.status === 'done');
  return { final, effects, of: (type: CfEffect['type']) => effects.filter((e) => e.type === type) };
}

describe('Q1: the group document is fetched once, before authorizing, and a missing group answers like a forbidden one', () => {
  it('asks the XDMS once and answers 403 Service not authorised for an unknown group', () => {
    const { of } = story([start[0]!, { type: 'GROUP_DOCUMENT_NOT_FOUND' }]);
    expect(of('xdm.fetchGroupDocument')).toHaveLength(1);
    expect(of('originator.reject')).toEqual([{ type: 'originator.reject', rejection: { status: 403, reason: 'Forbidden', warning: 'Service not authorised' }, requirement: 'INV-1' }]);
  });
  it('answers an outsider 403 even for a group without CPM support, so 404 tells nothing to the unauthorized', () => {
    const { of } = story([{ type: 'INVITE', invite: invite({ authenticatedOriginator: addresses.stranger }) }, { type: 'GROUP_DOCUMENT_FOUND', group: groups.noCpm }]);
    expect(of('originator.reject')[0]).toMatchObject({ rejection: { status: 403 } });
  });
});

describe('Q3: without a trusted P-Asserted-Identity nobody is authorized', () => {
  it('answers 403 without fetching the document', () => {
    const { of } = story([{ type: 'INVITE', invite: invite({ authenticatedOriginator: null }) }]);
    expect(of('xdm.fetchGroupDocument')).toHaveLength(0);
    expect(of('originator.reject')[0]).toMatchObject({ rejection: { status: 403, warning: 'Service not authorised' } });
  });
});

describe('Q4: the CF anchors the media', () => {
  it("answers the originator with the member's accept-types and max-size but the CF's own a=path", () => {
    const { of } = story([...start, accepted(0)]);
    const accept = of('originator.accept')[0] as Extract<CfEffect, { type: 'originator.accept' }>;
    expect(accept.response.answer.path).toEqual(['msrp://cf.cpm.example.net:2855/u8Qz1kPvR2mXh5Tn0aYc-o;tcp']);
    expect(accept.response.answer.acceptTypes).toEqual(passiveAnswer.acceptTypes);
    expect(accept.response.answer.maxSize).toBe(passiveAnswer.maxSize);
  });
});

describe("Q5: ACK-1 is the originator's ACK; the CF connects to each accepted member", () => {
  it('opens no member connection before the ACK, and one per accepted member after it', () => {
    const before = story([...start, accepted(0)]);
    expect(before.of('msrp.connectMember')).toHaveLength(0);
    const after = story([...start, accepted(0), { type: 'ACK' }]);
    expect(after.of('msrp.connectMember').map((e) => (e as { leg: number }).leg)).toEqual([0]);
  });
});

describe('Q6: a member accepting late still receives the whole message', () => {
  it('connects the late member and relays from the start of the spool', () => {
    const events: SessionEvent[] = [
      ...start, accepted(0), { type: 'ACK' }, member(0, { type: 'MSRP_CONNECTED' }),
      { type: 'SEND', messageId: 'm1', flag: '$', successReport: true, failureReport: 'yes' },
      accepted(1), member(1, { type: 'MSRP_CONNECTED' }),
    ];
    const { effects } = story(events);
    expect(effects.filter((e) => e.type === 'msrp.connectMember' && e.leg === 1)).toHaveLength(1);
    expect(effects.filter((e) => e.type === 'msrp.relayToMember' && e.leg === 1)).toHaveLength(1);
  });
});

describe('Q7: nobody accepts', () => {
  it('answers 480 when every member declines', () => {
    const { of, final } = story([...start, member(0, { type: 'MEMBER_REJECTED', status: 486 }), member(1, { type: 'MEMBER_REJECTED', status: 603 })]);
    expect(of('originator.reject')[0]).toMatchObject({ rejection: { status: 480, reason: 'Temporarily Unavailable' } });
    expect(final.status).toBe('done');
  });
  it('answers 480 when the group has nobody but the originator', () => {
    const { of } = story([start[0]!, { type: 'GROUP_DOCUMENT_FOUND', group: groups.onlyOriginator }]);
    expect(of('originator.reject')[0]).toMatchObject({ rejection: { status: 480 }, requirement: 'INV-10' });
  });
});

describe('Q8: the originator CANCELs before any member answered', () => {
  it('answers 487 and CANCELs every pending INVITE, then releases', () => {
    const { of, final } = story([...start, { type: 'CANCEL' }, member(0, { type: 'MEMBER_REJECTED', status: 487 }), member(1, { type: 'MEMBER_REJECTED', status: 487 })]);
    expect(of('originator.reject')[0]).toMatchObject({ rejection: { status: 487 } });
    expect(of('member.cancel')).toHaveLength(2);
    expect(final.status).toBe('done');
  });
});

describe('Q9: BYE with legs pending or delivering', () => {
  it('CANCELs the pending member and lets the delivering member drain before its BYE', () => {
    const events: SessionEvent[] = [
      ...start, accepted(0), { type: 'ACK' }, member(0, { type: 'MSRP_CONNECTED' }),
      { type: 'SEND', messageId: 'm1', flag: '$', successReport: false, failureReport: 'yes' },
      { type: 'BYE' },
    ];
    const during = story(events);
    expect(during.of('originator.answerBye')).toHaveLength(1);
    expect(during.of('member.cancel')).toHaveLength(1);
    expect(during.of('member.bye')).toHaveLength(0);
    expect(during.effects).toContainEqual({ type: 'timer.start', timer: 'drain', leg: 0, ms: 30_000 });
    const after = story([...events, member(0, { type: 'CAUGHT_UP' })]);
    expect(after.of('member.bye')).toEqual([{ type: 'member.bye', leg: 0 }]);
  });
  it('aborts the copy still in flight when the drain timer expires', () => {
    const events: SessionEvent[] = [
      ...start, member(1, { type: 'MEMBER_REJECTED', status: 486 }), accepted(0), { type: 'ACK' }, member(0, { type: 'MSRP_CONNECTED' }),
      { type: 'BYE' }, { type: 'TIMER', timer: 'drain', leg: 0 },
    ];
    const types = story(events).effects.map((e) => e.type);
    expect(types.indexOf('msrp.abortDelivery')).toBeLessThan(types.indexOf('member.bye'));
  });
});

describe('Q10: a member leaves', () => {
  it("answers the member's BYE and keeps the session for the others", () => {
    const { of, final } = story([...start, accepted(0), accepted(1), { type: 'ACK' }, member(0, { type: 'MEMBER_BYE' })]);
    expect(of('member.answerBye')).toEqual([{ type: 'member.answerBye', leg: 0 }]);
    expect(of('originator.sendBye')).toHaveLength(0);
    expect(final.status).toBe('active');
  });
  it('ends the session with a BYE to the originator when the last member leaves', () => {
    const { of, final } = story([...start, member(1, { type: 'MEMBER_REJECTED', status: 486 }), accepted(0), { type: 'ACK' }, member(0, { type: 'MEMBER_BYE' })]);
    expect(of('originator.sendBye')).toEqual([{ type: 'originator.sendBye', reason: 'last member left' }]);
    expect(final.status).toBe('done');
  });
});

describe('Q11: one end-to-end REPORT across the fan-out', () => {
  const delivered: SessionEvent[] = [
    ...start, accepted(0), accepted(1), { type: 'ACK' }, member(0, { type: 'MSRP_CONNECTED' }), member(1, { type: 'MSRP_CONNECTED' }),
    { type: 'SEND', messageId: 'm1', flag: '$', successReport: true, failureReport: 'yes' },
    { type: 'MEMBER_MESSAGE_DELIVERED', leg: 0, messageId: 'm1' },
  ];
  it('sends no REPORT until every recipient has the message, then one 200', () => {
    expect(story(delivered).of('originator.report')).toHaveLength(0);
    expect(story([...delivered, { type: 'MEMBER_MESSAGE_DELIVERED', leg: 1, messageId: 'm1' }]).of('originator.report')).toEqual([
      { type: 'originator.report', messageId: 'm1', status: 200, comment: 'delivered to 2 of 2 members' },
    ]);
  });
  it('does not wait for a recipient that left before the message began', () => {
    const events: SessionEvent[] = [
      ...start, accepted(0), member(0, { type: 'MEMBER_BYE' }), accepted(1), { type: 'ACK' }, member(1, { type: 'MSRP_CONNECTED' }),
      { type: 'SEND', messageId: 'm1', flag: '$', successReport: true, failureReport: 'yes' },
      { type: 'MEMBER_MESSAGE_DELIVERED', leg: 1, messageId: 'm1' },
    ];
    expect(story(events).of('originator.report')).toEqual([
      { type: 'originator.report', messageId: 'm1', status: 200, comment: 'delivered to 1 of 1 members' },
    ]);
  });
  it('sends a failure REPORT when a recipient left before it had the message', () => {
    expect(story([...delivered, member(1, { type: 'MEMBER_BYE' })]).of('originator.report')).toEqual([
      { type: 'originator.report', messageId: 'm1', status: 481, comment: 'delivered to 1 of 2 members' },
    ]);
  });
});

describe('Q12: session timers on the originator side', () => {
  it('ends the session with BYE when the originator does not refresh', () => {
    const { of } = story([
      ...start, accepted(0), { type: 'ACK' }, member(0, { type: 'MSRP_CONNECTED' }), member(0, { type: 'CAUGHT_UP' }),
      { type: 'TIMER', timer: 'sessionExpiry', leg: null },
    ]);
    expect(of('originator.sendBye')).toEqual([{ type: 'originator.sendBye', reason: 'session expired' }]);
    expect(of('member.bye')).toEqual([{ type: 'member.bye', leg: 0 }]);
  });
  it('answers a refresh and re-arms the expiry', () => {
    const { effects } = story([...start, accepted(0), { type: 'ACK' }, { type: 'REFRESH' }]);
    expect(effects.filter((e) => e.type === 'timer.start' && e.timer === 'sessionExpiry')).toHaveLength(2);
    expect(effects).toContainEqual({ type: 'originator.answerRefresh', sessionTimer: { interval: 1800, refresher: 'uac' } });
  });
  it('refreshes itself when the originator does not support timers', () => {
    const events: SessionEvent[] = [{ type: 'INVITE', invite: invite({ sessionExpires: { interval: 1800, refresher: null }, supportsTimer: false }) }, start[1]!, accepted(0), { type: 'ACK' }, { type: 'TIMER', timer: 'sessionRefresh', leg: null }];
    expect(story(events).of('originator.sendRefresh')).toHaveLength(1);
  });
});

describe('Q13: members do not learn an anonymous originator', () => {
  it('invites every member with no originator identity', () => {
    const { of } = story([{ type: 'INVITE', invite: invite({ authenticatedOriginator: addresses.alice, anonymityRequested: true }) }, { type: 'GROUP_DOCUMENT_FOUND', group: groups.friends }]);
    expect(of('member.invite').map((e) => (e as { originator: string | null }).originator)).toEqual([null, null, null]);
  });
});

describe('Q14: the originator, duplicates and non-CPM members', () => {
  it('leaves the originator out and invites each address once, tel: URIs included', () => {
    const group = { ...groups.friends, members: [{ uri: addresses.bob }, { uri: 'sip:Alice@cpm.example.net' }, { uri: addresses.alice }, { uri: 'tel:+15551234567' }] };
    expect(membersToInvite(group, addresses.bob).map((m) => m.uri)).toEqual(['sip:Alice@cpm.example.net', 'tel:+15551234567']);
  });
});

describe('Q15: Server and User-Agent', () => {
  it('puts the configured CPM release in Server', () => {
    const accept = story([...start, accepted(0)]).of('originator.accept')[0] as Extract<CfEffect, { type: 'originator.accept' }>;
    expect(accept.response.server).toBe('CPM-serv/OMA1.0');
  });
  it('refuses a User-Agent outside the required versions with 403 and Error-Info', () => {
    const { of } = story([{ type: 'INVITE', invite: invite({ userAgent: 'CPM-client/OMA0.9' }) }, { type: 'GROUP_DOCUMENT_FOUND', group: twoMemberGroup }]);
    expect(of('originator.reject')[0]).toMatchObject({ rejection: { status: 403, errorInfo: 'https://cf.cpm.example.net/errors/user-agent' }, requirement: 'INV-4' });
  });
});
