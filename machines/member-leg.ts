/**
 * One member's side of the B2BUA (INV-8): the CF as UAC towards one member, from its INVITE
 * (INV-10, TS clause 9.1.2.X as docs/spec-findings.md reads it) through MSRP delivery (ACK-1,
 * SEND-1) to its BYE (BYE-2). Reports to the session are emitted as `leg.*` events here; the session
 * wires them to itself (see `session.ts`), so this machine stays testable on its own.
 */
import { assign, emit, setup } from 'xstate';
import { cancelTimer, follows, realises, startTimer, type CfEffect } from './effects.ts';
import type { GroupMember } from './group.ts';
import { answerIsUsable, memberConnects } from './media.ts';
import type { LegIndex, MsrpMedia } from './types.ts';

export type MemberLegEvent =
  | { type: 'MEMBER_PROVISIONAL' }
  | { type: 'MEMBER_ACCEPTED'; answer: MsrpMedia | null }
  | { type: 'MEMBER_REJECTED'; status: number }
  | { type: 'MEMBER_UNREACHABLE' }
  | { type: 'MEMBER_BYE' }
  | { type: 'BYE_COMPLETED' }
  | { type: 'CONNECT_MEDIA' }
  | { type: 'MSRP_CONNECTED' }
  | { type: 'MSRP_FAILED' }
  | { type: 'DATA_AVAILABLE' }
  | { type: 'CAUGHT_UP' }
  | { type: 'END_LEG' }
  | { type: 'TIMER_NO_ANSWER' }
  | { type: 'TIMER_CANCEL' }
  | { type: 'TIMER_DRAIN' };

export interface MemberLegInput {
  leg: LegIndex;
  member: GroupMember;
  /** Open question 13: null when the originator's anonymity was allowed. */
  originator: string | null;
  groupUri: string;
  offer: MsrpMedia;
  timers: { noAnswerMs: number; cancelMs: number; drainMs: number };
}

interface MemberLegContext extends MemberLegInput {
  answer: MsrpMedia | null;
  /** The final status of a failed INVITE, for the session's choice of answer (open question 7). */
  failureStatus: number | null;
  outcome: LegOutcome | null;
}

export type LegOutcome = 'failed' | 'cancelled' | 'terminated';

export interface MemberLegOutput {
  leg: LegIndex;
  outcome: LegOutcome;
  /** The leg's dialog was confirmed at some point (the member accepted). */
  wasAccepted: boolean;
  failureStatus: number | null;
}

/** What a leg tells its session while it lives; its end reaches the session as the actor's output. */
export type LegReport = { type: 'leg.accepted'; leg: LegIndex; answer: MsrpMedia };

function answerOf(context: MemberLegContext): MsrpMedia {
  if (context.answer === null) throw new Error('member leg: media step reached without an answer');
  return context.answer;
}

export const memberLegMachine = setup({
  types: {
    context: {} as MemberLegContext,
    events: {} as MemberLegEvent,
    input: {} as MemberLegInput,
    output: {} as MemberLegOutput,
    emitted: {} as CfEffect | LegReport,
  },
  guards: {
    answerIsUsable: ({ event }) => event.type === 'MEMBER_ACCEPTED' && answerIsUsable(event.answer),
    memberConnectsToTheCf: ({ context }) => memberConnects(answerOf(context)),
  },
  actions: {
    sendInviteToMember: emit(({ context }) => ({
      type: 'member.invite' as const,
      leg: context.leg,
      member: context.member,
      originator: context.originator,
      groupUri: context.groupUri,
      offer: context.offer,
    })),
    startNoAnswerTimer: emit(({ context }) => startTimer('noAnswer', context.leg, context.timers.noAnswerMs)),
    cancelNoAnswerTimer: emit(({ context }) => cancelTimer('noAnswer', context.leg)),
    startCancelTimer: emit(({ context }) => startTimer('cancel', context.leg, context.timers.cancelMs)),
    cancelCancelTimer: emit(({ context }) => cancelTimer('cancel', context.leg)),
    startDrainTimer: emit(({ context }) => startTimer('drain', context.leg, context.timers.drainMs)),
    cancelDrainTimer: emit(({ context }) => cancelTimer('drain', context.leg)),
    recordAnswer: assign({ answer: ({ event }) => (event.type === 'MEMBER_ACCEPTED' ? event.answer : null) }),
    recordFailureStatus: assign({
      failureStatus: ({ event }) => (event.type === 'MEMBER_REJECTED' ? event.status : 408),
    }),
    sendAckToMember: emit(({ context }) => ({ type: 'member.ack' as const, leg: context.leg })),
    sendCancelToMember: emit(({ context }) => ({ type: 'member.cancel' as const, leg: context.leg })),
    sendByeToMember: emit(({ context }) => ({ type: 'member.bye' as const, leg: context.leg })),
    answerMemberBye: emit(({ context }) => ({ type: 'member.answerBye' as const, leg: context.leg })),
    reportAccepted: emit(({ context }) => ({ type: 'leg.accepted' as const, leg: context.leg, answer: answerOf(context) })),
    connectMsrpToMember: emit(({ context }) => ({
      type: 'msrp.connectMember' as const, leg: context.leg, answer: answerOf(context),
    })),
    awaitMsrpFromMember: emit(({ context }) => ({
      type: 'msrp.awaitMember' as const, leg: context.leg, answer: answerOf(context),
    })),
    relaySendToMember: emit(({ context }) => ({ type: 'msrp.relayToMember' as const, leg: context.leg })),
    abortDeliveryToMember: emit(({ context }) => ({ type: 'msrp.abortDelivery' as const, leg: context.leg })),
    releaseMemberMedia: emit(({ context }) => ({ type: 'msrp.closeMember' as const, leg: context.leg })),
    concludeFailed: assign({ outcome: 'failed' as const }),
    concludeCancelled: assign({ outcome: 'cancelled' as const }),
    concludeTerminated: assign({ outcome: 'terminated' as const }),
  },
}).createMachine({
  id: 'memberLeg',
  description: "One member's leg of the B2BUA: the CF as UAC (TS 9.1.2.X)",
  context: ({ input }) => ({ ...input, answer: null, failureStatus: null, outcome: null }),
  initial: 'pending',
  states: {
    pending: {
      description: 'The INVITE towards the member awaits its final answer; a member that only rings is given up after the no-answer timer.',
      meta: realises('INV-10'),
      entry: 'startNoAnswerTimer',
      exit: 'cancelNoAnswerTimer',
      initial: 'inviting',
      states: {
        inviting: {
          description: 'INV-10: INVITE sent towards the member (Request-URI and To the member, From the originator or anonymous).',
          meta: realises('INV-10'),
          entry: 'sendInviteToMember',
          on: { MEMBER_PROVISIONAL: { target: 'provisional', meta: follows('RFC 3261 §13.2.2.1') } },
        },
        provisional: {
          description: 'A 1xx arrived; the INVITE still awaits its final answer.',
          meta: follows('RFC 3261 §13.2.2.1'),
        },
      },
      on: {
        MEMBER_ACCEPTED: [
          {
            guard: 'answerIsUsable',
            target: 'established',
            actions: ['recordAnswer', 'sendAckToMember', 'reportAccepted'],
            meta: follows('RFC 3261 §13.2.2.4', 'INV-8'),
          },
          // RFC 3261 §13.2.2.4: every 2xx is ACKed; an answer without MSRP media cannot take the
          // message (RFC 3264 §6), so the dialog is ended at once.
          { target: 'byeSent', actions: 'sendAckToMember', meta: follows('RFC 3261 §13.2.2.4') },
        ],
        MEMBER_REJECTED: { target: 'failed', actions: 'recordFailureStatus', meta: follows('RFC 3261 §13.2.2.3') },
        // RFC 3261 §8.1.3.1: a transaction timeout counts as 408, a transport error as 503.
        MEMBER_UNREACHABLE: { target: 'failed', actions: 'recordFailureStatus', meta: follows('RFC 3261 §8.1.3.1') },
        TIMER_NO_ANSWER: { target: 'cancelling', meta: follows('RFC 3261 §9.1') },
        END_LEG: { target: 'cancelling', meta: follows('RFC 3261 §9.1', 'BYE-2') },
      },
    },
    cancelling: {
      description: 'BYE-2 / open questions 8 and 9: a pending INVITE is ended with CANCEL, not BYE (RFC 3261 §9.1, §15).',
      meta: follows('RFC 3261 §9.1', 'BYE-2'),
      entry: ['sendCancelToMember', 'startCancelTimer'],
      exit: 'cancelCancelTimer',
      on: {
        MEMBER_REJECTED: { target: 'cancelled', meta: follows('RFC 3261 §9.1') },
        MEMBER_UNREACHABLE: { target: 'cancelled', meta: follows('RFC 3261 §9.1') },
        // RFC 3261 §9.1 / §15: a 200 OK may cross the CANCEL; the UAC ACKs it and sends BYE.
        MEMBER_ACCEPTED: { target: 'byeSent', actions: 'sendAckToMember', meta: follows('RFC 3261 §15', 'BYE-2') },
        // RFC 3261 §9.1: without a final answer 64*T1 after the CANCEL, the transaction is given up.
        TIMER_CANCEL: { target: 'cancelled', meta: follows('RFC 3261 §9.1') },
      },
    },
    established: {
      description: "The member's dialog is confirmed (the CF ACKed its 200 OK); MSRP follows the originator's ACK.",
      meta: realises('INV-8'),
      exit: 'releaseMemberMedia',
      initial: 'active',
      states: {
        active: {
          description: "The member takes part: the end of the session ends its leg at once, unless its copy is still in flight.",
          meta: realises('INV-8'),
          initial: 'accepted',
          states: {
            accepted: {
              description: "The member accepted; its MSRP connection waits for the originator's ACK (ACK-1, open question 5).",
              meta: realises('INV-8'),
              on: {
                CONNECT_MEDIA: [
                  {
                    guard: 'memberConnectsToTheCf',
                    target: 'msrpConnecting',
                    actions: 'awaitMsrpFromMember',
                    meta: follows('RFC 6135 §4', 'ACK-1'),
                  },
                  { target: 'msrpConnecting', actions: 'connectMsrpToMember', meta: follows('RFC 4975 §8.1', 'ACK-1') },
                ],
              },
            },
            msrpConnecting: {
              description: "ACK-1: the TCP connection towards the member per its answer SDP (the CF, as offerer, is active unless the member answered a=setup:active).",
              meta: realises('ACK-1'),
              on: {
                // Open question 6: a member connecting after SENDs were spooled starts from the first byte.
                MSRP_CONNECTED: { target: 'delivering', meta: realises('ACK-1', 'SEND-1') },
                // Open question 9: a member still connecting when the sender leaves is owed its copy too.
                END_LEG: { target: '#memberLeg.established.draining', meta: follows('RFC 4975 §7.1.1', 'BYE-2') },
              },
            },
            connected: {
              description: 'MSRP connected and caught up: the member has every byte spooled so far.',
              meta: realises('ACK-1', 'SEND-1'),
              on: { DATA_AVAILABLE: { target: 'delivering', meta: realises('SEND-1') } },
            },
            delivering: {
              description: "SEND-1: the originator's SENDs are relayed to the member at its own pace from the session's spool.",
              meta: realises('SEND-1'),
              entry: 'relaySendToMember',
              on: {
                CAUGHT_UP: { target: 'connected', meta: realises('SEND-1') },
                END_LEG: { target: '#memberLeg.established.draining', meta: follows('RFC 4975 §7.1.1', 'BYE-2') },
              },
            },
          },
          on: { END_LEG: { target: '#memberLeg.byeSent', meta: realises('BYE-2') } },
        },
        draining: {
          description: "Open question 9: after the sender's BYE, the member finishes its copy (bounded by the drain timer) before its BYE.",
          meta: realises('BYE-2', 'SEND-1'),
          entry: 'startDrainTimer',
          exit: 'cancelDrainTimer',
          on: {
            // The connection came up after the sender's BYE: the copy starts, still under the drain timer.
            MSRP_CONNECTED: { actions: 'relaySendToMember', meta: realises('ACK-1', 'SEND-1') },
            CAUGHT_UP: { target: '#memberLeg.byeSent', meta: realises('BYE-2') },
            TIMER_DRAIN: { target: 'abortingDelivery', meta: realises('BYE-2') },
          },
        },
        abortingDelivery: {
          description: "Open question 9: the drain timer expired; the chunk in flight is ended with '#' (RFC 4975 §7.1) before the connection closes.",
          meta: follows('RFC 4975 §7.1', 'BYE-2'),
          entry: 'abortDeliveryToMember',
          always: { target: '#memberLeg.byeSent', meta: realises('BYE-2') },
        },
      },
      on: {
        MSRP_FAILED: { target: 'byeSent', meta: follows('RFC 4975 §7.1.1') },
        // Open question 10: the member leaves; the CF answers its BYE (RFC 3261 §15.1.2).
        MEMBER_BYE: { target: 'terminated', actions: 'answerMemberBye', meta: follows('RFC 3261 §15.1.2') },
      },
    },
    byeSent: {
      description: 'BYE-2: BYE towards the member; the leg ends with its final response or its transaction timeout (RFC 3261 §15.1.1).',
      meta: realises('BYE-2'),
      entry: 'sendByeToMember',
      on: {
        BYE_COMPLETED: { target: 'terminated', meta: follows('RFC 3261 §15.1.1', 'BYE-2') },
        // RFC 3261 §15.1.2: a BYE crossing ours is answered all the same.
        MEMBER_BYE: { target: 'terminated', actions: 'answerMemberBye', meta: follows('RFC 3261 §15.1.2') },
      },
    },
    failed: {
      description: 'The member rejected the INVITE, or could not be reached.',
      meta: follows('RFC 3261 §13.2.2.3'),
      entry: 'concludeFailed',
      type: 'final',
    },
    cancelled: {
      description: 'The pending INVITE was cancelled.',
      meta: follows('RFC 3261 §9.1', 'BYE-2'),
      entry: 'concludeCancelled',
      type: 'final',
    },
    terminated: {
      description: "The member's dialog is over and its resources released (BYE-3).",
      meta: realises('BYE-3'),
      entry: 'concludeTerminated',
      type: 'final',
    },
  },
  output: ({ context }): MemberLegOutput => ({
    leg: context.leg,
    outcome: context.outcome ?? 'terminated',
    wasAccepted: context.answer !== null,
    failureStatus: context.failureStatus,
  }),
});
