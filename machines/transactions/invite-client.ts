/**
 * The INVITE client transaction of RFC 3261 §17.1.1.2 (Figure 5) with the "Accepted" state and
 * Timer M of RFC 6026 §7.2 and §8.4 (its Figure 4).
 */
import { transactionContext, transactionSetup } from './transaction-setup.ts';
import type { InviteClientEvent } from './events.ts';

const CLAUSE = 'RFC 3261 §17.1.1.2';
const CLAUSE_6026 = 'RFC 6026 §8.4';

/*
 * RFC 6026 §8.4: "When in either the "Calling" or "Proceeding" states, reception of a response
 * with status code from 300-699 MUST cause the client transaction to transition to "Completed".
 * The client transaction MUST pass the received response up to the TU, and the client
 * transaction MUST generate an ACK request, even if the transport is reliable [...] and then
 * pass the ACK to the transport layer for transmission."
 */
const onFinalNonSuccess = {
  guard: 'isFinalNonSuccess',
  target: 'completed',
  actions: ['passResponseToTU', { type: 'transmit', params: { what: 'ack' } }],
  description: '300-699 / resp. to TU, ACK sent',
  meta: { clause: CLAUSE_6026 },
} as const;

/*
 * RFC 6026 §8.4: "When a 2xx response is received while in either the "Calling" or
 * "Proceeding" states, the client transaction MUST transition to the "Accepted" state, and Timer
 * M MUST be started with a value of 64*T1. The 2xx response MUST be passed up to the TU. The
 * client transaction MUST NOT generate an ACK to the 2xx response -- its handling is delegated to
 * the TU."
 */
const onSuccess = {
  guard: 'isSuccess',
  target: 'accepted',
  actions: ['passResponseToTU'],
  description: '2xx / 2xx to TU (the TU sends the ACK)',
  meta: { clause: CLAUSE_6026 },
} as const;

/**
 * The INVITE client transaction. Creating the actor is the TU initiating the transaction with an
 * INVITE: it starts in "calling" and emits the request at once.
 *
 * @example
 * ```ts
 * const ict = createActor(inviteClientTransaction, { input: { reliable: false } });
 * ict.on('*', (effect) => runtime.perform(effect));
 * ict.start(); // transmit request, startTimer A (500 ms), startTimer B (32 s)
 * ict.send({ type: 'RESPONSE', status: 180 }); // cancelTimer A, cancelTimer B, passToTU 180
 * ```
 */
export const inviteClientTransaction = transactionSetup<InviteClientEvent>().createMachine({
  id: 'inviteClient',
  description: 'INVITE client transaction (RFC 3261 Figure 5, RFC 6026 Figure 4)',
  meta: { clause: CLAUSE },
  context: transactionContext,
  initial: 'calling',
  states: {
    calling: {
      description: 'The INVITE is sent and retransmitted (unreliable transports) until a response arrives.',
      meta: { clause: CLAUSE },
      /*
       * "The initial state, "calling", MUST be entered when the TU initiates a new client
       * transaction with an INVITE request. The client transaction MUST pass the request to the
       * transport layer for transmission (see Section 18). If an unreliable transport is being
       * used, the client transaction MUST start timer A with a value of T1. If a reliable
       * transport is being used, the client transaction SHOULD NOT start timer A (Timer A
       * controls request retransmissions). For any transport, the client transaction MUST start
       * timer B with a value of 64*T1 seconds (Timer B controls transaction timeouts)."
       */
      entry: [
        { type: 'transmit', params: { what: 'request' } },
        { type: 'startTimer', params: { timer: 'A' } },
        { type: 'startTimer', params: { timer: 'B' } },
      ],
      /*
       * "These retransmissions SHOULD only be done while the client transaction is in the
       * "calling" state", and Timer B only matters "If the client transaction is still in the
       * "Calling" state when timer B fires".
       */
      exit: [
        { type: 'cancelTimer', params: { timer: 'A' } },
        { type: 'cancelTimer', params: { timer: 'B' } },
      ],
      on: {
        /*
         * "When timer A fires, the client transaction MUST retransmit the request by passing it
         * to the transport layer, and MUST reset the timer with a value of 2*T1. [...] This
         * process MUST continue so that the request is retransmitted with intervals that double
         * after each transmission."
         */
        TIMER_A: {
          actions: [
            { type: 'transmit', params: { what: 'request' } },
            'doubleIntervalUpToB',
            { type: 'startTimer', params: { timer: 'A' } },
          ],
          description: 'Timer A fires / reset A, INVITE sent',
          meta: { clause: CLAUSE },
        },
        /*
         * "If the client transaction is still in the "Calling" state when timer B fires, the
         * client transaction SHOULD inform the TU that a timeout has occurred. The client
         * transaction MUST NOT generate an ACK."
         */
        TIMER_B: {
          target: 'terminated',
          actions: ['informTUOfTimeout'],
          description: 'Timer B fires / inform TU',
          meta: { clause: CLAUSE },
        },
        /*
         * RFC 3261 §17.1.4: "The client transaction SHOULD inform the TU that a transport failure
         * has occurred, and the client transaction SHOULD transition directly to the
         * "Terminated" state."
         */
        TRANSPORT_ERROR: {
          target: 'terminated',
          actions: ['informTUOfTransportError'],
          description: 'Transport Err. / inform TU',
          meta: { clause: 'RFC 3261 §17.1.4' },
        },
        RESPONSE: [
          /*
           * "If the client transaction receives a provisional response while in the "Calling"
           * state, it transitions to the "Proceeding" state. In the "Proceeding" state, the
           * client transaction SHOULD NOT retransmit the request any longer. Furthermore, the
           * provisional response MUST be passed to the TU."
           */
          {
            guard: 'isProvisional',
            target: 'proceeding',
            actions: ['passResponseToTU'],
            description: '1xx / 1xx to TU',
            meta: { clause: CLAUSE },
          },
          onSuccess,
          onFinalNonSuccess,
        ],
      },
    },
    proceeding: {
      description: 'A provisional response arrived; the request is no longer retransmitted.',
      meta: { clause: CLAUSE },
      on: {
        RESPONSE: [
          /* "Any further provisional responses MUST be passed up to the TU while in the "Proceeding" state." */
          {
            guard: 'isProvisional',
            actions: ['passResponseToTU'],
            description: '1xx / 1xx to TU',
            meta: { clause: CLAUSE },
          },
          onSuccess,
          onFinalNonSuccess,
        ],
      },
    },
    completed: {
      description: 'A 300-699 was acknowledged; ACKs are resent for its retransmissions until Timer D fires.',
      meta: { clause: CLAUSE_6026 },
      /*
       * RFC 6026 §8.4: "The client transaction MUST start timer D when it enters the "Completed"
       * state for any reason, with a value of at least 32 seconds for unreliable transports, and
       * a value of zero seconds for reliable transports."
       */
      entry: [{ type: 'startTimer', params: { timer: 'D' } }],
      exit: [{ type: 'cancelTimer', params: { timer: 'D' } }],
      /*
       * The same sentence, for reliable transports: Timer D is zero, so the state is left as it
       * is entered ("If timer D fires while the client transaction is in the "Completed" state,
       * the client transaction MUST move to the terminated state").
       */
      always: {
        guard: 'transportIsReliable',
        target: 'terminated',
        description: 'Timer D is zero seconds on a reliable transport',
        meta: { clause: CLAUSE_6026 },
      },
      on: {
        /*
         * RFC 6026 §8.4: "Any retransmissions of a response with status code 300-699 that are
         * received while in the "Completed" state MUST cause the ACK to be re-passed to the
         * transport layer for retransmission, but the newly received response MUST NOT be passed
         * up to the TU."
         */
        RESPONSE: {
          guard: 'isFinalNonSuccess',
          actions: [{ type: 'transmit', params: { what: 'ack' } }],
          description: '300-699 / ACK sent',
          meta: { clause: CLAUSE_6026 },
        },
        /* RFC 6026 §8.4: "If Timer D fires while the client transaction is in the "Completed" state, the client transaction MUST move to the "Terminated" state." */
        TIMER_D: {
          target: 'terminated',
          description: 'Timer D fires / -',
          meta: { clause: CLAUSE_6026 },
        },
        /*
         * RFC 3261 §17.1.4: "The client transaction SHOULD inform the TU that a transport failure
         * has occurred, and the client transaction SHOULD transition directly to the
         * "Terminated" state." (Figure 5: Completed, "Transport Err. / Inform TU".)
         */
        TRANSPORT_ERROR: {
          target: 'terminated',
          actions: ['informTUOfTransportError'],
          description: 'Transport Err. / inform TU',
          meta: { clause: 'RFC 3261 §17.1.4' },
        },
      },
    },
    accepted: {
      description: 'A 2xx arrived; further 2xx (retransmitted or forked) go to the TU until Timer M fires.',
      meta: { clause: 'RFC 6026 §7.2' },
      /* RFC 6026 §8.4: "[...] and Timer M MUST be started with a value of 64*T1." Only its own firing leaves this state. */
      entry: [{ type: 'startTimer', params: { timer: 'M' } }],
      on: {
        /*
         * RFC 6026 §8.4: "Any 2xx responses that match this client transaction and that are
         * received while in the "Accepted" state MUST be passed up to the TU. The client
         * transaction MUST NOT generate an ACK to the 2xx response. The client transaction takes
         * no further action."
         */
        RESPONSE: {
          guard: 'isSuccess',
          actions: ['passResponseToTU'],
          description: '2xx / 2xx to TU',
          meta: { clause: CLAUSE_6026 },
        },
        /* RFC 6026 §8.4: "If Timer M fires while the client transaction is in the "Accepted" state, the client transaction MUST move to the "Terminated" state." */
        TIMER_M: {
          target: 'terminated',
          description: 'Timer M fires / -',
          meta: { clause: CLAUSE_6026 },
        },
      },
    },
    terminated: {
      type: 'final',
      description: 'The transaction is over and is destroyed.',
      meta: { clause: CLAUSE },
      /* "The client transaction MUST be destroyed the instant it enters the "Terminated" state." */
      entry: ['announceTermination'],
    },
  },
});
