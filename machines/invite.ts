/**
 * "Upon receiving an initial SIP INVITE request, the CPM Controlling Function: …" — steps 1 to 10
 * of the CR (INV-1 … INV-10), in the CR's order. Every check is a guarded transition: the passing
 * branch continues, the rejecting branch ends in a state whose entry sends exactly the answer the CR
 * names. The block ends with the members to invite, handed to the session.
 */
import { assign, emit, setup } from 'xstate';
import { realises, follows, type CfEffect, type Rejection } from './effects.ts';
import { permissionsFor, supportsLargeMessageMode, type GroupDocument, type GroupMember } from './group.ts';
import { membersToInvite } from './members.ts';
import { decideSessionTimer, type SessionTimerDecision } from './session-timer.ts';
import type { RequirementId } from './requirements.ts';
import type { CfPolicy, InviteSummary } from './types.ts';

export type InviteEvent =
  | { type: 'INVITE'; invite: InviteSummary }
  | { type: 'GROUP_DOCUMENT_FOUND'; group: GroupDocument }
  | { type: 'GROUP_DOCUMENT_NOT_FOUND' }
  | { type: 'GROUP_DOCUMENT_UNAVAILABLE'; status: 500 | 503; retryAfter: number | null }
  | { type: 'CANCEL' }
  /** The CF is stopping (SIGTERM): no new session may start. */
  | { type: 'SHUTDOWN' };

export interface InviteContext {
  policy: CfPolicy;
  invite: InviteSummary | null;
  group: GroupDocument | null;
  sessionTimer: SessionTimerDecision;
  members: GroupMember[];
  unavailable: { status: 500 | 503; retryAfter: number | null } | null;
}

export type InviteOutput =
  | {
      outcome: 'proceed';
      invite: InviteSummary;
      group: GroupDocument;
      members: GroupMember[];
      sessionTimer: SessionTimerDecision;
    }
  | { outcome: 'rejected' };

/** The originator's identity as the INVITE carries it; the machine only runs after `INVITE`. */
function inviteOf(context: InviteContext): InviteSummary {
  if (context.invite === null) throw new Error('invite machine: a check ran before the INVITE arrived');
  return context.invite;
}

function groupOf(context: InviteContext): GroupDocument {
  if (context.group === null) throw new Error('invite machine: a group check ran before the document arrived');
  return context.group;
}

function permissions(context: InviteContext) {
  const invite = inviteOf(context);
  return permissionsFor(groupOf(context), {
    address: invite.authenticatedOriginator ?? '',
    anonymityRequested: invite.anonymityRequested,
  });
}

function rejectionOf(rejection: Rejection, requirement: RequirementId | null): CfEffect {
  return { type: 'originator.reject', rejection, requirement };
}

export const inviteMachine = setup({
  types: {
    context: {} as InviteContext,
    events: {} as InviteEvent,
    input: {} as { policy: CfPolicy },
    output: {} as InviteOutput,
    emitted: {} as CfEffect,
  },
  guards: {
    originatorIsAuthenticated: ({ context }) => inviteOf(context).authenticatedOriginator !== null,
    originatorIsAuthorized: ({ context }) => permissions(context).allowInitiateConference,
    groupSupportsTheCpmService: ({ context }) => supportsLargeMessageMode(groupOf(context)),
    noUserAgentVersionIsRequired: ({ context }) => context.policy.requiredUserAgents === null,
    userAgentVersionIsSupported: ({ context }) => {
      const userAgent = inviteOf(context).userAgent;
      return userAgent !== null && (context.policy.requiredUserAgents ?? []).some((v) => userAgent.startsWith(v));
    },
    anonymityIsNotRequested: ({ context }) => !inviteOf(context).anonymityRequested,
    anonymityIsAllowed: ({ context }) => permissions(context).allowAnonymity,
    sessionIntervalIsTooSmall: ({ context }) => context.sessionTimer.kind === 'tooSmall',
    offerCarriesMsrpMedia: ({ context }) => inviteOf(context).offer !== null,
    groupHasMembersToInvite: ({ context }) => context.members.length > 0,
  },
  actions: {
    recordInvite: assign({
      invite: ({ event }) => (event.type === 'INVITE' ? event.invite : null),
    }),
    fetchGroupDocument: emit(({ context }) => ({
      type: 'xdm.fetchGroupDocument' as const,
      groupUri: inviteOf(context).groupUri,
    })),
    recordGroupDocument: assign({
      group: ({ event }) => (event.type === 'GROUP_DOCUMENT_FOUND' ? event.group : null),
    }),
    recordUnavailability: assign({
      unavailable: ({ event }) =>
        event.type === 'GROUP_DOCUMENT_UNAVAILABLE' ? { status: event.status, retryAfter: event.retryAfter } : null,
    }),
    settleSessionTimer: assign({
      sessionTimer: ({ context }) => decideSessionTimer(inviteOf(context), context.policy),
    }),
    openConferenceFocus: emit(({ context }) => ({ type: 'focus.open' as const, groupUri: inviteOf(context).groupUri })),
    takeMembersFromGroupDocument: assign({
      members: ({ context }) => membersToInvite(groupOf(context), inviteOf(context).authenticatedOriginator),
    }),
    respondServiceNotAuthorised: emit(() => rejectionOf({ status: 403, reason: 'Forbidden', warning: 'Service not authorised' }, 'INV-1')),
    respondNotFound: emit(() => rejectionOf({ status: 404, reason: 'Not Found' }, 'INV-2')),
    respondUserAgentNotSupported: emit(({ context }) => ({
      type: 'originator.reject' as const,
      rejection: { status: 403, reason: 'Forbidden', errorInfo: context.policy.errorInfoUri },
      requirement: 'INV-4' as const,
    })),
    respondAnonymityNotAllowed: emit(() => rejectionOf({ status: 403, reason: 'Forbidden', warning: 'Anonymity not allowed' }, 'INV-5')),
    respondSessionIntervalTooSmall: emit(({ context }) => ({
      type: 'originator.reject' as const,
      rejection: {
        status: 422,
        reason: 'Session Interval Too Small',
        minSe: context.sessionTimer.kind === 'tooSmall' ? context.sessionTimer.minSe : context.policy.minSessionExpires,
      },
      requirement: 'INV-6' as const,
    })),
    respondNotAcceptableHere: emit(() => rejectionOf({ status: 488, reason: 'Not Acceptable Here', warning: 'No MSRP media offered' }, null)),
    respondGroupDocumentUnavailable: emit(({ context }) => {
      const status = context.unavailable?.status ?? 500;
      const retryAfter = context.unavailable?.retryAfter ?? null;
      return {
        type: 'originator.reject' as const,
        rejection: {
          status,
          reason: status === 503 ? 'Service Unavailable' : 'Server Internal Error',
          warning: 'Group document unavailable',
          ...(status === 503 && retryAfter !== null ? { retryAfter } : {}),
        },
        requirement: 'INV-9' as const,
      };
    }),
    respondNoMemberToInvite: emit(() => rejectionOf({ status: 480, reason: 'Temporarily Unavailable', warning: 'No member to invite' }, 'INV-10')),
    respondRequestTerminated: emit(() => rejectionOf({ status: 487, reason: 'Request Terminated' }, null)),
    respondShuttingDown: emit(() => rejectionOf({ status: 503, reason: 'Service Unavailable', warning: 'CF shutting down' }, null)),
  },
}).createMachine({
  id: 'invite',
  description: 'Upon receiving an initial SIP INVITE request (CR 9.1.1.x, steps 1-10)',
  context: ({ input }) => ({
    policy: input.policy,
    invite: null,
    group: null,
    sessionTimer: { kind: 'none' },
    members: [],
    unavailable: null,
  }),
  initial: 'awaitingInvite',
  states: {
    awaitingInvite: {
      description: 'The session hands the block the initial INVITE.',
      on: { INVITE: { target: 'identifyingOriginator', actions: 'recordInvite' } },
    },
    identifyingOriginator: {
      description:
        "INV-1: the Authenticated Originator's CPM Address is the P-Asserted-Identity of a trusted hop (RFC 3325 §9.1); without one nobody can be authorized.",
      meta: realises('INV-1'),
      always: [
        { guard: 'originatorIsAuthenticated', target: 'fetchingGroupDocument', meta: realises('INV-1') },
        { target: 'rejectedAsNotAuthorised', meta: realises('INV-1') },
      ],
    },
    fetchingGroupDocument: {
      description:
        'One fetch of the Shared Group XDM document serves INV-1 (rules), INV-2 (supported services), INV-5 (anonymity) and INV-9 (members): open question 1.',
      meta: realises('INV-1', 'INV-2', 'INV-9'),
      entry: 'fetchGroupDocument',
      on: {
        GROUP_DOCUMENT_FOUND: { target: 'authorizingOriginator', actions: 'recordGroupDocument', meta: realises('INV-9') },
        // Open question 1: a group that does not exist authorizes nobody; answering 404 here would let
        // an unauthorized requester probe which groups exist.
        GROUP_DOCUMENT_NOT_FOUND: { target: 'rejectedAsNotAuthorised', meta: realises('INV-1') },
        GROUP_DOCUMENT_UNAVAILABLE: {
          target: 'failedGroupDocumentUnavailable',
          actions: 'recordUnavailability',
          meta: follows('RFC 3261 §21.5.4', 'INV-9'),
        },
        CANCEL: { target: 'cancelled', meta: follows('RFC 3261 §9.2') },
        SHUTDOWN: { target: 'refusedWhileShuttingDown', meta: follows('RFC 3261 §21.5.4') },
      },
    },
    authorizingOriginator: {
      description:
        "INV-1: the group's rules (RFC 4745 combining) must give the originator <allow-initiate-conference>.",
      meta: realises('INV-1'),
      always: [
        { guard: 'originatorIsAuthorized', target: 'checkingCpmSupport', meta: realises('INV-1') },
        { target: 'rejectedAsNotAuthorised', meta: realises('INV-1') },
      ],
    },
    checkingCpmSupport: {
      description: 'INV-2: <supported-services> must list the CPM Large Message Mode ICSI.',
      meta: realises('INV-2'),
      always: [
        { guard: 'groupSupportsTheCpmService', target: 'checkingUserAgent', meta: realises('INV-2') },
        { target: 'rejectedAsNotFound', meta: realises('INV-2') },
      ],
    },
    checkingUserAgent: {
      description: 'INV-4 (INV-3 is empty in the CR): a required User-Agent version must be supported.',
      meta: realises('INV-4'),
      always: [
        { guard: 'noUserAgentVersionIsRequired', target: 'checkingAnonymity', meta: realises('INV-4') },
        { guard: 'userAgentVersionIsSupported', target: 'checkingAnonymity', meta: realises('INV-4') },
        { target: 'rejectedUserAgent', meta: realises('INV-4') },
      ],
    },
    checkingAnonymity: {
      description: 'INV-5: requested anonymity (RFC 3323 privacy) must be allowed by <allow-anonymity>.',
      meta: realises('INV-5'),
      always: [
        { guard: 'anonymityIsNotRequested', target: 'handlingSessionExpires', meta: realises('INV-5') },
        { guard: 'anonymityIsAllowed', target: 'handlingSessionExpires', meta: realises('INV-5') },
        { target: 'rejectedAnonymity', meta: realises('INV-5') },
      ],
    },
    handlingSessionExpires: {
      description: 'INV-6: Session-Expires and Min-SE per RFC 4028 §9.',
      meta: follows('RFC 4028 §9', 'INV-6'),
      entry: 'settleSessionTimer',
      always: [
        { guard: 'sessionIntervalIsTooSmall', target: 'rejectedSessionIntervalTooSmall', meta: realises('INV-6') },
        { target: 'checkingMediaOffer', meta: realises('INV-6') },
      ],
    },
    checkingMediaOffer: {
      description:
        'Not a step of the CR: without MSRP media in the offer there is nothing to relay (RFC 3264 §6, RFC 3261 §21.4.26).',
      meta: follows('RFC 3261 §21.4.26'),
      always: [
        { guard: 'offerCarriesMsrpMedia', target: 'actingAsFocus', meta: follows('RFC 3264 §6') },
        { target: 'rejectedMediaNotAcceptable', meta: follows('RFC 3261 §21.4.26') },
      ],
    },
    actingAsFocus: {
      description:
        "INV-7 and INV-8: the CF becomes the session's conference focus (RFC 4353 §5.2) and a B2BUA (RFC 3261): it answers the originator itself and opens a dialog of its own per member.",
      meta: realises('INV-7', 'INV-8'),
      entry: 'openConferenceFocus',
      always: { target: 'retrievingMembers', meta: realises('INV-7', 'INV-8') },
    },
    retrievingMembers: {
      description: 'INV-9: the members of the fetched document, each once, without the originator (open question 14).',
      meta: realises('INV-9'),
      entry: 'takeMembersFromGroupDocument',
      always: [
        { guard: 'groupHasMembersToInvite', target: 'invitingMembers', meta: realises('INV-10') },
        { target: 'rejectedNoMemberToInvite', meta: follows('RFC 3261 §21.4.18', 'INV-10') },
      ],
    },
    invitingMembers: {
      description: 'INV-10: the session invites each member (TS 9.1.2.X) from the list this block hands over.',
      meta: realises('INV-10'),
      type: 'final',
    },
    rejectedAsNotAuthorised: {
      description: "INV-1: 403 Forbidden, Warning 'Service not authorised'.",
      meta: realises('INV-1'),
      entry: 'respondServiceNotAuthorised',
      type: 'final',
    },
    rejectedAsNotFound: {
      description: 'INV-2: 404 Not Found.',
      meta: realises('INV-2'),
      entry: 'respondNotFound',
      type: 'final',
    },
    rejectedUserAgent: {
      description: 'INV-4: 403 Forbidden with Error-Info.',
      meta: realises('INV-4'),
      entry: 'respondUserAgentNotSupported',
      type: 'final',
    },
    rejectedAnonymity: {
      description: "INV-5: 403 Forbidden, Warning 'Anonymity not allowed'.",
      meta: realises('INV-5'),
      entry: 'respondAnonymityNotAllowed',
      type: 'final',
    },
    rejectedSessionIntervalTooSmall: {
      description: 'INV-6: 422 Session Interval Too Small with Min-SE (RFC 4028 §9).',
      meta: follows('RFC 4028 §9', 'INV-6'),
      entry: 'respondSessionIntervalTooSmall',
      type: 'final',
    },
    rejectedMediaNotAcceptable: {
      description: '488 Not Acceptable Here: no MSRP media offered.',
      meta: follows('RFC 3261 §21.4.26'),
      entry: 'respondNotAcceptableHere',
      type: 'final',
    },
    failedGroupDocumentUnavailable: {
      description: 'The XDMS failed: 500, or 503 with Retry-After when it is only unavailable.',
      meta: follows('RFC 3261 §21.5.4', 'INV-9'),
      entry: 'respondGroupDocumentUnavailable',
      type: 'final',
    },
    rejectedNoMemberToInvite: {
      description: 'Open question 7: a group with nobody to invite answers 480 Temporarily Unavailable.',
      meta: follows('RFC 3261 §21.4.18', 'INV-10'),
      entry: 'respondNoMemberToInvite',
      type: 'final',
    },
    refusedWhileShuttingDown: {
      description: 'The CF stops before the request was checked: 503 Service Unavailable (RFC 3261 §21.5.4).',
      meta: follows('RFC 3261 §21.5.4'),
      entry: 'respondShuttingDown',
      type: 'final',
    },
    cancelled: {
      description: 'Open question 8: CANCEL while the document is fetched: 487 Request Terminated (RFC 3261 §9.2).',
      meta: follows('RFC 3261 §9.2'),
      entry: 'respondRequestTerminated',
      type: 'final',
    },
  },
  output: ({ context }): InviteOutput =>
    context.members.length > 0 && context.invite !== null && context.group !== null
      ? {
          outcome: 'proceed',
          invite: context.invite,
          group: context.group,
          members: context.members,
          sessionTimer: context.sessionTimer,
        }
      : { outcome: 'rejected' },
});
