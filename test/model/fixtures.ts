/**
 * The world the model-based paths run in: one CF policy, one focus, the MSRP media of offers and
 * answers, and the group documents the INVITE block is shown. Shared by the tests, the conformance
 * report and the generated call flows, so all three speak of the same paths.
 */
import { CPM_LARGE_MESSAGE_ICSI, type GroupDocument } from '../../machines/group.ts';
import type { CfPolicy, FocusMedia, InviteSummary, MsrpMedia } from '../../machines/types.ts';

export const policy: CfPolicy = {
  server: 'CPM-serv/OMA1.0',
  allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'UPDATE'],
  focusUri: 'sip:cf@cf.cpm.example.net',
  requiredUserAgents: ['CPM-client/OMA1.0'],
  errorInfoUri: 'https://cf.cpm.example.net/errors/user-agent',
  minSessionExpires: 90,
  maxSessionExpires: 3600,
  timers: { noAnswerMs: 60_000, cancelMs: 32_000, ackMs: 32_000, drainMs: 30_000 },
};

/** The same CF with no User-Agent requirement (INV-4's "if" not met). */
export const policyWithoutUserAgentRequirement: CfPolicy = { ...policy, requiredUserAgents: null };

export const focus: FocusMedia = { authority: 'msrp://cf.cpm.example.net:2855', sessionId: 'u8Qz1kPvR2mXh5Tn0aYc' };

export function msrpMedia(path: string, setup: MsrpMedia['setup'] = null): MsrpMedia {
  return {
    path: [path],
    acceptTypes: ['message/cpim', 'application/octet-stream'],
    acceptWrappedTypes: ['*'],
    maxSize: 1_073_741_824,
    setup,
    otherAttributes: ['file-selector:name:"report.pdf" type:application/pdf size:52428800'],
  };
}

export const originatorOffer = msrpMedia('msrp://client.example.net:7777/o1x;tcp');

export const addresses = {
  alice: 'sip:alice@cpm.example.net',
  bob: 'sip:bob@cpm.example.net',
  carol: 'sip:carol@cpm.example.net',
  dave: 'sip:dave@cpm.example.net',
  stranger: 'sip:mallory@elsewhere.example.org',
} as const;

export const groupUri = 'sip:friends@cpm.example.net';

function group(overrides: Partial<GroupDocument>): GroupDocument {
  return {
    uri: groupUri,
    displayName: 'Friends',
    members: [
      { uri: addresses.alice },
      { uri: addresses.bob },
      { uri: addresses.carol },
      { uri: addresses.dave },
    ],
    supportedServices: [CPM_LARGE_MESSAGE_ICSI],
    rules: [
      { id: 'members', conditions: { isListMember: true }, actions: { allowInitiateConference: true, allowAnonymity: false } },
      { id: 'alice-anonymous', conditions: { identity: { one: [addresses.alice], many: [] } }, actions: { allowInitiateConference: true, allowAnonymity: true } },
    ],
    ...overrides,
  };
}

/** The documents the INVITE block may be shown, by what they exercise. */
export const groups = {
  /** Alice, Bob, Carol, Dave: any member may send; only Alice anonymously. */
  friends: group({}),
  /** A group that lists only the CPM standalone-message ICSI, not Large Message Mode (INV-2). */
  noCpm: group({ supportedServices: ['urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg'] }),
  /** Only the originator and a duplicate of it: nobody else to invite (open questions 7 and 14). */
  onlyOriginator: group({ members: [{ uri: addresses.bob }, { uri: 'sip:BOB@cpm.example.net;transport=tcp' }] }),
};

export function invite(overrides: Partial<InviteSummary> = {}): InviteSummary {
  return {
    groupUri,
    authenticatedOriginator: addresses.bob,
    userAgent: 'CPM-client/OMA1.0 demo',
    anonymityRequested: false,
    sessionExpires: null,
    minSe: null,
    supportsTimer: true,
    offer: originatorOffer,
    ...overrides,
  };
}
