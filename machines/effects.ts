/**
 * Every effect a machine asks of the world, as the events it emits. The runtime performs them on
 * sockets, timers and files; tests record them. Nothing in `machines/` performs an effect itself.
 */
import type { GroupMember } from './group.ts';
import type { RequirementId } from './requirements.ts';
import type { LegIndex, MsrpMedia, SessionTimer } from './types.ts';

/** A final non-2xx answer to the originator's INVITE, with the headers the CR or RFC asks for. */
export interface Rejection {
  status: number;
  reason: string;
  /** RFC 3261 §20.43 warn-text (the warn-code is the runtime's: 399, miscellaneous). */
  warning?: string;
  /** RFC 3261 §20.18. */
  errorInfo?: string;
  /** RFC 4028 §5, with a 422. */
  minSe?: number;
  /** RFC 3261 §20.33, with a 503. */
  retryAfter?: number;
}

/** The 200 OK of OK-1 … OK-7. */
export interface FocusAnswer {
  /** OK-2, anchored (open question 4). */
  answer: MsrpMedia;
  /** OK-3. */
  server: string;
  /** OK-4. */
  allow: string[];
  /** OK-5 and OK-6: the CF's URI, carrying `isfocus`. */
  contact: { uri: string; isfocus: boolean };
  /** INV-6, when a timer was settled. */
  sessionTimer: SessionTimer | null;
  requireTimer: boolean;
}

export type TimerName =
  | 'noAnswer' | 'cancel' | 'drain'
  | 'ack' | 'sessionExpiry' | 'sessionRefresh';

export type CfEffect =
  | { type: 'xdm.fetchGroupDocument'; groupUri: string }
  | { type: 'focus.open'; groupUri: string }
  | { type: 'originator.reject'; rejection: Rejection; requirement: RequirementId | null }
  | { type: 'originator.accept'; response: FocusAnswer }
  | { type: 'originator.answerBye' }
  | { type: 'originator.sendBye'; reason: string }
  | { type: 'originator.answerRefresh'; sessionTimer: SessionTimer | null }
  | { type: 'originator.sendRefresh' }
  | { type: 'originator.report'; messageId: string; status: number; comment: string }
  | { type: 'originator.connectMsrp' }
  | {
      type: 'member.invite';
      leg: LegIndex;
      member: GroupMember;
      /** Open question 13: the identity members see; null when anonymity was allowed. */
      originator: string | null;
      groupUri: string;
      offer: MsrpMedia;
    }
  | { type: 'member.ack'; leg: LegIndex }
  | { type: 'member.cancel'; leg: LegIndex }
  | { type: 'member.bye'; leg: LegIndex }
  | { type: 'member.answerBye'; leg: LegIndex }
  | { type: 'msrp.connectMember'; leg: LegIndex; answer: MsrpMedia }
  | { type: 'msrp.awaitMember'; leg: LegIndex; answer: MsrpMedia }
  | { type: 'msrp.relayToMember'; leg: LegIndex }
  | { type: 'msrp.abortDelivery'; leg: LegIndex }
  | { type: 'msrp.closeMember'; leg: LegIndex }
  | { type: 'timer.start'; timer: TimerName; leg: LegIndex | null; ms: number }
  | { type: 'timer.cancel'; timer: TimerName; leg: LegIndex | null }
  | { type: 'session.release' };

export function startTimer(timer: TimerName, leg: LegIndex | null, ms: number): CfEffect {
  return { type: 'timer.start', timer, leg, ms };
}

export function cancelTimer(timer: TimerName, leg: LegIndex | null): CfEffect {
  return { type: 'timer.cancel', timer, leg };
}

/** A state's or transition's trace to the CR (`requirements`) or to the RFC it follows (`clause`). */
export interface Trace {
  requirements: RequirementId[];
  clause?: string;
}

export function realises(...requirements: RequirementId[]): Trace {
  return { requirements };
}

export function follows(clause: string, ...requirements: RequirementId[]): Trace {
  return { requirements, clause };
}
