/**
 * "Upon receiving the first SIP 200 OK response, CPM Controlling Function: …" — OK-1 … OK-7. The
 * response is composed step by step in context, one state per step of the CR, and sent whole by
 * the last step. Only the first acceptance reaches this block; later ones join the running session.
 */
import { assign, emit, setup } from 'xstate';
import { follows, realises, type CfEffect, type FocusAnswer } from './effects.ts';
import { anchoredAnswer } from './media.ts';
import type { SessionTimerDecision } from './session-timer.ts';
import type { CfPolicy, FocusMedia, LegIndex, MsrpMedia } from './types.ts';

export type FirstOkEvent = { type: 'MEMBER_ANSWERED'; leg: LegIndex; answer: MsrpMedia };

export interface FirstOkInput {
  policy: CfPolicy;
  focus: FocusMedia;
  /** The originator's MSRP offer. */
  offer: MsrpMedia;
  sessionTimer: SessionTimerDecision;
}

interface FirstOkContext extends FirstOkInput {
  response: Partial<FocusAnswer>;
}

export interface FirstOkOutput {
  response: FocusAnswer;
}

function completed(response: Partial<FocusAnswer>): FocusAnswer {
  const { answer, server, allow, contact, sessionTimer, requireTimer } = response;
  if (!answer || server === undefined || !allow || !contact || sessionTimer === undefined || requireTimer === undefined) {
    throw new Error('firstOk: the 200 OK was sent before every step of OK-1 … OK-6 contributed to it');
  }
  return { answer, server, allow, contact, sessionTimer, requireTimer };
}

export const firstOkMachine = setup({
  types: {
    context: {} as FirstOkContext,
    events: {} as FirstOkEvent,
    input: {} as FirstOkInput,
    output: {} as FirstOkOutput,
    emitted: {} as CfEffect,
  },
  actions: {
    generateOkResponse: assign({
      response: ({ context }) => ({
        sessionTimer: context.sessionTimer.kind === 'settled' ? context.sessionTimer.timer : null,
        requireTimer: context.sessionTimer.kind === 'settled' && context.sessionTimer.requireTimer,
      }),
    }),
    includeAnchoredAnswerSdp: assign({
      response: ({ context, event }) => ({
        ...context.response,
        answer: anchoredAnswer(event.answer, context.offer, context.focus),
      }),
    }),
    includeServerVersion: assign({ response: ({ context }) => ({ ...context.response, server: context.policy.server }) }),
    includeAllow: assign({ response: ({ context }) => ({ ...context.response, allow: context.policy.allow }) }),
    includeOwnContact: assign({
      response: ({ context }) => ({ ...context.response, contact: { uri: context.policy.focusUri, isfocus: false } }),
    }),
    includeIsfocus: assign({
      response: ({ context }) => ({
        ...context.response,
        contact: { uri: context.response.contact?.uri ?? context.policy.focusUri, isfocus: true },
      }),
    }),
    sendOkTowardsOriginator: emit(({ context }) => ({
      type: 'originator.accept' as const,
      response: completed(context.response),
    })),
  },
}).createMachine({
  id: 'firstOk',
  description: 'Upon receiving the first SIP 200 OK response (CR 9.1.1.x, steps 1-7)',
  context: ({ input }) => ({ ...input, response: {} }),
  initial: 'awaitingFirstAnswer',
  states: {
    awaitingFirstAnswer: {
      description: "The session hands over the first member's 200 OK with its SDP answer.",
      on: {
        MEMBER_ANSWERED: {
          target: 'includingAnswer',
          actions: ['generateOkResponse', 'includeAnchoredAnswerSdp'],
          meta: realises('OK-1', 'OK-2'),
        },
      },
    },
    includingAnswer: {
      description:
        "OK-1 and OK-2: a 200 OK (RFC 3261 §13.3.1.4) whose SDP is the member's answer anchored at the CF (its own a=path, open question 4), with the Session-Expires settled by INV-6.",
      meta: realises('OK-1', 'OK-2'),
      always: { target: 'identifyingServer', actions: ['includeServerVersion', 'includeAllow'], meta: realises('OK-3', 'OK-4') },
    },
    identifyingServer: {
      description: 'OK-3 and OK-4: Server carries the CPM release version (open question 15); Allow lists every method the CF supports.',
      meta: realises('OK-3', 'OK-4'),
      always: { target: 'identifyingFocus', actions: ['includeOwnContact', 'includeIsfocus'], meta: realises('OK-5', 'OK-6') },
    },
    identifyingFocus: {
      description: "OK-5 and OK-6: Contact is the CF's own URI with the isfocus feature parameter (RFC 3840 §9, RFC 4353 §6.3).",
      meta: realises('OK-5', 'OK-6'),
      always: { target: 'sent', meta: follows('RFC 3261 §13.3.1.4', 'OK-7') },
    },
    sent: {
      description: 'OK-7: the 200 OK goes out through the SIP/IP Core, retransmitted until the ACK (RFC 3261 §13.3.1.4).',
      meta: realises('OK-7'),
      entry: 'sendOkTowardsOriginator',
      type: 'final',
    },
  },
  output: ({ context }) => ({ response: completed(context.response) }),
});
