/**
 * The sessions a run starts from: an originator's INVITE, the CF's policy and the XDMS's answer,
 * generated as a combination of the INVITE block's checks (INV-1, INV-2, INV-4, INV-5, INV-6, the
 * MSRP offer, INV-9/INV-10's members), each of which may fail alone or together with others.
 */
import fc from 'fast-check';
import { CPM_LARGE_MESSAGE_ICSI } from '../../machines/group.ts';
import type { ReportRequest } from '../../machines/msrp-send.ts';
import type { InviteSummary, MsrpMedia } from '../../machines/types.ts';
import { addresses, groups, invite, originatorOffer, policy, policyWithoutUserAgentRequirement } from '../../test/model/fixtures.ts';
import type { XdmsAnswer } from './world-actions.ts';
import type { Scenario } from './world.ts';

/** Addresses a group may list besides Bob: the fixtures' people, a duplicate of Bob's and a non-CPM tel: URI (open question 14). */
const memberPool = [addresses.alice, addresses.carol, addresses.dave, 'sip:BOB@cpm.example.net;transport=tcp', 'tel:+15551234567'];

const mostly = (freq: number) => fc.oneof({ weight: freq, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });

/** Members in document order; Bob, the usual originator, is mostly one of them (else INV-1 refuses him). */
const membersArb = fc
  .tuple(mostly(6), fc.subarray(memberPool))
  .map(([withBob, others]) => [...(withBob ? [addresses.bob] : []), ...others].map((uri) => ({ uri })));

const groupArb = (members: fc.Arbitrary<{ uri: string }[]>, supportsCpm: fc.Arbitrary<boolean>) =>
  fc.record({ members, supportsCpm }).map(({ members, supportsCpm }) => ({
    ...groups.friends,
    members,
    supportedServices: supportsCpm ? [CPM_LARGE_MESSAGE_ICSI] : ['urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg'],
  }));

const xdmsArb = (found: fc.Arbitrary<XdmsAnswer>): fc.Arbitrary<XdmsAnswer> =>
  fc.oneof(
    { weight: 8, arbitrary: found },
    { weight: 1, arbitrary: fc.constant<XdmsAnswer>({ kind: 'notFound' }) },
    {
      weight: 1,
      arbitrary: fc.record({ status: fc.constantFrom<500 | 503>(500, 503), retryAfter: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: null }) })
        .map(({ status, retryAfter }): XdmsAnswer => ({ kind: 'unavailable', status, retryAfter })),
    },
  );

const sessionExpiresArb: fc.Arbitrary<InviteSummary['sessionExpires']> = fc.option(
  fc.record({ interval: fc.constantFrom(60, 89, 90, 1800, 7200), refresher: fc.constantFrom(null, 'uac' as const, 'uas' as const) }),
  { nil: null, freq: 2 },
);

const minSeArb = fc.option(fc.constantFrom(90, 120, 2000), { nil: null, freq: 3 });

const offerArb = (present: fc.Arbitrary<boolean>): fc.Arbitrary<MsrpMedia | null> =>
  fc.record({ present, setup: fc.constantFrom<MsrpMedia['setup']>(null, 'passive', 'actpass') })
    .map(({ present, setup }) => (present ? { ...originatorOffer, setup } : null));

const reportsArb = fc.record({ successReport: fc.boolean(), failureReport: fc.constantFrom<ReportRequest>('yes', 'no', 'partial') });

interface Knobs {
  originator: fc.Arbitrary<string>;
  authenticated: fc.Arbitrary<boolean>;
  userAgent: fc.Arbitrary<string | null>;
  requireUserAgent: fc.Arbitrary<boolean>;
  anonymityRequested: fc.Arbitrary<boolean>;
  offerPresent: fc.Arbitrary<boolean>;
  sessionExpires: fc.Arbitrary<InviteSummary['sessionExpires']>;
  minSe: fc.Arbitrary<number | null>;
  xdms: fc.Arbitrary<XdmsAnswer>;
}

function scenarioArb(knobs: Knobs): fc.Arbitrary<Scenario> {
  return fc
    .record({
      originator: knobs.originator,
      authenticated: knobs.authenticated,
      userAgent: knobs.userAgent,
      requireUserAgent: knobs.requireUserAgent,
      anonymityRequested: knobs.anonymityRequested,
      sessionExpires: knobs.sessionExpires,
      minSe: knobs.minSe,
      supportsTimer: fc.boolean(),
      offer: offerArb(knobs.offerPresent),
      xdms: knobs.xdms,
      reports: reportsArb,
    })
    .map((k) => ({
      policy: k.requireUserAgent ? policy : policyWithoutUserAgentRequirement,
      invite: invite({
        authenticatedOriginator: k.authenticated ? k.originator : null,
        userAgent: k.userAgent,
        anonymityRequested: k.anonymityRequested,
        sessionExpires: k.sessionExpires,
        minSe: k.minSe,
        supportsTimer: k.supportsTimer,
        offer: k.offer,
      }),
      xdms: k.xdms,
      reports: k.reports,
    }));
}

/** Any combination of passing and failing checks (invariant 1 needs them all). */
export const anyScenario: fc.Arbitrary<Scenario> = scenarioArb({
  // Bob and Alice are members; Mallory is authorized by no rule (INV-1).
  originator: fc.oneof(
    { weight: 6, arbitrary: fc.constant(addresses.bob) },
    { weight: 2, arbitrary: fc.constant(addresses.alice) },
    { weight: 1, arbitrary: fc.constant(addresses.stranger) },
  ),
  authenticated: mostly(8),
  userAgent: fc.constantFrom('CPM-client/OMA1.0 demo', 'CPM-client/OMA0.9', null),
  requireUserAgent: fc.boolean(),
  anonymityRequested: mostly(1).map((b) => !b),
  offerPresent: mostly(10),
  sessionExpires: sessionExpiresArb,
  minSe: minSeArb,
  xdms: xdmsArb(groupArb(membersArb, mostly(8)).map((group): XdmsAnswer => ({ kind: 'found', group }))),
});

const admittedGroup = groupArb(
  fc.subarray([addresses.alice, addresses.carol, addresses.dave, 'tel:+15551234567'], { minLength: 1 }).map((uris) => [{ uri: addresses.bob }, ...uris.map((uri) => ({ uri }))]),
  fc.constant(true),
);

/** Sessions every check admits, with one to four members to invite (invariants 2, 3, 5 and 6 need legs). */
export const admittedScenario: fc.Arbitrary<Scenario> = scenarioArb({
  originator: fc.constant(addresses.bob),
  authenticated: fc.constant(true),
  userAgent: fc.constant('CPM-client/OMA1.0 demo'),
  requireUserAgent: fc.boolean(),
  anonymityRequested: fc.constant(false),
  offerPresent: fc.constant(true),
  sessionExpires: fc.option(fc.record({ interval: fc.constantFrom(90, 1800), refresher: fc.constantFrom(null, 'uac' as const, 'uas' as const) }), { nil: null }),
  minSe: fc.constant(null),
  xdms: admittedGroup.map((group): XdmsAnswer => ({ kind: 'found', group })),
});

/** Alice, whom the group lets send anonymously, asking to (invariant 4); the other checks vary. */
export const anonymousScenario: fc.Arbitrary<Scenario> = scenarioArb({
  originator: fc.constant(addresses.alice),
  authenticated: fc.constant(true),
  userAgent: fc.constantFrom('CPM-client/OMA1.0 demo', null),
  requireUserAgent: mostly(1).map((b) => !b),
  anonymityRequested: fc.constant(true),
  offerPresent: mostly(10),
  sessionExpires: sessionExpiresArb,
  minSe: minSeArb,
  xdms: xdmsArb(groupArb(membersArb.filter((m) => m.length > 1), mostly(10)).map((group): XdmsAnswer => ({ kind: 'found', group }))),
});
