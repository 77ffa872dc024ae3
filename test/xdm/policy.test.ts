import { describe, expect, it } from 'vitest';
import { isMember, permissionsFor, supportsLargeMessageMode, type Requester } from '../../machines/group.ts';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { fixture } from './support/fixtures.ts';

const sample = parseGroupDocument(await fixture('group-friends.xml'));
const partners = parseGroupDocument(await fixture('group-partners.xml'));
const open = parseGroupDocument(await fixture('group-open.xml'));

function asking(address: string, anonymityRequested = false): Requester {
  return { address, anonymityRequested };
}

describe('isMember on the sample', () => {
  it('finds members whatever the case, angle brackets or URI parameters', () => {
    expect(isMember(sample, 'sip:bob@cpm.example.net')).toBe(true);
    expect(isMember(sample, '<sip:Bob@CPM.example.net;transport=tcp>')).toBe(true);
    expect(isMember(sample, 'sips:alice@cpm.example.net')).toBe(true);
    expect(isMember(sample, 'tel:+15551234567')).toBe(true);
  });

  it('does not count a non-member, nor the group itself', () => {
    expect(isMember(sample, 'sip:mallory@cpm.example.net')).toBe(false);
    expect(isMember(sample, 'sip:friends@cpm.example.net')).toBe(false);
  });
});

describe('permissionsFor on the sample (RFC 4745 §10: the most permissive matching rule wins)', () => {
  it('lets alice initiate, and be anonymous, through her own identity rule', () => {
    expect(permissionsFor(sample, asking('sip:alice@cpm.example.net', true))).toStrictEqual({
      allowInitiateConference: true,
      allowAnonymity: true,
    });
  });

  it('lets bob initiate but not be anonymous: the members rule says false', () => {
    expect(permissionsFor(sample, asking('sip:bob@cpm.example.net', true))).toStrictEqual({
      allowInitiateConference: true,
      allowAnonymity: false,
    });
  });

  it('lets the tel: member initiate', () => {
    expect(permissionsFor(sample, asking('tel:+15551234567')).allowInitiateConference).toBe(true);
  });

  it('gives a non-member nothing: no rule matches, and an unmentioned action is false', () => {
    expect(permissionsFor(sample, asking('sip:mallory@cpm.example.net'))).toStrictEqual({
      allowInitiateConference: false,
      allowAnonymity: false,
    });
  });
});

describe('permissionsFor with <many> and <except> (RFC 4745 §7.1.2)', () => {
  it('admits any identity of the <many domain>', () => {
    expect(permissionsFor(partners, asking('sip:dave@partner.example.org')).allowInitiateConference).toBe(true);
    expect(permissionsFor(partners, asking('sip:dave@partner.example.org:5060')).allowInitiateConference).toBe(true);
  });

  it('refuses the <except id> of that domain', () => {
    expect(permissionsFor(partners, asking('sip:eve@partner.example.org')).allowInitiateConference).toBe(false);
  });

  it('does not admit other domains through a <many domain>', () => {
    expect(permissionsFor(partners, asking('sip:dave@elsewhere.example')).allowInitiateConference).toBe(false);
  });

  it('lets a <many> without domain match everyone but its <except domain> and <except id>', () => {
    expect(permissionsFor(partners, asking('sip:dave@elsewhere.example')).allowAnonymity).toBe(true);
    expect(permissionsFor(partners, asking('sip:bot@spam.example')).allowAnonymity).toBe(false);
    expect(permissionsFor(partners, asking('sip:troll@cpm.example.net')).allowAnonymity).toBe(false);
  });
});

describe('permissionsFor with the OMA <other-identity/> and <anonymous-request/> conditions', () => {
  it('admits an identity no other rule names through <other-identity/>', () => {
    expect(permissionsFor(open, asking('sip:stranger@anywhere.example')).allowInitiateConference).toBe(true);
    expect(permissionsFor(open, asking('sip:alice@cpm.example.net')).allowInitiateConference).toBe(true);
  });

  it('does not admit an identity another rule names, though that rule grants nothing', () => {
    expect(permissionsFor(open, asking('sip:mallory@cpm.example.net')).allowInitiateConference).toBe(false);
  });

  it('grants anonymity to a member only when the request asks for it', () => {
    expect(permissionsFor(open, asking('sip:alice@cpm.example.net', true)).allowAnonymity).toBe(true);
    expect(permissionsFor(open, asking('sip:alice@cpm.example.net', false)).allowAnonymity).toBe(false);
    expect(permissionsFor(open, asking('sip:stranger@anywhere.example', true)).allowAnonymity).toBe(false);
  });
});

describe('permissionsFor with a rule the CF cannot evaluate', () => {
  const neutralised = parseGroupDocument(`
    <group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy"
           xmlns:ocp="urn:oma:xml:xdm:common-policy">
      <list-service uri="sip:g@cpm.example.net">
        <cp:ruleset>
          <cp:rule id="night-shift">
            <cp:conditions>
              <cp:identity><cp:one id="sip:zoe@cpm.example.net"/></cp:identity>
              <cp:sphere value="work"/>
            </cp:conditions>
            <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions>
          </cp:rule>
          <cp:rule id="others">
            <cp:conditions><ocp:other-identity/></cp:conditions>
            <cp:actions><allow-initiate-conference>true</allow-initiate-conference></cp:actions>
          </cp:rule>
        </cp:ruleset>
      </list-service>
    </group>`);

  it('grants nothing through it (RFC 4745 §7: the unknown condition is FALSE) and still counts its identity', () => {
    expect(permissionsFor(neutralised, asking('sip:zoe@cpm.example.net')).allowInitiateConference).toBe(false);
    expect(permissionsFor(neutralised, asking('sip:someone@cpm.example.net')).allowInitiateConference).toBe(true);
  });
});

describe('supportsLargeMessageMode', () => {
  it('is true for a group listing the largemsg ICSI', () => {
    expect(supportsLargeMessageMode(sample)).toBe(true);
  });

  it('is false for a group listing only other CPM services', () => {
    expect(supportsLargeMessageMode({ ...sample, supportedServices: ['urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg'] })).toBe(false);
  });
});
