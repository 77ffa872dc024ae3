/**
 * The non-INVITE client transaction of RFC 3261 §17.1.2.2 (Figure 6).
 */
import { transactionContext, transactionSetup } from './transaction-setup.ts';
import type { NonInviteClientEvent } from './events.ts';

const CLAUSE = 'RFC 3261 §17.1.2.2';

/* Timers E and F serve "Trying" and "Proceeding" alike, so they are disarmed on the ways out of both. */
const cancelTimersEAndF = [
  { type: 'cancelTimer', params: { timer: 'E' } },
  { type: 'cancelTimer', params: { timer: 'F' } },
] as const;

/*
 * "If a final response (status codes 200-699) is received while in the "Trying" state, the
 * response MUST be passed to the TU, and the client transaction MUST transition to the
 * "Completed" state." The same sentence is repeated for "Proceeding".
 */
const onFinal = {
  guard: 'isFinal',
  target: 'completed',
  actions: [...cancelTimersEAndF, 'passResponseToTU'],
  description: '200-699 / resp. to TU',
  meta: { clause: CLAUSE },
} as const;

/*
 * Trying: "If Timer F fires while the client transaction is still in the "Trying" state, the
 * client transaction SHOULD inform the TU about the timeout, and then it SHOULD enter the
 * "Terminated" state." Proceeding: "If timer F fires while in the "Proceeding" state, the TU
 * MUST be informed of a timeout, and the client transaction MUST transition to the terminated
 * state."
 */
const onTimerF = {
  target: 'terminated',
  actions: [...cancelTimersEAndF, 'informTUOfTimeout'],
  description: 'Timer F / inform TU',
  meta: { clause: CLAUSE },
} as const;

/*
 * RFC 3261 §17.1.4: "The client transaction SHOULD inform the TU that a transport failure has
 * occurred, and the client transaction SHOULD transition directly to the "Terminated" state."
 */
const onTransportError = {
  target: 'terminated',
  actions: [...cancelTimersEAndF, 'informTUOfTransportError'],
  description: 'Transport Err. / inform TU',
  meta: { clause: 'RFC 3261 §17.1.4' },
} as const;

/**
 * The non-INVITE client transaction. Creating the actor is the TU initiating the transaction with
 * a request: it starts in "trying" and emits the request at once.
 *
 * @example
 * ```ts
 * const nict = createActor(nonInviteClientTransaction, { input: { reliable: false } });
 * nict.on('*', (effect) => runtime.perform(effect));
 * nict.start(); // transmit request, startTimer E (500 ms), startTimer F (32 s)
 * nict.send({ type: 'TIMER_E' }); // transmit request, startTimer E (1 s)
 * ```
 */
export const nonInviteClientTransaction = transactionSetup<NonInviteClientEvent>().createMachine({
  id: 'nonInviteClient',
  description: 'non-INVITE client transaction (RFC 3261 Figure 6)',
  meta: { clause: CLAUSE },
  context: transactionContext,
  initial: 'trying',
  states: {
    trying: {
      description: 'The request is sent and retransmitted (unreliable transports) with a backoff capped at T2.',
      meta: { clause: CLAUSE },
      /*
       * "The "Trying" state is entered when the TU initiates a new client transaction with a
       * request. When entering this state, the client transaction SHOULD set timer F to fire in
       * 64*T1 seconds. The request MUST be passed to the transport layer for transmission. If an
       * unreliable transport is in use, the client transaction MUST set timer E to fire in T1
       * seconds."
       */
      entry: [
        { type: 'transmit', params: { what: 'request' } },
        { type: 'startTimer', params: { timer: 'E' } },
        { type: 'startTimer', params: { timer: 'F' } },
      ],
      on: {
        /*
         * "If timer E fires while still in this state, the timer is reset, but this time with a
         * value of MIN(2*T1, T2). When the timer fires again, it is reset to a MIN(4*T1, T2). This
         * process continues so that retransmissions occur with an exponentially increasing
         * interval that caps at T2."
         */
        TIMER_E: {
          actions: [
            { type: 'transmit', params: { what: 'request' } },
            'doubleIntervalUpToT2',
            { type: 'startTimer', params: { timer: 'E' } },
          ],
          description: 'Timer E / send request',
          meta: { clause: CLAUSE },
        },
        TIMER_F: onTimerF,
        TRANSPORT_ERROR: onTransportError,
        RESPONSE: [
          /*
           * "If a provisional response is received while in the "Trying" state, the response MUST
           * be passed to the TU, and then the client transaction SHOULD move to the "Proceeding"
           * state."
           */
          {
            guard: 'isProvisional',
            target: 'proceeding',
            actions: ['passResponseToTU'],
            description: '1xx / resp. to TU',
            meta: { clause: CLAUSE },
          },
          onFinal,
        ],
      },
    },
    proceeding: {
      description: 'A provisional response arrived; the request is retransmitted every T2 (unreliable transports).',
      meta: { clause: CLAUSE },
      on: {
        /*
         * "If Timer E fires while in the "Proceeding" state, the request MUST be passed to the
         * transport layer for retransmission, and Timer E MUST be reset with a value of T2
         * seconds."
         */
        TIMER_E: {
          actions: [
            { type: 'transmit', params: { what: 'request' } },
            'setIntervalToT2',
            { type: 'startTimer', params: { timer: 'E' } },
          ],
          description: 'Timer E / send request',
          meta: { clause: CLAUSE },
        },
        TIMER_F: onTimerF,
        TRANSPORT_ERROR: onTransportError,
        RESPONSE: [
          /* Figure 6: Proceeding, "1xx / resp. to TU", back to Proceeding. */
          {
            guard: 'isProvisional',
            actions: ['passResponseToTU'],
            description: '1xx / resp. to TU',
            meta: { clause: CLAUSE },
          },
          onFinal,
        ],
      },
    },
    completed: {
      description: 'A final response arrived; its retransmissions are absorbed until Timer K fires.',
      meta: { clause: CLAUSE },
      /*
       * "Once the client transaction enters the "Completed" state, it MUST set Timer K to fire in
       * T4 seconds for unreliable transports, and zero seconds for reliable transports." Only its
       * own firing leaves this state.
       */
      entry: [{ type: 'startTimer', params: { timer: 'K' } }],
      /* The same sentence, for reliable transports: Timer K is zero, so the state is left as it is entered. */
      always: {
        guard: 'transportIsReliable',
        target: 'terminated',
        description: 'Timer K is zero seconds on a reliable transport',
        meta: { clause: CLAUSE },
      },
      on: {
        /*
         * "The "Completed" state exists to buffer any additional response retransmissions that
         * may be received [...]. A response is a retransmission when it matches the same
         * transaction, using the rules specified in Section 17.1.3."
         */
        RESPONSE: {
          actions: [{ type: 'discard', params: { what: 'response' } }],
          description: 'response retransmission / absorbed',
          meta: { clause: CLAUSE },
        },
        /* "If Timer K fires while in this state, the client transaction MUST transition to the "Terminated" state." */
        TIMER_K: {
          target: 'terminated',
          description: 'Timer K / -',
          meta: { clause: CLAUSE },
        },
      },
    },
    terminated: {
      type: 'final',
      description: 'The transaction is over and is destroyed.',
      meta: { clause: CLAUSE },
      /* "Once the transaction is in the terminated state, it MUST be destroyed immediately." */
      entry: ['announceTermination'],
    },
  },
});
