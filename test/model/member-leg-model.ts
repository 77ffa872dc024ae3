/**
 * The member leg's test model, and what the CF must send to the member along any path: a flat
 * reading of TS 9.1.2.X, RFC 3261 §9.1/§13.2.2.4/§15 and open questions 8-10, written as a loop over
 * the events rather than as states.
 */
import type { EventObject, SnapshotFrom } from 'xstate';
import type { CfEffect } from '../../machines/effects.ts';
import { memberLegMachine, type MemberLegEvent, type MemberLegInput } from '../../machines/member-leg.ts';
import { addresses, groupUri, msrpMedia, policy } from './fixtures.ts';
import type { MachineModel } from './model.ts';

export const passiveAnswer = msrpMedia('msrp://alice.example.net:9000/a1;tcp');
export const activeAnswer = msrpMedia('msrp://alice.example.net:9000/a2;tcp', 'active');

export const memberLegEvents: MemberLegEvent[] = [
  { type: 'MEMBER_PROVISIONAL' },
  { type: 'MEMBER_ACCEPTED', answer: passiveAnswer },
  { type: 'MEMBER_ACCEPTED', answer: activeAnswer },
  { type: 'MEMBER_ACCEPTED', answer: null },
  { type: 'MEMBER_REJECTED', status: 486 },
  { type: 'MEMBER_UNREACHABLE' },
  { type: 'MEMBER_BYE' },
  { type: 'BYE_COMPLETED' },
  { type: 'CONNECT_MEDIA' },
  { type: 'MSRP_CONNECTED' },
  { type: 'MSRP_FAILED' },
  { type: 'DATA_AVAILABLE' },
  { type: 'CAUGHT_UP' },
  { type: 'END_LEG' },
  { type: 'TIMER_NO_ANSWER' },
  { type: 'TIMER_CANCEL' },
  { type: 'TIMER_DRAIN' },
];

export const legInput: MemberLegInput = {
  leg: 2,
  member: { uri: addresses.carol },
  originator: addresses.bob,
  groupUri,
  offer: msrpMedia('msrp://cf.cpm.example.net:2855/s-m2;tcp', 'actpass'),
  timers: policy.timers,
};

type Phase = 'pending' | 'cancelling' | 'accepted' | 'connecting' | 'delivering' | 'connected' | 'draining' | 'byeSent' | 'ended';

/** The wire effects (timers left out) the CF owes the member for `events`. */
export function expectedLegWireEffects(events: EventObject[], input: MemberLegInput): CfEffect[] {
  const leg = input.leg;
  const out: CfEffect[] = [{ type: 'member.invite', leg, member: input.member, originator: input.originator, groupUri: input.groupUri, offer: input.offer }];
  let phase: Phase = 'pending';
  let answer: MemberLegEvent & { type: 'MEMBER_ACCEPTED' } | null = null;
  const bye = (): Phase => { out.push({ type: 'member.bye', leg }); return 'byeSent'; };
  const close = () => out.push({ type: 'msrp.closeMember', leg });
  const confirmed = ['accepted', 'connecting', 'delivering', 'connected', 'draining'];
  for (const event of events as MemberLegEvent[]) {
    const was = phase;
    if (was === 'pending' || was === 'cancelling') {
      if (event.type === 'MEMBER_ACCEPTED') {
        out.push({ type: 'member.ack', leg });
        if (was === 'pending' && event.answer !== null) { answer = event; out.push({ type: 'leg.accepted', leg, answer: event.answer } as never); phase = 'accepted'; }
        else phase = bye();
      } else if (event.type === 'MEMBER_REJECTED' || event.type === 'MEMBER_UNREACHABLE') phase = 'ended';
      else if (was === 'pending' && (event.type === 'TIMER_NO_ANSWER' || event.type === 'END_LEG')) { out.push({ type: 'member.cancel', leg }); phase = 'cancelling'; }
      else if (was === 'cancelling' && event.type === 'TIMER_CANCEL') phase = 'ended';
    } else if (confirmed.includes(was)) {
      if (event.type === 'MEMBER_BYE') { close(); out.push({ type: 'member.answerBye', leg }); phase = 'ended'; }
      else if (event.type === 'MSRP_FAILED') { close(); phase = bye(); }
      // Open question 9: a copy in flight, or a connection still coming up, drains before the BYE.
      else if (event.type === 'END_LEG' && (was === 'delivering' || was === 'connecting')) phase = 'draining';
      else if (event.type === 'END_LEG' && was !== 'draining') { close(); phase = bye(); }
      else if (was === 'accepted' && event.type === 'CONNECT_MEDIA' && answer?.answer) {
        out.push({ type: answer.answer.setup === 'active' ? 'msrp.awaitMember' : 'msrp.connectMember', leg, answer: answer.answer });
        phase = 'connecting';
      } else if ((was === 'connecting' && event.type === 'MSRP_CONNECTED') || (was === 'connected' && event.type === 'DATA_AVAILABLE')) {
        out.push({ type: 'msrp.relayToMember', leg });
        phase = 'delivering';
      } else if (was === 'delivering' && event.type === 'CAUGHT_UP') phase = 'connected';
      else if (was === 'draining' && event.type === 'MSRP_CONNECTED') out.push({ type: 'msrp.relayToMember', leg });
      else if (was === 'draining' && event.type === 'CAUGHT_UP') { close(); phase = bye(); }
      else if (was === 'draining' && event.type === 'TIMER_DRAIN') { out.push({ type: 'msrp.abortDelivery', leg }); close(); phase = bye(); }
    } else if (was === 'byeSent') {
      if (event.type === 'BYE_COMPLETED') phase = 'ended';
      else if (event.type === 'MEMBER_BYE') { out.push({ type: 'member.answerBye', leg }); phase = 'ended'; }
    }
  }
  return out;
}

type Snapshot = SnapshotFrom<typeof memberLegMachine>;

export const memberLegModel: MachineModel<typeof memberLegMachine> = {
  name: 'memberLeg',
  machine: memberLegMachine,
  inputs: [{ label: 'member Carol', input: legInput }],
  events: (snapshot: Snapshot) => memberLegEvents.filter((e) => snapshot.can(e)),
  abstractContext: (snapshot: Snapshot) => snapshot.context.answer?.setup ?? (snapshot.context.answer ? 'answered' : null),
  check: (events, effects, input) => {
    const wire = effects.filter((e) => !e.type.startsWith('timer.'));
    const expected = expectedLegWireEffects(events, input);
    if (JSON.stringify(wire) !== JSON.stringify(expected)) {
      throw new Error(`member leg sent ${JSON.stringify(wire.map((e) => e.type))}, expected ${JSON.stringify(expected.map((e) => e.type))}`);
    }
  },
};
