/**
 * A CPM Pre-defined Group as the machines see it: the data of its Shared Group XDM document
 * (OMA-TS-XDM_Shared_Group), already parsed. Parsing XML is the runtime's job
 * (`runtime/xdm/`); deciding what the document permits is the specification's, so it lives here.
 */

/** The ICSI a group must list in `<supported-services>` to take Large Message Mode (READING.md). */
export const CPM_LARGE_MESSAGE_ICSI = 'urn:urn-7:3gpp-service.ims.icsi.oma.cpm.largemsg';

export interface GroupMember {
  uri: string;
  displayName?: string;
}

/** RFC 4745 §7.1 `<identity>`: `<one id>` and `<many domain>` with `<except>`s. */
export interface IdentityCondition {
  one: string[];
  many: { domain?: string; except: { id?: string; domain?: string }[] }[];
}

export interface RuleConditions {
  identity?: IdentityCondition;
  /** OMA common policy `<is-list-member/>`: the requester is one of the group's members. */
  isListMember?: boolean;
  /** OMA common policy `<other-identity/>`: no other rule's identity condition names the requester. */
  otherIdentity?: boolean;
  /** OMA common policy `<anonymous-request/>`: the request asks for anonymity. */
  anonymousRequest?: boolean;
}

export interface RuleActions {
  allowInitiateConference?: boolean;
  allowAnonymity?: boolean;
}

export interface PolicyRule {
  id: string;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface GroupDocument {
  uri: string;
  displayName?: string;
  members: GroupMember[];
  maxParticipantCount?: number;
  /** `enabler` of every `<service>` in `<supported-services>`. */
  supportedServices: string[];
  rules: PolicyRule[];
}

export interface Permissions {
  allowInitiateConference: boolean;
  allowAnonymity: boolean;
}

export interface Requester {
  /** The Authenticated Originator's CPM Address, normalised by `canonicalAddress`. */
  address: string;
  anonymityRequested: boolean;
}

/**
 * The comparison key of a SIP or tel URI for policy and membership: scheme and user@host
 * lower-cased, parameters and headers dropped (RFC 3261 §19.1.4 compares user parts
 * case-sensitively, but operators provision addresses in any case, and a group must not admit
 * `sip:Bob@x` while refusing `sip:bob@x`).
 */
export function canonicalAddress(uri: string): string {
  const trimmed = uri.trim().replace(/^<|>$/g, '');
  const withoutParams = trimmed.split(/[;?]/, 1)[0] ?? trimmed;
  return withoutParams.toLowerCase().replace(/^sips:/, 'sip:');
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).replace(/:\d+$/, '');
}

export function isMember(group: GroupDocument, address: string): boolean {
  const key = canonicalAddress(address);
  return group.members.some((m) => canonicalAddress(m.uri) === key);
}

function identityMatches(identity: IdentityCondition, address: string): boolean {
  if (identity.one.some((id) => canonicalAddress(id) === address)) return true;
  const domain = domainOf(address);
  return identity.many.some(
    (many) =>
      (many.domain === undefined || many.domain.toLowerCase() === domain) &&
      !many.except.some(
        (e) =>
          (e.id !== undefined && canonicalAddress(e.id) === address) ||
          (e.domain !== undefined && e.domain.toLowerCase() === domain),
      ),
  );
}

function ruleMatches(rule: PolicyRule, group: GroupDocument, requester: Requester): boolean {
  const c = rule.conditions;
  // RFC 4745 §7: every condition present must hold; a rule with no conditions always matches.
  if (c.identity && !identityMatches(c.identity, requester.address)) return false;
  if (c.isListMember && !isMember(group, requester.address)) return false;
  if (c.anonymousRequest && !requester.anonymityRequested) return false;
  if (c.otherIdentity) {
    const namedElsewhere = group.rules.some(
      (r) => r !== rule && r.conditions.identity && identityMatches(r.conditions.identity, requester.address),
    );
    if (namedElsewhere) return false;
  }
  return true;
}

/**
 * RFC 4745 §10: the permissions of all matching rules combine; for boolean actions the most
 * permissive value wins (true over false), and an action no matching rule mentions is false.
 */
export function permissionsFor(group: GroupDocument, requester: Requester): Permissions {
  const address = canonicalAddress(requester.address);
  const who = { ...requester, address };
  const matching = group.rules.filter((r) => ruleMatches(r, group, who));
  return {
    allowInitiateConference: matching.some((r) => r.actions.allowInitiateConference === true),
    allowAnonymity: matching.some((r) => r.actions.allowAnonymity === true),
  };
}

export function supportsLargeMessageMode(group: GroupDocument): boolean {
  return group.supportedServices.includes(CPM_LARGE_MESSAGE_ICSI);
}
