/**
 * The INVITE block's test model: every combination of the conditions its guards read, so that the
 * generated paths reach every branch of INV-1 … INV-10 (and every branch under each).
 */
import type { SnapshotFrom } from 'xstate';
import { inviteMachine, type InviteEvent } from '../../machines/invite.ts';
import type { InviteSummary } from '../../machines/types.ts';
import { addresses, groups, invite, originatorOffer, policy, policyWithoutUserAgentRequirement } from './fixtures.ts';
import type { MachineModel } from './model.ts';
import { expectedInviteEffects } from './invite-oracle.ts';

const originators = [null, addresses.alice, addresses.bob, addresses.stranger];
const userAgents = ['CPM-client/OMA1.0 demo', 'OldClient/0.9'];
const sessionExpiries: InviteSummary['sessionExpires'][] = [null, { interval: 1800, refresher: null }, { interval: 60, refresher: 'uac' }];

export const inviteVariants: InviteSummary[] = originators.flatMap((authenticatedOriginator) =>
  userAgents.flatMap((userAgent) =>
    [false, true].flatMap((anonymityRequested) =>
      sessionExpiries.flatMap((sessionExpires) =>
        [originatorOffer, null].map((offer) => invite({ authenticatedOriginator, userAgent, anonymityRequested, sessionExpires, offer })),
      ),
    ),
  ),
);

export const groupAnswers: Exclude<InviteEvent, { type: 'INVITE' }>[] = [
  { type: 'GROUP_DOCUMENT_FOUND', group: groups.friends },
  { type: 'GROUP_DOCUMENT_FOUND', group: groups.noCpm },
  { type: 'GROUP_DOCUMENT_FOUND', group: groups.onlyOriginator },
  { type: 'GROUP_DOCUMENT_NOT_FOUND' },
  { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 503, retryAfter: 30 },
  { type: 'GROUP_DOCUMENT_UNAVAILABLE', status: 500, retryAfter: null },
  { type: 'CANCEL' },
  { type: 'SHUTDOWN' },
];

type Snapshot = SnapshotFrom<typeof inviteMachine>;

export const inviteModel: MachineModel<typeof inviteMachine> = {
  name: 'invite',
  machine: inviteMachine,
  inputs: [
    { label: 'User-Agent version required', input: { policy } },
    { label: 'no User-Agent requirement', input: { policy: policyWithoutUserAgentRequirement } },
  ],
  events: (snapshot: Snapshot) => {
    if (snapshot.matches('awaitingInvite')) return inviteVariants.map((i) => ({ type: 'INVITE' as const, invite: i }));
    if (snapshot.matches('fetchingGroupDocument')) return groupAnswers;
    return [];
  },
  // Every combination of request and document is a state of its own, so each gets its path.
  abstractContext: (snapshot: Snapshot) => ({ invite: snapshot.context.invite, group: snapshot.context.group?.supportedServices.length ?? null, members: snapshot.context.group?.members.length ?? null }),
  expectedEffects: (events, input) => {
    const inviteEvent = events.find((e) => e.type === 'INVITE');
    if (!inviteEvent || inviteEvent.type !== 'INVITE') return [];
    const answer = events.find((e) => e.type !== 'INVITE') as Exclude<InviteEvent, { type: 'INVITE' }> | undefined;
    return expectedInviteEffects((inviteEvent as Extract<InviteEvent, { type: 'INVITE' }>).invite, answer, input.policy);
  },
};
