import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { fixture } from './support/fixtures.ts';
import { rebuildXml } from './support/rebuild-xml.ts';

const LIST_SERVICE = 'urn:oma:xml:poc:list-service';
const COMMON_POLICY = 'urn:ietf:params:xml:ns:common-policy';
const OMA_POLICY = 'urn:oma:xml:xdm:common-policy';
const EXTENSIONS = 'urn:oma:xml:xdm:extensions';
const NAMESPACES = [LIST_SERVICE, COMMON_POLICY, OMA_POLICY, EXTENSIONS] as const;

const sample = await fixture('group-friends.xml');
const expected = parseGroupDocument(sample);

function withPrefixes(prefixes: readonly string[]): string {
  const prefixOf = (ns: string): string => prefixes[NAMESPACES.indexOf(ns as (typeof NAMESPACES)[number])] ?? 'unmapped';
  return rebuildXml(sample, { prefixOf });
}

describe('the sample with other namespace prefixes (READING.md: "differs only in namespace prefixes")', () => {
  it('reads the same when list-service becomes a prefixed namespace and common-policy the default', () => {
    const xml = withPrefixes(['ls', '', 'o', 'e']);
    expect(xml).toContain('<ls:list-service');
    expect(xml).toContain('<rule id="members">');
    expect(parseGroupDocument(xml)).toStrictEqual(expected);
  });

  it('reads the same when every namespace is prefixed', () => {
    const xml = withPrefixes(['a', 'b', 'c', 'd']);
    expect(xml).toContain('<a:group');
    expect(parseGroupDocument(xml)).toStrictEqual(expected);
  });

  it('reads the same when a subtree redeclares the default namespace', () => {
    const xml = `<?xml version="1.0"?>
      <g:group xmlns:g="${LIST_SERVICE}">
        <g:list-service uri="sip:friends@cpm.example.net">
          <display-name xmlns="${LIST_SERVICE}" xml:lang="en">Friends</display-name>
          <list xmlns="${LIST_SERVICE}">
            <entry uri="sip:alice@cpm.example.net"><display-name>Alice</display-name></entry>
            <entry uri="sip:bob@cpm.example.net"><display-name>Bob</display-name></entry>
            <entry uri="tel:+15551234567"/>
          </list>
          <g:max-participant-count>50</g:max-participant-count>
          <ruleset xmlns="${COMMON_POLICY}">
            <rule id="members">
              <conditions><is-list-member xmlns="${OMA_POLICY}"/></conditions>
              <actions>
                <g:allow-initiate-conference>true</g:allow-initiate-conference>
                <g:allow-anonymity>false</g:allow-anonymity>
              </actions>
            </rule>
            <rule id="alice-anonymous">
              <conditions><identity><one id="sip:alice@cpm.example.net"/></identity></conditions>
              <actions>
                <g:allow-initiate-conference>true</g:allow-initiate-conference>
                <g:allow-anonymity>true</g:allow-anonymity>
              </actions>
            </rule>
          </ruleset>
          <supported-services xmlns="${EXTENSIONS}">
            <service enabler="urn:urn-7:3gpp-service.ims.icsi.oma.cpm.largemsg"/>
            <service enabler="urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg"/>
          </supported-services>
        </g:list-service>
      </g:group>`;
    expect(parseGroupDocument(xml)).toStrictEqual(expected);
  });

  it('reads the same for any assignment of distinct prefixes, at most one of them the default', () => {
    const prefix = fc.stringMatching(/^[a-wyz][a-z0-9-]{0,6}$/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(prefix, fc.constant('')), { minLength: 4, maxLength: 4 }), (prefixes) => {
        expect(parseGroupDocument(withPrefixes(prefixes))).toStrictEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the same with <supported-services> moved to urn:oma:xml:xdm:group', () => {
    const xml = rebuildXml(sample, {
      prefixOf: (ns) => ({ [LIST_SERVICE]: '', [COMMON_POLICY]: 'cp', [OMA_POLICY]: 'ocp' })[ns] ?? 'grp',
      namespaceOf: (ns) => (ns === EXTENSIONS ? 'urn:oma:xml:xdm:group' : ns),
    });
    expect(xml).toContain('xmlns:grp="urn:oma:xml:xdm:group"');
    expect(xml).not.toContain(EXTENSIONS);
    expect(parseGroupDocument(xml)).toStrictEqual(expected);
  });
});
