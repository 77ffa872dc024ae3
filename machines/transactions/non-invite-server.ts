/**
 * The non-INVITE server transaction of RFC 3261 §17.2.2 (Figure 8), with the transport-error
 * handling of §17.2.4 as RFC 6026 §8.8 rewrote it.
 */
import { transactionContext, transactionSetup } from './transaction-setup.ts';
import type { NonInviteServerEvent } from './events.ts';

const CLAUSE = 'RFC 3261 §17.2.2';

/*
 * RFC 3261 §17.2.4 as replaced by RFC 6026 §8.8: "the server transaction SHOULD inform the TU
 * that a failure has occurred, and MUST remain in the current state."
 * Deviation from Figure 8, which still draws "Trnsprt Err / Inform TU" into "Terminated": RFC
 * 6026 rewrote the text of §17.2.4, which governs every server transaction, but redrew only the
 * INVITE figures. The text is followed.
 */
const onTransportError = {
  actions: ['informTUOfTransportError'],
  description: 'Transport Err. / Inform TU',
  meta: { clause: 'RFC 6026 §8.8' },
} as const;

/*
 * "If the TU passes a final response (status codes 200-699) to the server while in the
 * "Proceeding" state, the transaction MUST enter the "Completed" state, and the response MUST be
 * passed to the transport layer for transmission." Figure 8 draws the same edge from "Trying".
 */
const onFinal = {
  guard: 'isFinal',
  target: 'completed',
  actions: ['transmitResponse'],
  description: '200-699 from TU / send response',
  meta: { clause: CLAUSE },
} as const;

/**
 * The non-INVITE server transaction. Creating the actor is the core constructing the transaction
 * for a request other than INVITE or ACK: it starts in "trying" and passes the request to the TU.
 *
 * @example
 * ```ts
 * const nist = createActor(nonInviteServerTransaction, { input: { reliable: false } });
 * nist.on('*', (effect) => runtime.perform(effect));
 * nist.start(); // passToTU request
 * nist.send({ type: 'SEND_RESPONSE', status: 200 }); // transmit response 200, startTimer J (32 s)
 * ```
 */
export const nonInviteServerTransaction = transactionSetup<NonInviteServerEvent>().createMachine({
  id: 'nonInviteServer',
  description: 'non-INVITE server transaction (RFC 3261 Figure 8)',
  meta: { clause: CLAUSE },
  context: transactionContext,
  initial: 'trying',
  states: {
    trying: {
      description: 'The request is with the TU; nothing has been answered yet.',
      meta: { clause: CLAUSE },
      /*
       * "The state machine is initialized in the "Trying" state and is passed a request other
       * than INVITE or ACK when initialized. This request is passed up to the TU."
       */
      entry: [{ type: 'passToTU', params: { what: 'request' } }],
      on: {
        /* "Once in the "Trying" state, any further request retransmissions are discarded." */
        REQUEST: {
          actions: [{ type: 'discard', params: { what: 'request' } }],
          description: 'Request / discarded',
          meta: { clause: CLAUSE },
        },
        SEND_RESPONSE: [
          /*
           * "While in the "Trying" state, if the TU passes a provisional response to the server
           * transaction, the server transaction MUST enter the "Proceeding" state. The response
           * MUST be passed to the transport layer for transmission."
           */
          {
            guard: 'isProvisional',
            target: 'proceeding',
            actions: ['transmitResponse'],
            description: '1xx from TU / send response',
            meta: { clause: CLAUSE },
          },
          onFinal,
        ],
      },
    },
    proceeding: {
      description: 'A provisional response was sent; it is resent for each request retransmission.',
      meta: { clause: CLAUSE },
      on: {
        /*
         * "If a retransmission of the request is received while in the "Proceeding" state, the
         * most recently sent provisional response MUST be passed to the transport layer for
         * retransmission."
         */
        REQUEST: {
          actions: [{ type: 'transmit', params: { what: 'lastResponse' } }],
          description: 'Request / send response',
          meta: { clause: CLAUSE },
        },
        TRANSPORT_ERROR: onTransportError,
        SEND_RESPONSE: [
          /*
           * "Any further provisional responses that are received from the TU while in the
           * "Proceeding" state MUST be passed to the transport layer for transmission."
           */
          {
            guard: 'isProvisional',
            actions: ['transmitResponse'],
            description: '1xx from TU / send response',
            meta: { clause: CLAUSE },
          },
          onFinal,
        ],
      },
    },
    completed: {
      description: 'A final response was sent; it is resent for each request retransmission until Timer J fires.',
      meta: { clause: CLAUSE },
      /*
       * "When the server transaction enters the "Completed" state, it MUST set Timer J to fire in
       * 64*T1 seconds for unreliable transports, and zero seconds for reliable transports." Only
       * its own firing leaves this state.
       */
      entry: [{ type: 'startTimer', params: { timer: 'J' } }],
      /* The same sentence, for reliable transports: Timer J is zero, so the state is left as it is entered. */
      always: {
        guard: 'transportIsReliable',
        target: 'terminated',
        description: 'Timer J is zero seconds on a reliable transport',
        meta: { clause: CLAUSE },
      },
      on: {
        /*
         * "While in the "Completed" state, the server transaction MUST pass the final response
         * to the transport layer for retransmission whenever a retransmission of the request is
         * received."
         */
        REQUEST: {
          actions: [{ type: 'transmit', params: { what: 'lastResponse' } }],
          description: 'Request / send response',
          meta: { clause: CLAUSE },
        },
        /* "Any other final responses passed by the TU to the server transaction MUST be discarded while in the "Completed" state." */
        SEND_RESPONSE: {
          guard: 'isFinal',
          actions: [{ type: 'discard', params: { what: 'response' } }],
          description: '200-699 from TU / discarded',
          meta: { clause: CLAUSE },
        },
        TRANSPORT_ERROR: onTransportError,
        /* "The server transaction remains in this state until Timer J fires, at which point it MUST transition to the "Terminated" state." */
        TIMER_J: {
          target: 'terminated',
          description: 'Timer J fires / -',
          meta: { clause: CLAUSE },
        },
      },
    },
    terminated: {
      type: 'final',
      description: 'The transaction is over and is destroyed.',
      meta: { clause: CLAUSE },
      /* "The server transaction MUST be destroyed the instant it enters the "Terminated" state." */
      entry: ['announceTermination'],
    },
  },
});
