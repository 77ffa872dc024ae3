/**
 * The bench's group: one Shared Group XDM document (the format of `examples/groups/`) in a fresh
 * directory for the CF's embedded XDMS, with every member on loopback and the originator the
 * SIPp scenario asserts (`sip:sender@127.0.0.1`) among the initiators.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GROUP_USER = 'bench';
const GROUP_URI = `sip:${GROUP_USER}@cpm.example.net`;
const ORIGINATOR = 'sip:sender@127.0.0.1';
const LARGE_MESSAGE_ICSI = 'urn:urn-7:3gpp-service.ims.icsi.oma.cpm.largemsg';

/** Writes the group of members at `127.0.0.1:<port>`, one per SIP port; returns the directory. */
export function writeGroupDir(memberSipPorts: readonly number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cpm-cf-bench-groups-'));
  const entries = memberSipPorts.map((port, i) => `      <entry uri="sip:m${i}@127.0.0.1:${port}"/>`).join('\n');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<group xmlns="urn:oma:xml:poc:list-service" xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:ocp="urn:oma:xml:xdm:common-policy" xmlns:oxe="urn:oma:xml:xdm:extensions">
  <list-service uri="${GROUP_URI}">
    <list>
${entries}
    </list>
    <max-participant-count>${memberSipPorts.length}</max-participant-count>
    <cp:ruleset>
      <cp:rule id="sender">
        <cp:conditions><cp:identity><cp:one id="${ORIGINATOR}"/></cp:identity></cp:conditions>
        <cp:actions><allow-initiate-conference>true</allow-initiate-conference><allow-anonymity>false</allow-anonymity></cp:actions>
      </cp:rule>
    </cp:ruleset>
    <oxe:supported-services><oxe:service enabler="${LARGE_MESSAGE_ICSI}"/></oxe:supported-services>
  </list-service>
</group>
`;
  writeFileSync(join(dir, `${GROUP_USER}.xml`), xml);
  return dir;
}
