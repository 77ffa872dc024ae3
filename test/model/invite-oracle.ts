/**
 * What the CR says the originator must get, read step by step as plain code (the "model smaller
 * than the machine"): the INVITE block's paths are checked against this, not against themselves.
 */
import type { CfEffect, Rejection } from '../../machines/effects.ts';
import { canonicalAddress, permissionsFor, supportsLargeMessageMode } from '../../machines/group.ts';
import type { InviteEvent } from '../../machines/invite.ts';
import type { CfPolicy, InviteSummary } from '../../machines/types.ts';

type GroupAnswer = Exclude<InviteEvent, { type: 'INVITE' }>;

function rejected(rejection: Rejection, requirement: string | null): CfEffect[] {
  return [{ type: 'originator.reject', rejection, requirement } as CfEffect];
}

/** The effects of the INVITE block for an INVITE and the XDMS's answer (absent: still fetching). */
export function expectedInviteEffects(invite: InviteSummary, answer: GroupAnswer | undefined, policy: CfPolicy): CfEffect[] {
  const forbidden = rejected({ status: 403, reason: 'Forbidden', warning: 'Service not authorised' }, 'INV-1');
  if (invite.authenticatedOriginator === null) return forbidden;
  const fetch: CfEffect = { type: 'xdm.fetchGroupDocument', groupUri: invite.groupUri };
  if (answer === undefined) return [fetch];
  if (answer.type === 'CANCEL') return [fetch, ...rejected({ status: 487, reason: 'Request Terminated' }, null)];
  if (answer.type === 'SHUTDOWN') return [fetch, ...rejected({ status: 503, reason: 'Service Unavailable', warning: 'CF shutting down' }, null)];
  if (answer.type === 'GROUP_DOCUMENT_NOT_FOUND') return [fetch, ...forbidden];
  if (answer.type === 'GROUP_DOCUMENT_UNAVAILABLE') {
    const rejection: Rejection =
      answer.status === 503
        ? { status: 503, reason: 'Service Unavailable', warning: 'Group document unavailable', ...(answer.retryAfter === null ? {} : { retryAfter: answer.retryAfter }) }
        : { status: 500, reason: 'Server Internal Error', warning: 'Group document unavailable' };
    return [fetch, ...rejected(rejection, 'INV-9')];
  }
  const group = answer.group;
  const may = permissionsFor(group, { address: invite.authenticatedOriginator, anonymityRequested: invite.anonymityRequested });
  if (!may.allowInitiateConference) return [fetch, ...forbidden];
  if (!supportsLargeMessageMode(group)) return [fetch, ...rejected({ status: 404, reason: 'Not Found' }, 'INV-2')];
  const userAgent = invite.userAgent;
  if (policy.requiredUserAgents !== null && !(userAgent !== null && policy.requiredUserAgents.some((v) => userAgent.startsWith(v)))) {
    return [fetch, ...rejected({ status: 403, reason: 'Forbidden', errorInfo: policy.errorInfoUri }, 'INV-4')];
  }
  if (invite.anonymityRequested && !may.allowAnonymity) {
    return [fetch, ...rejected({ status: 403, reason: 'Forbidden', warning: 'Anonymity not allowed' }, 'INV-5')];
  }
  if (invite.sessionExpires !== null) {
    const floor = Math.max(90, policy.minSessionExpires, invite.minSe ?? 90);
    if (invite.sessionExpires.interval < floor) {
      return [fetch, ...rejected({ status: 422, reason: 'Session Interval Too Small', minSe: floor }, 'INV-6')];
    }
  }
  if (invite.offer === null) {
    return [fetch, ...rejected({ status: 488, reason: 'Not Acceptable Here', warning: 'No MSRP media offered' }, null)];
  }
  const open: CfEffect = { type: 'focus.open', groupUri: invite.groupUri };
  const others = new Set(group.members.map((m) => canonicalAddress(m.uri)));
  others.delete(canonicalAddress(invite.authenticatedOriginator));
  if (others.size === 0) {
    return [fetch, open, ...rejected({ status: 480, reason: 'Temporarily Unavailable', warning: 'No member to invite' }, 'INV-10')];
  }
  return [fetch, open];
}
