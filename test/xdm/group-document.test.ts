import { describe, expect, it } from 'vitest';
import type { GroupDocument } from '../../machines/group.ts';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { fixture } from './support/fixtures.ts';

const SAMPLE: GroupDocument = {
  uri: 'sip:friends@cpm.example.net',
  displayName: 'Friends',
  members: [
    { uri: 'sip:alice@cpm.example.net', displayName: 'Alice' },
    { uri: 'sip:bob@cpm.example.net', displayName: 'Bob' },
    { uri: 'tel:+15551234567' },
  ],
  maxParticipantCount: 50,
  supportedServices: ['urn:urn-7:3gpp-service.ims.icsi.oma.cpm.largemsg', 'urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg'],
  rules: [
    {
      id: 'members',
      conditions: { isListMember: true },
      actions: { allowInitiateConference: true, allowAnonymity: false },
    },
    {
      id: 'alice-anonymous',
      conditions: { identity: { one: ['sip:alice@cpm.example.net'], many: [] } },
      actions: { allowInitiateConference: true, allowAnonymity: true },
    },
  ],
};

/** A minimal group around `inner` (the content of `<list-service>`), default namespace list-service. */
function group(inner: string, extraNamespaces = ''): string {
  return (
    `<group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy" ` +
    `xmlns:ocp="urn:oma:xml:xdm:common-policy" ${extraNamespaces}>` +
    `<list-service uri="sip:g@cpm.example.net">${inner}</list-service></group>`
  );
}

describe('parseGroupDocument on the spec sample (xdm/group-friends.xml)', () => {
  it('reads uri, display name, members, max-participant-count, services and rules exactly', async () => {
    expect(parseGroupDocument(await fixture('group-friends.xml'))).toStrictEqual(SAMPLE);
  });
});

describe('parseGroupDocument on members', () => {
  it('flattens nested <list>s in document order and keeps the first of duplicate members', () => {
    const doc = parseGroupDocument(
      group(
        '<list><entry uri="sip:a@x"/><list><display-name>Inner</display-name><entry uri="sip:b@x"/>' +
          '<entry uri="sip:A@X;transport=tcp"><display-name>Again</display-name></entry></list>' +
          '<entry uri="sip:c@x"/></list>',
      ),
    );
    expect(doc.members).toStrictEqual([{ uri: 'sip:a@x' }, { uri: 'sip:b@x' }, { uri: 'sip:c@x' }]);
  });

  it('accepts <list>/<entry> qualified with the RFC 4826 resource-lists namespace', () => {
    const doc = parseGroupDocument(
      group(
        '<rl:list><rl:entry uri="sip:a@x"><rl:display-name>A</rl:display-name></rl:entry></rl:list>',
        'xmlns:rl="urn:ietf:params:xml:ns:resource-lists"',
      ),
    );
    expect(doc.members).toStrictEqual([{ uri: 'sip:a@x', displayName: 'A' }]);
  });

  it('reads a group with an empty <list/> (or none) as having no members', () => {
    expect(parseGroupDocument(group('<list/>')).members).toStrictEqual([]);
    expect(parseGroupDocument(group('')).members).toStrictEqual([]);
  });

  it('skips elements of namespaces it does not know (XML extensibility)', () => {
    const doc = parseGroupDocument(
      group('<x:note>hi</x:note><list><x:entry uri="sip:ghost@x"/><entry uri="sip:a@x"/></list>', 'xmlns:x="urn:example:ext"'),
    );
    expect(doc.members).toStrictEqual([{ uri: 'sip:a@x' }]);
  });
});

describe('parseGroupDocument on <supported-services>', () => {
  it.each(['urn:oma:xml:xdm:extensions', 'urn:oma:xml:xdm:group'])('accepts it in namespace %s (READING.md)', (ns) => {
    const doc = parseGroupDocument(
      group(`<s:supported-services><s:service enabler="urn:a"/><s:service enabler="urn:b"/></s:supported-services>`, `xmlns:s="${ns}"`),
    );
    expect(doc.supportedServices).toStrictEqual(['urn:a', 'urn:b']);
  });

  it('ignores a <supported-services> in any other namespace', () => {
    const doc = parseGroupDocument(
      group(`<s:supported-services><s:service enabler="urn:a"/></s:supported-services>`, 'xmlns:s="urn:example:other"'),
    );
    expect(doc.supportedServices).toStrictEqual([]);
  });
});

describe('parseGroupDocument on <cp:ruleset>', () => {
  it('reads <many domain> with <except id|domain> (RFC 4745 §7.1)', () => {
    const doc = parseGroupDocument(
      group(
        '<cp:ruleset><cp:rule id="r"><cp:conditions><cp:identity>' +
          '<cp:many domain="example.org"><cp:except id="sip:eve@example.org"/></cp:many>' +
          '<cp:many><cp:except domain="spam.example"/></cp:many>' +
          '</cp:identity></cp:conditions><cp:actions/></cp:rule></cp:ruleset>',
      ),
    );
    expect(doc.rules[0]?.conditions.identity?.many).toStrictEqual([
      { domain: 'example.org', except: [{ id: 'sip:eve@example.org' }] },
      { except: [{ domain: 'spam.example' }] },
    ]);
  });

  it('reads the OMA conditions other-identity and anonymous-request, and a rule without conditions', () => {
    const doc = parseGroupDocument(
      group(
        '<cp:ruleset><cp:rule id="a"><cp:conditions><ocp:other-identity/><ocp:anonymous-request/></cp:conditions>' +
          '<cp:actions><allow-anonymity> 1 </allow-anonymity></cp:actions></cp:rule>' +
          '<cp:rule id="b"><cp:actions><allow-initiate-conference>0</allow-initiate-conference></cp:actions></cp:rule></cp:ruleset>',
      ),
    );
    expect(doc.rules).toStrictEqual([
      { id: 'a', conditions: { otherIdentity: true, anonymousRequest: true }, actions: { allowAnonymity: true } },
      { id: 'b', conditions: {}, actions: { allowInitiateConference: false } },
    ]);
  });

  it('accepts the OMA actions by local name in any namespace', () => {
    const doc = parseGroupDocument(
      group(
        '<cp:ruleset><cp:rule id="r"><cp:actions><p:allow-initiate-conference>true</p:allow-initiate-conference>' +
          '<cp:allow-anonymity>true</cp:allow-anonymity></cp:actions></cp:rule></cp:ruleset>',
        'xmlns:p="urn:oma:xml:xdm:pres-rules-ish"',
      ),
    );
    expect(doc.rules[0]?.actions).toStrictEqual({ allowInitiateConference: true, allowAnonymity: true });
  });

  it('makes a rule with a condition it cannot evaluate grant nothing, but keeps its identity (RFC 4745 §7)', () => {
    const doc = parseGroupDocument(
      group(
        '<cp:ruleset><cp:rule id="r"><cp:conditions><cp:identity><cp:one id="sip:a@x"/></cp:identity>' +
          '<cp:validity><cp:from>2000-01-01T00:00:00Z</cp:from><cp:until>2100-01-01T00:00:00Z</cp:until></cp:validity>' +
          '</cp:conditions><cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule></cp:ruleset>',
      ),
    );
    expect(doc.rules).toStrictEqual([
      { id: 'r', conditions: { identity: { one: ['sip:a@x'], many: [] } }, actions: {} },
    ]);
  });

  it('treats an <identity> child of another namespace as a condition it cannot evaluate', () => {
    const doc = parseGroupDocument(
      group(
        '<cp:ruleset><cp:rule id="r"><cp:conditions><cp:identity><x:pattern>sip:*</x:pattern></cp:identity></cp:conditions>' +
          '<cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions></cp:rule></cp:ruleset>',
        'xmlns:x="urn:example:ext"',
      ),
    );
    expect(doc.rules[0]?.actions).toStrictEqual({});
  });
});
