/**
 * The INVITE server transaction of RFC 3261 §17.2.1 (Figure 7) as corrected by RFC 6026 §7.1 and
 * §8.5-§8.8 (its Figure 5): a 2xx leads to "Accepted" and Timer L, and a transport error leaves
 * the state unchanged.
 */
import { transactionContext, transactionSetup } from './transaction-setup.ts';
import type { InviteServerEvent } from './events.ts';

const CLAUSE = 'RFC 3261 §17.2.1';

/*
 * RFC 6026 §8.8 (replacing the end of RFC 3261 §17.2.4): "the server transaction SHOULD inform
 * the TU that a failure has occurred, and MUST remain in the current state."
 */
const onTransportError = {
  actions: ['informTUOfTransportError'],
  description: 'Transport Err. / Inform TU',
  meta: { clause: 'RFC 6026 §8.8' },
} as const;

/**
 * The INVITE server transaction. Creating the actor is the core constructing the transaction for
 * an INVITE that arrived: it starts in "proceeding", answers 100 (Trying) and passes the INVITE
 * to the TU.
 *
 * @example
 * ```ts
 * const ist = createActor(inviteServerTransaction, { input: { reliable: true } });
 * ist.on('*', (effect) => runtime.perform(effect));
 * ist.start(); // transmit trying, passToTU request
 * ist.send({ type: 'SEND_RESPONSE', status: 200 }); // transmit response 200, startTimer L (32 s)
 * ```
 */
export const inviteServerTransaction = transactionSetup<InviteServerEvent>().createMachine({
  id: 'inviteServer',
  description: 'INVITE server transaction (RFC 3261 Figure 7, RFC 6026 Figure 5)',
  meta: { clause: CLAUSE },
  context: transactionContext,
  initial: 'proceeding',
  states: {
    proceeding: {
      description: 'The INVITE is with the TU, which may send any number of provisional responses.',
      meta: { clause: CLAUSE },
      /*
       * "When a server transaction is constructed for a request, it enters the "Proceeding"
       * state. The server transaction MUST generate a 100 (Trying) response unless it knows that
       * the TU will generate a provisional or final response within 200 ms, in which case it MAY
       * generate a 100 (Trying) response. [...] The request MUST be passed to the TU."
       * Note: this machine cannot know what the TU will do within 200 ms, so it always sends the
       * 100 (Trying), which both branches of the sentence allow.
       */
      entry: [
        { type: 'transmit', params: { what: 'trying' } },
        { type: 'passToTU', params: { what: 'request' } },
      ],
      on: {
        /*
         * "If a request retransmission is received while in the "Proceeding" state, the most
         * recent provisional response that was received from the TU MUST be passed to the
         * transport layer for retransmission." Until the TU sends one, that is the 100 (Trying).
         */
        REQUEST: {
          actions: [{ type: 'transmit', params: { what: 'lastResponse' } }],
          description: 'INVITE / send response',
          meta: { clause: CLAUSE },
        },
        TRANSPORT_ERROR: onTransportError,
        SEND_RESPONSE: [
          /*
           * "The TU passes any number of provisional responses to the server transaction. So long
           * as the server transaction is in the "Proceeding" state, each of these MUST be passed
           * to the transport layer for transmission. They are not sent reliably by the
           * transaction layer (they are not retransmitted by it) and do not cause a change in the
           * state of the server transaction."
           */
          {
            guard: 'isProvisional',
            actions: ['transmitResponse'],
            description: '101-199 from TU / send response',
            meta: { clause: CLAUSE },
          },
          /*
           * RFC 6026 §8.5: "If, while in the "Proceeding" state, the TU passes a 2xx response to
           * the server transaction, the server transaction MUST pass this response to the
           * transport layer for transmission. It is not retransmitted by the server transaction;
           * retransmissions of 2xx responses are handled by the TU. The server transaction MUST
           * then transition to the "Accepted" state."
           */
          {
            guard: 'isSuccess',
            target: 'accepted',
            actions: ['transmitResponse'],
            description: '2xx from TU / send response',
            meta: { clause: 'RFC 6026 §8.5' },
          },
          /*
           * "While in the "Proceeding" state, if the TU passes a response with status code from
           * 300 to 699 to the server transaction, the response MUST be passed to the transport
           * layer for transmission, and the state machine MUST enter the "Completed" state."
           */
          {
            guard: 'isFinalNonSuccess',
            target: 'completed',
            actions: ['transmitResponse'],
            description: '300-699 from TU / send response',
            meta: { clause: CLAUSE },
          },
        ],
      },
    },
    completed: {
      description: 'A 300-699 was sent; it is retransmitted (unreliable transports) until an ACK arrives or Timer H fires.',
      meta: { clause: CLAUSE },
      /*
       * "For unreliable transports, timer G is set to fire in T1 seconds, and is not set to fire
       * for reliable transports. [...] When the "Completed" state is entered, timer H MUST be set
       * to fire in 64*T1 seconds for all transports."
       */
      entry: [
        { type: 'startTimer', params: { timer: 'G' } },
        { type: 'startTimer', params: { timer: 'H' } },
      ],
      /* "As Timer G is ignored in this state ["Confirmed"], any retransmissions of the response will cease"; Timer H only matters here. */
      exit: [
        { type: 'cancelTimer', params: { timer: 'G' } },
        { type: 'cancelTimer', params: { timer: 'H' } },
      ],
      on: {
        /*
         * "If timer G fires, the response is passed to the transport layer once more for
         * retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds. From then on, when
         * timer G fires, the response is passed to the transport again for transmission, and
         * timer G is reset with a value that doubles, unless that value exceeds T2, in which case
         * it is reset with the value of T2."
         */
        TIMER_G: {
          actions: [
            { type: 'transmit', params: { what: 'lastResponse' } },
            'doubleIntervalUpToT2',
            { type: 'startTimer', params: { timer: 'G' } },
          ],
          description: 'Timer G fires / send response',
          meta: { clause: CLAUSE },
        },
        /*
         * "Furthermore, while in the "Completed" state, if a request retransmission is received,
         * the server SHOULD pass the response to the transport for retransmission."
         */
        REQUEST: {
          actions: [{ type: 'transmit', params: { what: 'lastResponse' } }],
          description: 'INVITE / send response',
          meta: { clause: CLAUSE },
        },
        /*
         * "If an ACK is received while the server transaction is in the "Completed" state, the
         * server transaction MUST transition to the "Confirmed" state."
         */
        ACK: {
          target: 'confirmed',
          description: 'ACK / -',
          meta: { clause: CLAUSE },
        },
        /*
         * "If timer H fires while in the "Completed" state, it implies that the ACK was never
         * received. In this case, the server transaction MUST transition to the "Terminated"
         * state, and MUST indicate to the TU that a transaction failure has occurred."
         * Note: RFC 6026 Figure 5 labels this edge "Timer H fires / -"; the sentence, which RFC
         * 6026 leaves in place, is followed.
         */
        TIMER_H: {
          target: 'terminated',
          actions: ['informTUOfTimeout'],
          description: 'Timer H fires / Inform TU',
          meta: { clause: CLAUSE },
        },
        TRANSPORT_ERROR: onTransportError,
      },
    },
    confirmed: {
      description: 'The ACK arrived; further ACKs are absorbed until Timer I fires.',
      meta: { clause: CLAUSE },
      /*
       * "The purpose of the "Confirmed" state is to absorb any additional ACK messages that
       * arrive, triggered from retransmissions of the final response. When this state is
       * entered, timer I is set to fire in T4 seconds for unreliable transports, and zero seconds
       * for reliable transports." Only its own firing leaves this state.
       */
      entry: [{ type: 'startTimer', params: { timer: 'I' } }],
      /* The same sentence, for reliable transports: Timer I is zero, so the state is left as it is entered. */
      always: {
        guard: 'transportIsReliable',
        target: 'terminated',
        description: 'Timer I is zero seconds on a reliable transport',
        meta: { clause: CLAUSE },
      },
      on: {
        /* "The purpose of the "Confirmed" state is to absorb any additional ACK messages that arrive" */
        ACK: {
          actions: [{ type: 'discard', params: { what: 'ack' } }],
          description: 'ACK / absorbed',
          meta: { clause: CLAUSE },
        },
        /* "Once timer I fires, the server MUST transition to the "Terminated" state." */
        TIMER_I: {
          target: 'terminated',
          description: 'Timer I fires / -',
          meta: { clause: CLAUSE },
        },
      },
    },
    accepted: {
      description: 'A 2xx was sent; INVITE retransmissions are absorbed, and the TU retransmits the 2xx itself.',
      meta: { clause: 'RFC 6026 §7.1' },
      /*
       * RFC 6026 §8.7: "When the INVITE server transaction enters the "Accepted" state, Timer L
       * MUST be set to fire in 64*T1 for all transports." Only its own firing leaves this state.
       */
      entry: [{ type: 'startTimer', params: { timer: 'L' } }],
      on: {
        /*
         * RFC 6026 §8.7: "The purpose of the "Accepted" state is to absorb retransmissions of an
         * accepted INVITE request. Any such retransmissions are absorbed entirely within the
         * server transaction. They are not passed up to the TU since any downstream UAS cores
         * that accepted the request have taken responsibility for reliability and will already
         * retransmit their 2xx responses if necessary."
         */
        REQUEST: {
          actions: [{ type: 'discard', params: { what: 'request' } }],
          description: 'INVITE / -',
          meta: { clause: 'RFC 6026 §8.7' },
        },
        /* RFC 6026 §8.7: "If an ACK is received while the INVITE server transaction is in the "Accepted" state, then the ACK must be passed up to the TU." */
        ACK: {
          actions: [{ type: 'passToTU', params: { what: 'ack' } }],
          description: 'ACK / to TU',
          meta: { clause: 'RFC 6026 §8.7' },
        },
        /* RFC 6026 §8.7: "While in the "Accepted" state, if the TU passes a 2xx response, the server transaction MUST pass the response to the transport layer for transmission." */
        SEND_RESPONSE: {
          guard: 'isSuccess',
          actions: ['transmitResponse'],
          description: '2xx from TU / send response',
          meta: { clause: 'RFC 6026 §8.7' },
        },
        TRANSPORT_ERROR: onTransportError,
        /*
         * RFC 6026 §8.7: "If Timer L fires while the INVITE server transaction is in the
         * "Accepted" state, the transaction MUST transition to the "Terminated" state."
         */
        TIMER_L: {
          target: 'terminated',
          description: 'Timer L fires / -',
          meta: { clause: 'RFC 6026 §8.7' },
        },
      },
    },
    terminated: {
      type: 'final',
      description: 'The transaction is over and is destroyed.',
      meta: { clause: CLAUSE },
      /* "Once the transaction is in the "Terminated" state, it MUST be destroyed immediately." */
      entry: ['announceTermination'],
    },
  },
});
