/**
 * "Upon receiving a SIP BYE request from the sender CPM User, CPM Controlling Function: 1. SHALL
 * respond to the BYE request …; 2. SHALL send BYE request towards each CPM Pre-defined Group member;
 * and 3. SHALL release the resources, related to the CPM Pre-defined Group." — BYE-1 … BYE-3.
 *
 * Every end of a session runs through this block, not only the sender's BYE: the CF's own BYE
 * (session expiry, missing ACK, the last member leaving) and the end of a session that never had a
 * dialog with the originator (rejected, cancelled, nobody accepted) release the same resources the
 * same way; only the first step differs.
 */
import { assign, emit, setup } from 'xstate';
import { follows, realises, type CfEffect } from './effects.ts';
import type { LegIndex } from './types.ts';

export type EndingCause =
  | { kind: 'originatorBye' }
  | { kind: 'cfEndsDialog'; reason: string }
  | { kind: 'noDialog' };

export type ByeEvent = { type: 'LEG_RELEASED'; leg: LegIndex };

/** What the block asks of the session: end every member leg still alive (BYE-2). */
export type ByeReport = { type: 'bye.endEveryMemberLeg' };

export interface ByeInput {
  cause: EndingCause;
  liveLegs: LegIndex[];
}

export const byeMachine = setup({
  types: {
    context: {} as ByeInput,
    events: {} as ByeEvent,
    input: {} as ByeInput,
    emitted: {} as CfEffect | ByeReport,
  },
  guards: {
    byeCameFromTheOriginator: ({ context }) => context.cause.kind === 'originatorBye',
    originatorHasADialog: ({ context }) => context.cause.kind === 'cfEndsDialog',
    noMemberLegRemains: ({ context }) => context.liveLegs.length === 0,
  },
  actions: {
    answerOriginatorBye: emit({ type: 'originator.answerBye' as const }),
    sendByeToOriginator: emit(({ context }) => ({
      type: 'originator.sendBye' as const,
      reason: context.cause.kind === 'cfEndsDialog' ? context.cause.reason : 'session ended',
    })),
    endEveryMemberLeg: emit({ type: 'bye.endEveryMemberLeg' as const }),
    forgetLeg: assign({ liveLegs: ({ context, event }) => context.liveLegs.filter((leg) => leg !== event.leg) }),
    releaseSessionResources: emit({ type: 'session.release' as const }),
  },
}).createMachine({
  id: 'bye',
  description: 'Upon receiving a SIP BYE request from the sender (CR 9.1.1.x, steps 1-3), and every other end of the session',
  context: ({ input }) => input,
  initial: 'endingOriginatorDialog',
  states: {
    endingOriginatorDialog: {
      description: "How the originator's side ends: its BYE is answered, the CF sends its own, or there is no dialog.",
      always: [
        { guard: 'byeCameFromTheOriginator', target: 'countingMemberLegs', actions: 'answerOriginatorBye', meta: follows('RFC 3261 §15.1.2', 'BYE-1') },
        // RFC 4028 §10 (expiry), RFC 3261 §13.3.1.4 (no ACK), open question 10 (last member left).
        { guard: 'originatorHasADialog', target: 'countingMemberLegs', actions: 'sendByeToOriginator', meta: follows('RFC 3261 §15.1.1') },
        { target: 'countingMemberLegs', meta: follows('RFC 3261 §15') },
      ],
    },
    countingMemberLegs: {
      description: 'A session that never invited anyone, or whose members all left, has no leg to end.',
      meta: realises('BYE-3'),
      always: [
        { guard: 'noMemberLegRemains', target: 'released', meta: realises('BYE-3') },
        { target: 'endingMemberLegs', meta: realises('BYE-2') },
      ],
    },
    endingMemberLegs: {
      description:
        'BYE-2: every member leg ends: BYE when confirmed (after draining its copy), CANCEL when still pending (open question 9).',
      meta: realises('BYE-2'),
      entry: 'endEveryMemberLeg',
      on: { LEG_RELEASED: { actions: 'forgetLeg', meta: realises('BYE-2') } },
      always: { guard: 'noMemberLegRemains', target: 'released', meta: realises('BYE-3') },
    },
    released: {
      description: 'BYE-3: every resource of the group session is released: focus, MSRP listener entries, spool, timers.',
      meta: realises('BYE-3'),
      entry: 'releaseSessionResources',
      type: 'final',
    },
  },
});
