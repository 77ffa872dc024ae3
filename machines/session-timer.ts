/**
 * INV-6: RFC 4028 as the UAS of the originator's dialog (§9), and the timers that follow from the
 * settled interval (§10).
 */
import type { CfPolicy, InviteSummary, SessionTimer } from './types.ts';

/** RFC 4028 §4: no interval below 90 seconds may be used. */
export const RFC4028_MINIMUM = 90;

export type SessionTimerDecision =
  | { kind: 'none' }
  | { kind: 'tooSmall'; minSe: number }
  | { kind: 'settled'; timer: SessionTimer; requireTimer: boolean };

export function decideSessionTimer(invite: InviteSummary, policy: CfPolicy): SessionTimerDecision {
  const requested = invite.sessionExpires;
  // RFC 4028 §9: a UAS whose request carried no Session-Expires MAY still add one; the CR asks the
  // CF to act only "if the Session-Expires header is included", so it does not impose a timer.
  if (requested === null) return { kind: 'none' };
  const floor = Math.max(policy.minSessionExpires, invite.minSe ?? RFC4028_MINIMUM, RFC4028_MINIMUM);
  // RFC 4028 §9: "If the value of the Session-Expires header field is less than the minimum ...
  // the UAS MUST reject it with a 422 (Session Interval Too Small) response ... [with] a Min-SE".
  if (requested.interval < floor) return { kind: 'tooSmall', minSe: floor };
  // RFC 4028 §9: the UAS MAY reduce the interval, but never below the Min-SE of the request.
  const interval = Math.max(floor, Math.min(requested.interval, policy.maxSessionExpires));
  // RFC 4028 §9: a UAC that does not support the extension cannot refresh, so the UAS must; one that
  // does keeps the refresher it asked for, and otherwise refreshes itself (the CF then only guards).
  const refresher = !invite.supportsTimer ? 'uas' : (requested.refresher ?? 'uac');
  // RFC 4028 §9: "If the refresher parameter ... has a value of 'uac', the UAS MUST place a Require
  // header field into the response with the value 'timer'."
  return { kind: 'settled', timer: { interval, refresher }, requireTimer: refresher === 'uac' };
}

/**
 * RFC 4028 §10: the refresher refreshes at half the interval; the other side ends the session if
 * nothing arrived "before the session expiration", less min(32 s, interval/3) of grace.
 */
export function refreshDueMs(timer: SessionTimer): number {
  return (timer.interval * 1000) / 2;
}

export function expiryMs(timer: SessionTimer): number {
  return (timer.interval - Math.min(32, timer.interval / 3)) * 1000;
}
