/**
 * "Upon receiving a MSRP SEND, CPM Controlling Function: 1. SHALL send the MSRP SEND requests
 * towards each CPM Address or non-CPM Address via established TCP connections." — SEND-1.
 *
 * The bytes themselves go through the runtime's spool, each leg at its own pace; this block decides
 * *when* every member is told that data is there, and settles each message's end-to-end reports
 * across the fan-out (open question 11): the message's recipients are the members who accepted
 * before its REPORT is due, and the originator gets one REPORT once every recipient either has the
 * whole message or was lost. A member still being invited does not hold the REPORT back (it may ring
 * for a minute); if it accepts later it still receives the whole message (open question 6).
 */
import { assign, emit, setup } from 'xstate';
import { follows, realises, type CfEffect } from './effects.ts';
import type { LegIndex } from './types.ts';

export type ReportRequest = 'yes' | 'no' | 'partial';

export type MsrpSendEvent =
  | {
      type: 'SEND';
      messageId: string;
      /** RFC 4975 §7.1: `$` ends the message, `+` more chunks follow, `#` the sender aborted it. */
      flag: '$' | '+' | '#';
      successReport: boolean;
      failureReport: ReportRequest;
    }
  | { type: 'RECIPIENT_JOINED'; leg: LegIndex }
  | { type: 'RECIPIENT_DELIVERED'; leg: LegIndex; messageId: string }
  | { type: 'RECIPIENT_LOST'; leg: LegIndex; status: number };

/** What the block asks of the session: tell every connected member that data is spooled. */
export type SendReport = { type: 'send.relayToEachMember' };

interface MessageUnderWay {
  id: string;
  successReport: boolean;
  failureReport: ReportRequest;
  complete: boolean;
  delivered: LegIndex[];
  lost: { leg: LegIndex; status: number }[];
}

interface MsrpSendContext {
  recipients: LegIndex[];
  message: MessageUnderWay | null;
}

export interface MsrpSendInput {
  recipients: LegIndex[];
}

function without<T>(list: T[], item: T): T[] {
  return list.filter((x) => x !== item);
}

function settledLegs(message: MessageUnderWay): Set<LegIndex> {
  return new Set([...message.delivered, ...message.lost.map((l) => l.leg)]);
}

function deliverySettled(context: MsrpSendContext): boolean {
  const message = context.message;
  if (message === null || !message.complete) return false;
  const settled = settledLegs(message);
  return context.recipients.every((leg) => settled.has(leg));
}

function reportOf(message: MessageUnderWay, recipients: LegIndex[]): { status: number; comment: string } {
  const count = `delivered to ${message.delivered.length} of ${recipients.length} members`;
  if (message.lost.length === 0 && message.delivered.length > 0) return { status: 200, comment: count };
  // RFC 4975 §7.1.2: a failure REPORT carries the error of the hop that failed; with several, the
  // first lost member's; with no member at all, 408 (no recipient answered in time).
  return { status: message.lost[0]?.status ?? 408, comment: count };
}

export const msrpSendMachine = setup({
  types: {
    context: {} as MsrpSendContext,
    events: {} as MsrpSendEvent,
    input: {} as MsrpSendInput,
    emitted: {} as CfEffect | SendReport,
  },
  guards: {
    endsTheMessage: ({ event }) => event.type === 'SEND' && event.flag === '$',
    abortsTheMessage: ({ event }) => event.type === 'SEND' && event.flag === '#',
    deliveryIsSettled: ({ context }) => deliverySettled(context),
    everyRecipientHasTheMessage: ({ context }) =>
      context.message !== null && context.message.lost.length === 0 && context.message.delivered.length > 0,
    successReportIsRequested: ({ context }) => context.message?.successReport === true,
    failureReportIsRequested: ({ context }) => context.message?.failureReport !== 'no',
  },
  actions: {
    relayToEachMember: emit({ type: 'send.relayToEachMember' as const }),
    beginMessage: assign({
      message: ({ event }) =>
        event.type === 'SEND'
          ? { id: event.messageId, successReport: event.successReport, failureReport: event.failureReport, complete: false, delivered: [], lost: [] }
          : null,
    }),
    completeMessage: assign({
      message: ({ context }) => (context.message === null ? null : { ...context.message, complete: true }),
    }),
    forgetMessage: assign({ message: null }),
    addRecipient: assign({
      recipients: ({ context, event }) =>
        event.type === 'RECIPIENT_JOINED' && !context.recipients.includes(event.leg) ? [...context.recipients, event.leg] : context.recipients,
    }),
    recordDelivery: assign({
      message: ({ context, event }) =>
        context.message !== null && event.type === 'RECIPIENT_DELIVERED' && event.messageId === context.message.id
          ? { ...context.message, delivered: [...without(context.message.delivered, event.leg), event.leg] }
          : context.message,
    }),
    // A recipient lost between messages is no recipient of the next one; one lost during a message
    // stays counted, as lost, in that message's REPORT.
    recordLoss: assign(({ context, event }) => {
      if (event.type !== 'RECIPIENT_LOST') return {};
      if (context.message === null) return { recipients: without(context.recipients, event.leg) };
      if (settledLegs(context.message).has(event.leg)) return {};
      return { message: { ...context.message, lost: [...context.message.lost, { leg: event.leg, status: event.status }] } };
    }),
    sendReportToOriginator: emit(({ context }) => {
      const message = context.message;
      if (message === null) throw new Error('msrpSend: a REPORT without a message');
      return { type: 'originator.report' as const, messageId: message.id, ...reportOf(message, context.recipients) };
    }),
  },
}).createMachine({
  id: 'msrpSend',
  description: 'Upon receiving a MSRP SEND (CR 9.1.1.x, step 1)',
  context: ({ input }) => ({ recipients: input.recipients, message: null }),
  initial: 'awaitingMessage',
  on: {
    RECIPIENT_JOINED: { actions: 'addRecipient', meta: follows('RFC 4975 §7.1.1', 'SEND-1') },
    RECIPIENT_DELIVERED: { actions: 'recordDelivery', meta: follows('RFC 4975 §7.1.2', 'SEND-1') },
    RECIPIENT_LOST: { actions: 'recordLoss', meta: follows('RFC 4975 §7.1.2') },
  },
  states: {
    awaitingMessage: {
      description: 'No message under way.',
      on: {
        SEND: [
          { guard: 'endsTheMessage', target: 'awaitingDelivery', actions: ['beginMessage', 'completeMessage', 'relayToEachMember'], meta: realises('SEND-1') },
          { guard: 'abortsTheMessage', target: 'awaitingMessage', actions: 'relayToEachMember', meta: follows('RFC 4975 §7.1', 'SEND-1') },
          { target: 'receivingMessage', actions: ['beginMessage', 'relayToEachMember'], meta: realises('SEND-1') },
        ],
      },
    },
    receivingMessage: {
      description: "SEND-1: each chunk is spooled and every member connected is told, so each reads it at its own pace.",
      meta: realises('SEND-1'),
      on: {
        SEND: [
          { guard: 'endsTheMessage', target: 'awaitingDelivery', actions: ['completeMessage', 'relayToEachMember'], meta: realises('SEND-1') },
          // RFC 4975 §7.1: `#` aborts the message; members get the aborted chunk and no REPORT follows.
          { guard: 'abortsTheMessage', target: 'awaitingMessage', actions: ['forgetMessage', 'relayToEachMember'], meta: follows('RFC 4975 §7.1', 'SEND-1') },
          { actions: 'relayToEachMember', meta: realises('SEND-1') },
        ],
      },
    },
    awaitingDelivery: {
      description: 'Open question 11: the message is whole at the CF; each recipient must get it all (late joiners included) or be lost.',
      meta: follows('RFC 4975 §7.1.2', 'SEND-1'),
      on: { SEND: { actions: 'relayToEachMember', meta: realises('SEND-1') } },
      always: { guard: 'deliveryIsSettled', target: 'concluding', meta: follows('RFC 4975 §7.1.2') },
    },
    concluding: {
      description: 'Every recipient is settled: one end-to-end REPORT for the message, if the originator asked for it.',
      meta: follows('RFC 4975 §7.1.2'),
      always: [
        { guard: 'everyRecipientHasTheMessage', target: 'delivered', meta: follows('RFC 4975 §7.1.2') },
        { target: 'undelivered', meta: follows('RFC 4975 §7.1.2') },
      ],
    },
    delivered: {
      description: 'Every recipient has the whole message: a 200 REPORT when Success-Report: yes (RFC 4975 §7.1.2).',
      meta: follows('RFC 4975 §7.1.2'),
      always: [
        { guard: 'successReportIsRequested', target: 'awaitingMessage', actions: ['sendReportToOriginator', 'forgetMessage'], meta: follows('RFC 4975 §7.1.2') },
        { target: 'awaitingMessage', actions: 'forgetMessage', meta: follows('RFC 4975 §7.1.2') },
      ],
    },
    undelivered: {
      description: 'Some recipient lost the message: a failure REPORT unless Failure-Report: no (RFC 4975 §7.1.2).',
      meta: follows('RFC 4975 §7.1.2'),
      always: [
        { guard: 'failureReportIsRequested', target: 'awaitingMessage', actions: ['sendReportToOriginator', 'forgetMessage'], meta: follows('RFC 4975 §7.1.2') },
        { target: 'awaitingMessage', actions: 'forgetMessage', meta: follows('RFC 4975 §7.1.2') },
      ],
    },
  },
});
