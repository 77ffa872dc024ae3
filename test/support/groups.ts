/** Shared Group XDM documents written for a test's members, in the shape of `examples/groups/`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CPM_LARGE_MESSAGE_ICSI, type GroupDocument, type IdentityCondition, type PolicyRule } from '../../machines/group.ts';

export interface GroupSpec {
  readonly uri: string;
  readonly members: readonly string[];
  /** Identities allowed to initiate besides the members; the demo sender by default. */
  readonly initiators?: readonly string[];
  readonly anonymity?: boolean;
  /** `<supported-services>`; Large Message Mode by default. */
  readonly services?: readonly string[];
}

export const SENDER = 'sip:sender@127.0.0.1';

/** The document a spec describes: members may initiate, and so may the initiators. */
export function groupOf(spec: GroupSpec): GroupDocument {
  const actions = { allowInitiateConference: true, allowAnonymity: spec.anonymity ?? false };
  return {
    uri: spec.uri,
    members: spec.members.map((uri) => ({ uri })),
    supportedServices: [...(spec.services ?? [CPM_LARGE_MESSAGE_ICSI])],
    rules: [
      { id: 'members', conditions: { isListMember: true }, actions },
      { id: 'initiators', conditions: { identity: { one: [...(spec.initiators ?? [SENDER])], many: [] } }, actions },
    ],
  };
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}

function identityXml(identity: IdentityCondition): string {
  const one = identity.one.map((id) => `<cp:one id="${escapeXml(id)}"/>`);
  const many = identity.many.map((m) => {
    const domain = m.domain === undefined ? '' : ` domain="${escapeXml(m.domain)}"`;
    const except = m.except.map((e) => `<cp:except${e.id === undefined ? '' : ` id="${escapeXml(e.id)}"`}${e.domain === undefined ? '' : ` domain="${escapeXml(e.domain)}"`}/>`);
    return `<cp:many${domain}>${except.join('')}</cp:many>`;
  });
  return `<cp:identity>${[...one, ...many].join('')}</cp:identity>`;
}

function ruleXml(rule: PolicyRule): string {
  const c = rule.conditions;
  const conditions = [
    c.identity === undefined ? '' : identityXml(c.identity),
    c.isListMember === true ? '<ocp:is-list-member/>' : '',
    c.otherIdentity === true ? '<ocp:other-identity/>' : '',
    c.anonymousRequest === true ? '<ocp:anonymous-request/>' : '',
  ].join('');
  const a = rule.actions;
  const actions = [
    a.allowInitiateConference === undefined ? '' : `<allow-initiate-conference>${a.allowInitiateConference}</allow-initiate-conference>`,
    a.allowAnonymity === undefined ? '' : `<allow-anonymity>${a.allowAnonymity}</allow-anonymity>`,
  ].join('');
  return `<cp:rule id="${escapeXml(rule.id)}"><cp:conditions>${conditions}</cp:conditions><cp:actions>${actions}</cp:actions></cp:rule>`;
}

/** The Shared Group XDM document (the format of `examples/groups/`) of a `GroupDocument`. */
export function groupXml(group: GroupDocument): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:ocp="urn:oma:xml:xdm:common-policy" xmlns:oxe="urn:oma:xml:xdm:extensions">
  <list-service uri="${escapeXml(group.uri)}">
    <list>
${group.members.map((m) => `      <entry uri="${escapeXml(m.uri)}"/>`).join('\n')}
    </list>
    <cp:ruleset>
${group.rules.map((rule) => `      ${ruleXml(rule)}`).join('\n')}
    </cp:ruleset>
    <oxe:supported-services>
${group.supportedServices.map((s) => `      <oxe:service enabler="${escapeXml(s)}"/>`).join('\n')}
    </oxe:supported-services>
  </list-service>
</group>
`;
}

/** A fresh directory holding one document per group. */
export function writeGroups(specs: readonly GroupSpec[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cpm-cf-groups-'));
  specs.forEach((spec, i) => writeFileSync(join(dir, `group-${i}.xml`), groupXml(groupOf(spec))));
  return dir;
}
