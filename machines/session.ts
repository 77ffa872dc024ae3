/**
 * The per-session actor: one group session of clause 9.1.1.x from the initial INVITE to the last
 * released resource. It composes the blocks: it runs the INVITE block, spawns one member leg per
 * member (INV-10), runs the first-200-OK block on the first acceptance, the ACK block on the
 * originator's ACK, hands every MSRP SEND to the SEND block and every ending (the sender's BYE or
 * any other) to the BYE block, and reaches its final state only when every leg has ended and the
 * BYE block has released the session (BYE-3).
 *
 * The runtime talks to this actor only: it sends the events below and performs the effects that
 * this actor and its children emit (`CfEffect`).
 */
import { assign, emit, enqueueActions, sendParent, sendTo, setup, stopChild, type DoneActorEvent } from 'xstate';
import { ackMachine } from './ack.ts';
import { byeMachine, type EndingCause } from './bye.ts';
import { cancelTimer, follows, realises, startTimer, type CfEffect, type TimerName } from './effects.ts';
import { firstOkMachine } from './first-ok.ts';
import type { GroupMember } from './group.ts';
import { inviteMachine, type InviteEvent, type InviteOutput } from './invite.ts';
import { memberOffer } from './media.ts';
import { memberLegMachine, type LegReport, type MemberLegEvent, type MemberLegOutput } from './member-leg.ts';
import { msrpSendMachine, type MsrpSendEvent, type SendReport } from './msrp-send.ts';
import { expiryMs, refreshDueMs, type SessionTimerDecision } from './session-timer.ts';
import type { CfPolicy, FocusMedia, InviteSummary, LegIndex, MsrpMedia } from './types.ts';

/** Events for one member leg, addressed by its index. */
export type MemberEvent = { type: 'MEMBER'; leg: LegIndex; event: MemberLegEvent };

export type SessionEvent =
  | { type: 'INVITE'; invite: InviteSummary }
  | Exclude<InviteEvent, { type: 'INVITE' }>
  | { type: 'ACK' }
  | { type: 'BYE' }
  /** A re-INVITE or UPDATE of the originator that refreshes the session (RFC 4028 §7). */
  | { type: 'REFRESH' }
  /** The CF's own refresh towards the originator failed (RFC 4028 §10). */
  | { type: 'REFRESH_FAILED' }
  | { type: 'TIMER'; timer: TimerName; leg: LegIndex | null }
  | Extract<MsrpSendEvent, { type: 'SEND' }>
  | { type: 'MEMBER_MESSAGE_DELIVERED'; leg: LegIndex; messageId: string }
  | MemberEvent
  | LegReport
  | SendReport
  | { type: 'bye.endEveryMemberLeg' }
  | DoneActorEvent<unknown, string>;

export interface SessionInput {
  policy: CfPolicy;
  focus: FocusMedia;
}

interface LiveLeg {
  leg: LegIndex;
  accepted: boolean;
}

interface SessionContext extends SessionInput {
  invite: InviteSummary | null;
  members: GroupMember[];
  sessionTimer: SessionTimerDecision;
  legs: LiveLeg[];
}

const legId = (leg: LegIndex) => `leg.${leg}`;

/** Leg timers are named for the leg; the session routes their expiries. */
const legTimerEvents: Partial<Record<TimerName, MemberLegEvent>> = {
  noAnswer: { type: 'TIMER_NO_ANSWER' },
  cancel: { type: 'TIMER_CANCEL' },
  drain: { type: 'TIMER_DRAIN' },
};

function inviteOutput(event: SessionEvent): InviteOutput {
  return (event as DoneActorEvent<InviteOutput>).output;
}

function legOutput(event: SessionEvent): MemberLegOutput {
  return (event as DoneActorEvent<MemberLegOutput>).output;
}

function offerOf(context: SessionContext): MsrpMedia {
  const offer = context.invite?.offer;
  if (!offer) throw new Error('session: media needed before an INVITE with an MSRP offer was accepted');
  return offer;
}

function isLive(context: SessionContext, leg: LegIndex): boolean {
  return context.legs.some((l) => l.leg === leg);
}

/** The blocks as the session runs them: their reports to the session become events to it. */
const composedMemberLeg = memberLegMachine.provide({
  actions: {
    reportAccepted: sendParent(({ context }) => ({ type: 'leg.accepted', leg: context.leg, answer: context.answer })),
  },
});
const composedMsrpSend = msrpSendMachine.provide({
  actions: { relayToEachMember: sendParent({ type: 'send.relayToEachMember' }) },
});
const composedBye = byeMachine.provide({
  actions: { endEveryMemberLeg: sendParent({ type: 'bye.endEveryMemberLeg' }) },
});

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as SessionInput,
    emitted: {} as CfEffect,
  },
  actors: {
    invite: inviteMachine,
    memberLeg: composedMemberLeg,
    firstOk: firstOkMachine,
    ack: ackMachine,
    msrpSend: composedMsrpSend,
    bye: composedBye,
  },
  guards: {
    inviteProceeds: ({ event }) => inviteOutput(event).outcome === 'proceed',
    legIsLive: ({ context, event }) => event.type === 'MEMBER' && isLive(context, event.leg),
    noMemberLegRemains: ({ context }) => context.legs.length === 0,
    isLegTimer: ({ event }) => event.type === 'TIMER' && event.leg !== null && legTimerEvents[event.timer] !== undefined,
    isAckTimer: ({ event }) => event.type === 'TIMER' && event.timer === 'ack',
    isSessionExpiry: ({ event }) => event.type === 'TIMER' && event.timer === 'sessionExpiry',
    isSessionRefreshDue: ({ event }) => event.type === 'TIMER' && event.timer === 'sessionRefresh',
  },
  actions: {
    runInviteBlock: enqueueActions(({ enqueue, event }) => {
      enqueue.spawnChild('invite', { id: 'invite', input: ({ context }) => ({ policy: context.policy }) });
      enqueue.sendTo('invite', event);
    }),
    handToInviteBlock: sendTo('invite', ({ event }) => event as InviteEvent),
    // A block leaves the session's children with the state that runs it: the INVITE and first-200-OK
    // blocks have finished by then, and an ACK block still waiting (BYE before ACK) waits for nothing
    // more. Nothing reads a block later; an established session would keep the three (~7 KB) for life.
    stopInviteBlock: stopChild('invite'),
    stopFirstOkBlock: stopChild('firstOk'),
    stopAckBlock: stopChild('ack'),
    recordInviteOutcome: assign(({ event }) => {
      const output = inviteOutput(event);
      return output.outcome === 'proceed'
        ? { invite: output.invite, members: output.members, sessionTimer: output.sessionTimer }
        : {};
    }),
    inviteEachMember: enqueueActions(({ context, enqueue }) => {
      const invite = context.invite;
      if (invite === null) return;
      const legs = context.members.map((member, leg) => {
        enqueue.spawnChild('memberLeg', {
          id: legId(leg),
          input: {
            leg,
            member,
            // Open question 13 / RFC 3323 §4.2: an allowed anonymous originator is not revealed.
            originator: invite.anonymityRequested ? null : invite.authenticatedOriginator,
            groupUri: invite.groupUri,
            offer: memberOffer(offerOf(context), context.focus, leg),
            timers: context.policy.timers,
          },
        });
        return { leg, accepted: false };
      });
      enqueue.assign({ legs });
      enqueue.spawnChild('msrpSend', { id: 'msrpSend', input: { recipients: [] } });
    }),
    forwardToLeg: sendTo(
      ({ event }) => legId((event as MemberEvent).leg),
      ({ event }) => (event as MemberEvent).event,
    ),
    routeLegTimer: enqueueActions(({ context, enqueue, event }) => {
      if (event.type !== 'TIMER' || event.leg === null || !isLive(context, event.leg)) return;
      const legEvent = legTimerEvents[event.timer];
      if (legEvent) enqueue.sendTo(legId(event.leg), legEvent);
    }),
    markLegAccepted: assign({
      legs: ({ context, event }) =>
        context.legs.map((l) => (event.type === 'leg.accepted' && l.leg === event.leg ? { ...l, accepted: true } : l)),
    }),
    tellSendBlockOfRecipient: sendTo('msrpSend', ({ event }) => ({
      type: 'RECIPIENT_JOINED' as const,
      leg: (event as LegReport).leg,
    })),
    /** A leg ended: forget it; a recipient that ends before it has the message has lost it (481). */
    forgetEndedLeg: enqueueActions(({ context, enqueue, event }) => {
      const output = legOutput(event);
      enqueue.assign({ legs: context.legs.filter((l) => l.leg !== output.leg) });
      if (output.wasAccepted) enqueue.sendTo('msrpSend', { type: 'RECIPIENT_LOST', leg: output.leg, status: 481 });
    }),
    runFirstOkBlock: enqueueActions(({ context, enqueue, event }) => {
      if (event.type !== 'leg.accepted') return;
      enqueue.spawnChild('firstOk', {
        id: 'firstOk',
        input: { policy: context.policy, focus: context.focus, offer: offerOf(context), sessionTimer: context.sessionTimer },
      });
      enqueue.sendTo('firstOk', { type: 'MEMBER_ANSWERED', leg: event.leg, answer: event.answer });
    }),
    runAckBlock: enqueueActions(({ context, enqueue }) => {
      enqueue.spawnChild('ack', { id: 'ack', input: { offer: offerOf(context) } });
    }),
    handToAckBlock: sendTo('ack', { type: 'ACK' }),
    startAckTimer: emit(({ context }) => startTimer('ack', null, context.policy.timers.ackMs)),
    cancelAckTimer: emit(() => cancelTimer('ack', null)),
    connectMediaOfAcceptedLegs: enqueueActions(({ context, enqueue }) => {
      for (const l of context.legs) if (l.accepted) enqueue.sendTo(legId(l.leg), { type: 'CONNECT_MEDIA' });
    }),
    connectMediaOfLateJoiner: sendTo(
      ({ event }) => legId((event as LegReport).leg),
      { type: 'CONNECT_MEDIA' },
    ),
    handToSendBlock: sendTo('msrpSend', ({ event }) => event as MsrpSendEvent),
    handDeliveryToSendBlock: sendTo('msrpSend', ({ event }) => {
      const delivered = event as Extract<SessionEvent, { type: 'MEMBER_MESSAGE_DELIVERED' }>;
      return { type: 'RECIPIENT_DELIVERED' as const, leg: delivered.leg, messageId: delivered.messageId };
    }),
    tellAcceptedLegsDataIsAvailable: enqueueActions(({ context, enqueue }) => {
      for (const l of context.legs) if (l.accepted) enqueue.sendTo(legId(l.leg), { type: 'DATA_AVAILABLE' });
    }),
    endEveryMemberLeg: enqueueActions(({ context, enqueue }) => {
      for (const l of context.legs) enqueue.sendTo(legId(l.leg), { type: 'END_LEG' });
    }),
    tellByeBlockLegReleased: sendTo('bye', ({ event }) => ({ type: 'LEG_RELEASED' as const, leg: legOutput(event).leg })),
    startSessionTimer: enqueueActions(({ context, enqueue }) => {
      if (context.sessionTimer.kind !== 'settled') return;
      const timer = context.sessionTimer.timer;
      // RFC 4028 §10: the refresher refreshes at half the interval; the other side only watches expiry.
      if (timer.refresher === 'uas') enqueue.emit(startTimer('sessionRefresh', null, refreshDueMs(timer)));
      enqueue.emit(startTimer('sessionExpiry', null, expiryMs(timer)));
    }),
    cancelSessionTimers: enqueueActions(({ context, enqueue }) => {
      if (context.sessionTimer.kind !== 'settled') return;
      if (context.sessionTimer.timer.refresher === 'uas') enqueue.emit(cancelTimer('sessionRefresh', null));
      enqueue.emit(cancelTimer('sessionExpiry', null));
    }),
    answerRefresh: emit(({ context }) => ({
      type: 'originator.answerRefresh' as const,
      sessionTimer: context.sessionTimer.kind === 'settled' ? context.sessionTimer.timer : null,
    })),
    sendRefreshToOriginator: emit({ type: 'originator.sendRefresh' as const }),
    respondNoMemberAccepted: emit({
      type: 'originator.reject' as const,
      rejection: { status: 480, reason: 'Temporarily Unavailable', warning: 'No member accepted' },
      requirement: 'INV-10' as const,
    }),
    respondShuttingDown: emit({
      type: 'originator.reject' as const,
      rejection: { status: 503, reason: 'Service Unavailable', warning: 'CF shutting down' },
      requirement: null,
    }),
    respondRequestTerminated: emit({
      type: 'originator.reject' as const,
      rejection: { status: 487, reason: 'Request Terminated' },
      requirement: null,
    }),
    runByeBlock: enqueueActions(({ context, enqueue }, params: { cause: EndingCause }) => {
      enqueue.spawnChild('bye', { id: 'bye', input: { cause: params.cause, liveLegs: context.legs.map((l) => l.leg) } });
    }),
  },
}).createMachine({
  id: 'session',
  description: 'One Large Message Mode session to a CPM Pre-defined Group, from the initial INVITE to the last released resource',
  context: ({ input }) => ({ ...input, invite: null, members: [], sessionTimer: { kind: 'none' }, legs: [] }),
  initial: 'awaitingInvite',
  on: {
    MEMBER: { guard: 'legIsLive', actions: 'forwardToLeg', meta: realises('INV-8') },
    // A member accepting after the first (open question 6): a recipient, connected once the originator has ACKed.
    'leg.accepted': { actions: ['markLegAccepted', 'tellSendBlockOfRecipient'], meta: follows('RFC 3261 §13.2.2.4', 'SEND-1') },
    TIMER: { guard: 'isLegTimer', actions: 'routeLegTimer' },
    'xstate.done.actor.leg.*': { actions: 'forgetEndedLeg', meta: realises('BYE-3') },
    MEMBER_MESSAGE_DELIVERED: { actions: 'handDeliveryToSendBlock', meta: follows('RFC 4975 §7.1.2', 'SEND-1') },
  },
  states: {
    awaitingInvite: {
      description: 'The runtime created the session for an initial INVITE addressed to a group.',
      on: { INVITE: { target: 'handlingInvite', actions: 'runInviteBlock', meta: realises('INV-1') } },
    },
    handlingInvite: {
      description: 'The INVITE block checks the request (INV-1 … INV-9).',
      meta: realises('INV-1', 'INV-2', 'INV-4', 'INV-5', 'INV-6', 'INV-7', 'INV-8', 'INV-9'),
      exit: 'stopInviteBlock',
      on: {
        GROUP_DOCUMENT_FOUND: { actions: 'handToInviteBlock', meta: realises('INV-9') },
        GROUP_DOCUMENT_NOT_FOUND: { actions: 'handToInviteBlock', meta: realises('INV-1') },
        GROUP_DOCUMENT_UNAVAILABLE: { actions: 'handToInviteBlock', meta: realises('INV-9') },
        CANCEL: { actions: 'handToInviteBlock', meta: follows('RFC 3261 §9.2') },
        SHUTDOWN: { actions: 'handToInviteBlock', meta: follows('RFC 3261 §21.5.4') },
        'xstate.done.actor.invite': [
          {
            guard: 'inviteProceeds',
            target: 'invitingMembers',
            actions: ['recordInviteOutcome', 'inviteEachMember'],
            meta: realises('INV-10'),
          },
          { target: 'ending', actions: { type: 'runByeBlock', params: { cause: { kind: 'noDialog' } } }, meta: realises('BYE-3') },
        ],
      },
    },
    invitingMembers: {
      description: 'INV-10: an INVITE is out towards each member; the first 200 OK answers the originator.',
      meta: realises('INV-10'),
      on: {
        'leg.accepted': {
          target: 'answering',
          actions: ['markLegAccepted', 'tellSendBlockOfRecipient', 'runFirstOkBlock'],
          meta: realises('OK-1'),
        },
        // Open question 8: CANCEL before any member accepted: 487, and every pending INVITE cancelled.
        CANCEL: {
          target: 'ending',
          actions: ['respondRequestTerminated', { type: 'runByeBlock', params: { cause: { kind: 'noDialog' } } }],
          meta: follows('RFC 3261 §9.2', 'BYE-2'),
        },
        // The CF stops before anyone accepted: 503, and every pending INVITE cancelled.
        SHUTDOWN: {
          target: 'ending',
          actions: ['respondShuttingDown', { type: 'runByeBlock', params: { cause: { kind: 'noDialog' } } }],
          meta: follows('RFC 3261 §21.5.4', 'BYE-2'),
        },
      },
      // Open question 7: nobody accepted (all failed, timed out, or declined): 480.
      always: {
        guard: 'noMemberLegRemains',
        target: 'ending',
        actions: ['respondNoMemberAccepted', { type: 'runByeBlock', params: { cause: { kind: 'noDialog' } } }],
        meta: follows('RFC 3261 §21.4.18', 'INV-10'),
      },
    },
    answering: {
      description: 'OK-1 … OK-7: the first-200-OK block composes and sends the 200 OK.',
      meta: realises('OK-1', 'OK-2', 'OK-3', 'OK-4', 'OK-5', 'OK-6', 'OK-7'),
      exit: 'stopFirstOkBlock',
      on: { 'xstate.done.actor.firstOk': { target: 'dialog', meta: realises('OK-7') } },
    },
    dialog: {
      description: "The originator's dialog exists (200 OK sent): session timer per INV-6 (RFC 4028 §10).",
      meta: follows('RFC 4028 §10', 'INV-6', 'INV-8'),
      entry: 'startSessionTimer',
      exit: 'cancelSessionTimers',
      initial: 'awaitingAck',
      states: {
        awaitingAck: {
          description: "The ACK block waits for the originator's ACK (ACK-1); the 200 OK is retransmitted meanwhile, for 64*T1 at most (RFC 3261 §13.3.1.4).",
          meta: realises('ACK-1', 'OK-7'),
          entry: ['runAckBlock', 'startAckTimer'],
          exit: ['cancelAckTimer', 'stopAckBlock'],
          on: {
            ACK: { actions: 'handToAckBlock', meta: realises('ACK-1') },
            // RFC 3261 §13.3.1.4: "If the server retransmits the 2xx response for 64*T1 seconds
            // without receiving an ACK, the dialog is confirmed, but the session SHOULD be terminated."
            TIMER: {
              guard: 'isAckTimer',
              target: '#session.ending',
              actions: { type: 'runByeBlock', params: { cause: { kind: 'cfEndsDialog', reason: 'no ACK' } } },
              meta: follows('RFC 3261 §13.3.1.4'),
            },
            'xstate.done.actor.ack': { target: 'established', actions: 'connectMediaOfAcceptedLegs', meta: realises('ACK-1') },
          },
        },
        established: {
          description: 'SEND-1: every SEND of the originator is relayed towards each member; late joiners get the whole message (open question 6).',
          meta: realises('ACK-1', 'SEND-1'),
          on: {
            'leg.accepted': {
              actions: ['markLegAccepted', 'tellSendBlockOfRecipient', 'connectMediaOfLateJoiner'],
              meta: follows('RFC 4975 §8.1', 'ACK-1', 'SEND-1'),
            },
          },
        },
      },
      on: {
        // The originator's MSRP connection and its ACK travel apart: a SEND may overtake the ACK.
        SEND: { actions: 'handToSendBlock', meta: realises('SEND-1') },
        'send.relayToEachMember': { actions: 'tellAcceptedLegsDataIsAvailable', meta: realises('SEND-1') },
        BYE: {
          target: 'ending',
          actions: { type: 'runByeBlock', params: { cause: { kind: 'originatorBye' } } },
          meta: realises('BYE-1'),
        },
        REFRESH: { actions: ['answerRefresh', 'startSessionTimer'], meta: follows('RFC 4028 §9', 'INV-6') },
        TIMER: [
          {
            guard: 'isSessionExpiry',
            target: 'ending',
            actions: { type: 'runByeBlock', params: { cause: { kind: 'cfEndsDialog', reason: 'session expired' } } },
            meta: follows('RFC 4028 §10', 'INV-6'),
          },
          {
            guard: 'isSessionRefreshDue',
            actions: ['sendRefreshToOriginator', 'startSessionTimer'],
            meta: follows('RFC 4028 §10', 'INV-6'),
          },
        ],
        SHUTDOWN: {
          target: 'ending',
          actions: { type: 'runByeBlock', params: { cause: { kind: 'cfEndsDialog', reason: 'CF shutting down' } } },
          meta: follows('RFC 3261 §15', 'BYE-2'),
        },
        REFRESH_FAILED: {
          target: 'ending',
          actions: { type: 'runByeBlock', params: { cause: { kind: 'cfEndsDialog', reason: 'session refresh failed' } } },
          meta: follows('RFC 4028 §10'),
        },
      },
      // Open question 10: when the last member has left there is nobody to deliver to.
      always: {
        guard: 'noMemberLegRemains',
        target: 'ending',
        actions: { type: 'runByeBlock', params: { cause: { kind: 'cfEndsDialog', reason: 'last member left' } } },
        meta: follows('RFC 4353 §6.3', 'BYE-3'),
      },
    },
    ending: {
      description: 'BYE-1 … BYE-3: the BYE block ends the originator side, every member leg, and releases the session.',
      meta: realises('BYE-1', 'BYE-2', 'BYE-3'),
      on: {
        'bye.endEveryMemberLeg': { actions: 'endEveryMemberLeg', meta: realises('BYE-2') },
        'xstate.done.actor.leg.*': { actions: ['forgetEndedLeg', 'tellByeBlockLegReleased'], meta: realises('BYE-2', 'BYE-3') },
        'xstate.done.actor.bye': { target: 'released', meta: realises('BYE-3') },
      },
    },
    released: {
      description: 'BYE-3: nothing of the session remains.',
      meta: realises('BYE-3'),
      type: 'final',
    },
  },
});
