/**
 * "Upon receiving a SIP ACK acknowledgement, CPM Controlling Function: 1. SHALL establish TCP
 * connection with the corresponding node according to the information received in the answerer
 * SDP." — ACK-1, read with open question 5: the ACK is the originator's ACK of the CF's 200 OK; on it
 * the CF opens MSRP towards each accepted member (the session tells the legs), and towards the
 * originator only in the rare case its offer asked to be passive (RFC 6135 §4).
 */
import { emit, setup } from 'xstate';
import { follows, realises, type CfEffect } from './effects.ts';
import { answerSetup } from './media.ts';
import type { MsrpMedia } from './types.ts';

export type AckEvent = { type: 'ACK' };

export interface AckInput {
  offer: MsrpMedia;
}

export const ackMachine = setup({
  types: {
    context: {} as AckInput,
    events: {} as AckEvent,
    input: {} as AckInput,
    emitted: {} as CfEffect,
  },
  guards: {
    cfConnectsToTheOriginator: ({ context }) => answerSetup(context.offer) === 'active',
  },
  actions: {
    connectMsrpToOriginator: emit(() => ({ type: 'originator.connectMsrp' as const })),
  },
}).createMachine({
  id: 'ack',
  description: 'Upon receiving a SIP ACK acknowledgement (CR 9.1.1.x, step 1)',
  context: ({ input }) => input,
  initial: 'awaitingAck',
  states: {
    awaitingAck: {
      description: "The 200 OK is out; the originator's ACK confirms its dialog (RFC 3261 §13.3.1.4; the session bounds the wait).",
      meta: follows('RFC 3261 §13.3.1.4', 'OK-7'),
      on: { ACK: { target: 'connectingMedia', meta: realises('ACK-1') } },
    },
    connectingMedia: {
      description: 'ACK-1: the MSRP connections of the session are opened per the answer SDPs.',
      meta: realises('ACK-1'),
      always: [
        {
          guard: 'cfConnectsToTheOriginator',
          target: 'acknowledged',
          actions: 'connectMsrpToOriginator',
          meta: follows('RFC 6135 §4', 'ACK-1'),
        },
        { target: 'acknowledged', meta: follows('RFC 4975 §8.1', 'ACK-1') },
      ],
    },
    acknowledged: {
      description: "ACK-1 done: the originator's dialog is confirmed and its MSRP session opening.",
      meta: realises('ACK-1'),
      type: 'final',
    },
  },
});
