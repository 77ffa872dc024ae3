/**
 * Test models of the smaller blocks: the first 200 OK (OK-1 … OK-7), the ACK (ACK-1), the MSRP SEND
 * (SEND-1 with open question 11) and the BYE (BYE-1 … BYE-3), each with the effects the CR and RFCs
 * ask of it, computed from the path's events alone.
 */
import type { EventObject, SnapshotFrom } from 'xstate';
import { ackMachine, type AckInput } from '../../machines/ack.ts';
import { byeMachine, type ByeEvent, type ByeInput } from '../../machines/bye.ts';
import type { CfEffect } from '../../machines/effects.ts';
import { firstOkMachine, type FirstOkEvent, type FirstOkInput } from '../../machines/first-ok.ts';
import { msrpSendMachine, type MsrpSendEvent } from '../../machines/msrp-send.ts';
import { focus, msrpMedia, originatorOffer, policy } from './fixtures.ts';
import { activeAnswer, passiveAnswer } from './member-leg-model.ts';
import type { MachineModel } from './model.ts';

const settledUac = { kind: 'settled', timer: { interval: 1800, refresher: 'uac' }, requireTimer: true } as const;
const settledUas = { kind: 'settled', timer: { interval: 1800, refresher: 'uas' }, requireTimer: false } as const;

export const firstOkModel: MachineModel<typeof firstOkMachine> = {
  name: 'firstOk',
  machine: firstOkMachine,
  inputs: [
    { label: 'no session timer', input: { policy, focus, offer: originatorOffer, sessionTimer: { kind: 'none' } } },
    { label: 'originator refreshes', input: { policy, focus, offer: originatorOffer, sessionTimer: settledUac } },
    { label: 'CF refreshes, passive originator', input: { policy, focus, offer: msrpMedia('msrp://client.example.net:7777/o2;tcp', 'passive'), sessionTimer: settledUas } },
  ],
  events: (snapshot: SnapshotFrom<typeof firstOkMachine>) =>
    snapshot.matches('awaitingFirstAnswer')
      ? [
          { type: 'MEMBER_ANSWERED', leg: 0, answer: passiveAnswer },
          { type: 'MEMBER_ANSWERED', leg: 1, answer: activeAnswer },
        ]
      : [],
  abstractContext: (snapshot) => snapshot.context.response.answer?.path ?? null,
  expectedEffects: (events, input: FirstOkInput) => {
    const answered = events.find((e): e is FirstOkEvent => e.type === 'MEMBER_ANSWERED');
    if (!answered) return [];
    const timer = input.sessionTimer.kind === 'settled' ? input.sessionTimer : null;
    return [{
      type: 'originator.accept',
      response: {
        // OK-2 with open question 4: the member's media, the CF's own path, the CF passive unless the originator is.
        answer: { ...answered.answer, path: [`${focus.authority}/${focus.sessionId}-o;tcp`], setup: input.offer.setup === 'passive' ? 'active' : 'passive' },
        server: policy.server,
        allow: policy.allow,
        contact: { uri: policy.focusUri, isfocus: true },
        sessionTimer: timer?.timer ?? null,
        requireTimer: timer?.requireTimer ?? false,
      },
    }];
  },
};

export const ackModel: MachineModel<typeof ackMachine> = {
  name: 'ack',
  machine: ackMachine,
  inputs: [
    { label: 'originator connects', input: { offer: originatorOffer } },
    { label: 'originator passive', input: { offer: msrpMedia('msrp://client.example.net:7777/o2;tcp', 'passive') } },
  ],
  events: (snapshot) => (snapshot.matches('awaitingAck') ? [{ type: 'ACK' }] : []),
  abstractContext: () => null,
  // ACK-1 with RFC 6135 §4: the CF itself connects to the originator only when the originator is passive.
  expectedEffects: (events, input: AckInput) =>
    events.length > 0 && input.offer.setup === 'passive' ? [{ type: 'originator.connectMsrp' }] : [],
};

export const sendEvents: MsrpSendEvent[] = [
  { type: 'SEND', messageId: 'm1', flag: '+', successReport: true, failureReport: 'yes' },
  { type: 'SEND', messageId: 'm1', flag: '$', successReport: true, failureReport: 'yes' },
  { type: 'SEND', messageId: 'm1', flag: '$', successReport: false, failureReport: 'no' },
  { type: 'SEND', messageId: 'm1', flag: '#', successReport: true, failureReport: 'yes' },
  { type: 'RECIPIENT_JOINED', leg: 0 },
  { type: 'RECIPIENT_JOINED', leg: 1 },
  { type: 'RECIPIENT_DELIVERED', leg: 0, messageId: 'm1' },
  { type: 'RECIPIENT_DELIVERED', leg: 1, messageId: 'm1' },
  { type: 'RECIPIENT_LOST', leg: 1, status: 481 },
];

/** SEND-1 and open question 11 as a loop: relay on every SEND; one REPORT per settled message. */
export function expectedSendEffects(events: EventObject[]): EventObject[] {
  const out: EventObject[] = [];
  const recipients = new Set<number>();
  let message: { id: string; success: boolean; failure: boolean; complete: boolean; delivered: Set<number>; lost: { leg: number; status: number }[] } | null = null;
  const settle = () => {
    if (!message?.complete) return;
    const done = [...recipients].every((leg) => message!.delivered.has(leg) || message!.lost.some((l) => l.leg === leg));
    if (!done) return;
    const ok = message.lost.length === 0 && message.delivered.size > 0;
    const comment = `delivered to ${message.delivered.size} of ${recipients.size} members`;
    if (ok ? message.success : message.failure) {
      out.push({ type: 'originator.report', messageId: message.id, status: ok ? 200 : (message.lost[0]?.status ?? 408), comment } as EventObject);
    }
    message = null;
  };
  for (const event of events as MsrpSendEvent[]) {
    if (event.type === 'SEND') {
      out.push({ type: 'send.relayToEachMember' });
      if (event.flag === '#') message = null;
      else {
        message ??= { id: event.messageId, success: event.successReport, failure: event.failureReport !== 'no', complete: false, delivered: new Set(), lost: [] };
        if (event.flag === '$') message.complete = true;
      }
    } else if (event.type === 'RECIPIENT_JOINED') recipients.add(event.leg);
    else if (event.type === 'RECIPIENT_DELIVERED' && message?.id === event.messageId) message.delivered.add(event.leg);
    else if (event.type === 'RECIPIENT_LOST' && message && !message.delivered.has(event.leg) && !message.lost.some((l) => l.leg === event.leg)) message.lost.push({ leg: event.leg, status: event.status });
    settle();
  }
  return out;
}

export const msrpSendModel: MachineModel<typeof msrpSendMachine> = {
  name: 'msrpSend',
  machine: msrpSendMachine,
  inputs: [{ label: 'no recipient yet', input: { recipients: [] } }],
  events: (snapshot) => sendEvents.filter((e) => snapshot.can(e)),
  abstractContext: (snapshot) => {
    const m = snapshot.context.message;
    return [
      [...snapshot.context.recipients].sort(),
      m && [m.successReport, m.failureReport, m.complete, [...m.delivered].sort(), m.lost.map((l) => l.leg).sort()],
    ];
  },
  check: (events, effects) => {
    const expected = expectedSendEffects(events);
    if (JSON.stringify(effects) !== JSON.stringify(expected)) {
      throw new Error(`SEND block emitted ${JSON.stringify(effects)}, expected ${JSON.stringify(expected)}`);
    }
  },
};

export const byeModel: MachineModel<typeof byeMachine> = {
  name: 'bye',
  machine: byeMachine,
  inputs: [
    { label: "sender's BYE, two legs", input: { cause: { kind: 'originatorBye' }, liveLegs: [0, 1] } },
    { label: 'session expired, one leg', input: { cause: { kind: 'cfEndsDialog', reason: 'session expired' }, liveLegs: [0] } },
    { label: 'no dialog, no leg', input: { cause: { kind: 'noDialog' }, liveLegs: [] } },
  ],
  events: (snapshot): ByeEvent[] => snapshot.context.liveLegs.map((leg) => ({ type: 'LEG_RELEASED', leg })),
  abstractContext: (snapshot) => snapshot.context.liveLegs,
  expectedEffects: (events, input: ByeInput) => {
    const first: CfEffect[] =
      input.cause.kind === 'originatorBye' ? [{ type: 'originator.answerBye' }]
        : input.cause.kind === 'cfEndsDialog' ? [{ type: 'originator.sendBye', reason: input.cause.reason }]
          : [];
    const released = new Set(events.map((e) => (e as ByeEvent).leg));
    const allGone = input.liveLegs.every((leg) => released.has(leg));
    // BYE-2 only where there is a leg to end; BYE-3 once none is left.
    const endLegs = input.liveLegs.length > 0 ? [{ type: 'bye.endEveryMemberLeg' } as never] : [];
    return [...first, ...endLegs, ...(allGone ? [{ type: 'session.release' } as CfEffect] : [])];
  },
};
