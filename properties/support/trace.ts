/**
 * The story of one run as the invariants read it: what reached the CF (in the session's
 * vocabulary), what the CF did (its effects), and the MSRP bytes each member received, in the order
 * they happened. Both executors write it: the machine executor from the actor, the socket executor
 * from the wire (each SIP message it writes or reads mapped to the same event or effect, each
 * member's MSRP bytes as they arrive) and from the CF's relay and clock, whose work has no SIP form.
 */
import type { CfEffect } from '../../machines/effects.ts';
import type { SessionEvent } from '../../machines/session.ts';
import type { LegIndex } from '../../machines/types.ts';
import type { WorldAction } from './world-actions.ts';

export type TraceStep =
  | { event: SessionEvent }
  | { effect: CfEffect }
  | { data: { leg: LegIndex; bytes: Buffer } };

export type Trace = readonly TraceStep[];

export function effectsOf(trace: Trace): CfEffect[] {
  return trace.flatMap((step) => ('effect' in step ? [step.effect] : []));
}

export function eventsOf(trace: Trace): SessionEvent[] {
  return trace.flatMap((step) => ('event' in step ? [step.event] : []));
}

/** The event a world action is to the session, or null when it is no message to it (a member reading). */
export function sessionEventOf(action: WorldAction): SessionEvent | null {
  switch (action.by) {
    case 'clock':
      return { type: 'TIMER', timer: action.timer, leg: action.leg };
    case 'xdms':
      return action.answer.kind === 'found'
        ? { type: 'GROUP_DOCUMENT_FOUND', group: action.answer.group }
        : action.answer.kind === 'notFound'
          ? { type: 'GROUP_DOCUMENT_NOT_FOUND' }
          : { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: action.answer.status, retryAfter: action.answer.retryAfter };
    case 'originator':
      switch (action.act) {
        case 'INVITE':
          return { type: 'INVITE', invite: action.invite };
        case 'SEND':
          // Large Message Mode carries one message per session (one Message-ID).
          return { type: 'SEND', messageId: MESSAGE_ID, flag: action.chunk.flag, successReport: action.chunk.successReport, failureReport: action.chunk.failureReport };
        case 'REFRESH_UNANSWERED':
          return { type: 'REFRESH_FAILED' };
        default:
          return { type: action.act };
      }
    case 'member': {
      const member = (event: Extract<SessionEvent, { type: 'MEMBER' }>['event']): SessionEvent => ({ type: 'MEMBER', leg: action.leg, event });
      switch (action.act) {
        case 'RING':
          return member({ type: 'MEMBER_PROVISIONAL' });
        case 'ANSWER': {
          const answer = action.answer;
          if (answer.kind === 'accept') return member({ type: 'MEMBER_ACCEPTED', answer: answer.answer });
          return member(answer.kind === 'reject' ? { type: 'MEMBER_REJECTED', status: answer.status } : { type: 'MEMBER_UNREACHABLE' });
        }
        case 'BYE':
          return member({ type: 'MEMBER_BYE' });
        case 'BYE_OK':
          return member({ type: 'BYE_COMPLETED' });
        case 'CONNECT':
          return member({ type: 'MSRP_CONNECTED' });
        case 'DROP':
          return member({ type: 'MSRP_FAILED' });
        case 'READ':
          return null;
      }
    }
  }
}

export const MESSAGE_ID = 'lmm-1';
