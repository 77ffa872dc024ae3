/**
 * The CF's SIP read back as the effects the machines name: its final response to the originator's
 * INVITE (`originator.accept`, `originator.reject`), its answer to a refresh, and its INVITE to a
 * member (`member.invite`). Each field is read from the header that carries it; the requirement a
 * rejection realises is not on the wire, but every rejection the CR prescribes is told apart by its
 * Warning text, its Error-Info or its status, so the requirement is looked up from those.
 */
import { canonicalAddress } from '../../machines/group.ts';
import type { CfEffect, FocusAnswer, Rejection } from '../../machines/effects.ts';
import type { RequirementId } from '../../machines/requirements.ts';
import type { LegIndex, MsrpMedia, SessionTimer } from '../../machines/types.ts';
import { parseMsrpSdp } from '../../runtime/sdp.ts';
import { parseMinSE, parseSessionExpires } from '../../runtime/sip/headers/session-expires.ts';
import { parseWarning } from '../../runtime/sip/headers/warning.ts';
import { getHeader, getHeaderValues, splitCommaList, type SipRequest, type SipResponse } from '../../runtime/sip/message.ts';
import { uriOf } from '../../test/support/wire-messages.ts';

const REQUIREMENT_OF_WARNING: Readonly<Record<string, RequirementId>> = {
  'Service not authorised': 'INV-1',
  'Anonymity not allowed': 'INV-5',
  'Group document unavailable': 'INV-9',
  'No member to invite': 'INV-10',
  'No member accepted': 'INV-10',
};

/** Open question 13: the From the CF gives a member when the originator stays anonymous. */
const ANONYMOUS_HOST = 'anonymous.invalid';

function requirementOf(rejection: Rejection): RequirementId | null {
  if (rejection.warning !== undefined) return REQUIREMENT_OF_WARNING[rejection.warning] ?? null;
  if (rejection.errorInfo !== undefined) return 'INV-4';
  return rejection.status === 404 ? 'INV-2' : rejection.status === 422 ? 'INV-6' : null;
}

function rejectionOf(response: SipResponse): Rejection {
  const warning = parseWarning(getHeader(response, 'warning') ?? '');
  const errorInfo = uriOf(getHeader(response, 'error-info'));
  const minSe = parseMinSE(getHeader(response, 'min-se') ?? '');
  const retryAfter = /^\d+/.exec(getHeader(response, 'retry-after') ?? '')?.[0];
  return {
    status: response.status,
    reason: response.reason,
    ...(warning.ok && warning.value[0] !== undefined ? { warning: warning.value[0].text } : {}),
    ...(errorInfo === '' ? {} : { errorInfo }),
    ...(minSe.ok ? { minSe: minSe.value.deltaSeconds } : {}),
    ...(retryAfter === undefined ? {} : { retryAfter: Number(retryAfter) }),
  };
}

/** RFC 4028 §9: the session timer a 2xx settles, with its refresher. */
export function sessionTimerOf(response: SipResponse): SessionTimer | null {
  const parsed = parseSessionExpires(getHeader(response, 'session-expires') ?? '');
  return parsed.ok && parsed.value.refresher !== null ? { interval: parsed.value.deltaSeconds, refresher: parsed.value.refresher } : null;
}

/** The MSRP media of a body, or none (an empty description) when it carries no MSRP offer or answer. */
export function msrpMediaOf(body: Buffer): MsrpMedia {
  const parsed = body.length === 0 ? undefined : parseMsrpSdp(body);
  return parsed?.ok === true && parsed.media !== null
    ? parsed.media
    : { path: [], acceptTypes: [], acceptWrappedTypes: [], maxSize: null, setup: null, otherAttributes: [] };
}

function focusAnswerOf(ok: SipResponse): FocusAnswer {
  const contact = getHeader(ok, 'contact') ?? '';
  return {
    answer: msrpMediaOf(ok.body),
    server: getHeader(ok, 'server') ?? '',
    allow: splitCommaList(getHeader(ok, 'allow') ?? ''),
    contact: { uri: uriOf(contact), isfocus: /;\s*isfocus/i.test(contact) },
    sessionTimer: sessionTimerOf(ok),
    requireTimer: getHeaderValues(ok, 'require').some((tag) => tag.toLowerCase() === 'timer'),
  };
}

/** The effect a final response to the originator's INVITE is. */
export function finalResponseEffect(response: SipResponse): CfEffect {
  if (response.status < 300) return { type: 'originator.accept', response: focusAnswerOf(response) };
  const rejection = rejectionOf(response);
  return { type: 'originator.reject', rejection, requirement: requirementOf(rejection) };
}

/** The effect the CF's INVITE to member `leg` is: whom it invites, whom it names as the originator, its offer. */
export function memberInviteEffect(invite: SipRequest, leg: LegIndex): CfEffect {
  const from = uriOf(getHeader(invite, 'from'));
  return {
    type: 'member.invite',
    leg,
    member: { uri: uriOf(getHeader(invite, 'to')) },
    originator: from.endsWith(`@${ANONYMOUS_HOST}`) ? null : from,
    groupUri: uriOf(getHeader(invite, 'p-asserted-identity')),
    offer: msrpMediaOf(invite.body),
  };
}

/** The leg of a member address in the list the CF invites (`membersToInvite`), compared as RFC 3261 §19.1.4 addresses. */
export function legOfMember(address: string, members: readonly string[]): LegIndex {
  const key = canonicalAddress(address);
  return members.findIndex((member) => canonicalAddress(member) === key);
}
