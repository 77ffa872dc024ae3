/**
 * The CF driven by SIPp over UDP and TCP: an originator whose 200 OK must carry `isfocus`, members
 * whose INVITEs must carry the Large Message Mode feature tag and the group's identity, INV-1's 403
 * with its Warning, and a CANCEL before any member answered. Each SIPp process exits 0 only if
 * every message of its scenario arrived and passed its checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCf, type TestCf } from '../support/cf-harness.ts';
import { runSipp, sippAvailable, type SippRun } from '../support/sipp.ts';
import type { Transport } from '../support/sip-peer.ts';

const running: SippRun[] = [];
let cf: TestCf | undefined;
afterEach(async () => {
  for (const run of running.splice(0)) run.kill();
  await cf?.close();
  cf = undefined;
});

async function members(scenario: string, transport: Transport, count: number): Promise<SippRun[]> {
  const runs = await Promise.all(Array.from({ length: count }, () => runSipp({ scenario, transport })));
  running.push(...runs);
  return runs;
}

function sippGroup(runs: SippRun[], transport: Transport) {
  return { uri: 'sip:friends@cpm.example.net', members: runs.map((r, i) => `sip:m${i}@127.0.0.1:${r.port}${transport === 'tcp' ? ';transport=tcp' : ''}`) };
}

async function originator(scenario: string, transport: Transport): Promise<{ status: number | null; stderr: string }> {
  const run = await runSipp({ scenario, transport, remote: `127.0.0.1:${cf!.cf.sipPort}`, service: 'friends' });
  running.push(run);
  return run.done;
}

describe.skipIf(!sippAvailable).each<Transport>(['udp', 'tcp'])('SIPp over %s', (transport) => {
  it('a SIPp originator gets its 200 OK with isfocus and every SIPp member its INVITE, ACK and BYE', async () => {
    const uas = await members('uas-member.xml', transport, 3);
    cf = await startTestCf([sippGroup(uas, transport)]);
    const uac = await originator('uac-invite.xml', transport);
    expect(uac).toMatchObject({ status: 0 });
    for (const member of uas) expect(await member.done).toMatchObject({ status: 0 });
  });

  it('INV-1: an originator without P-Asserted-Identity gets 403 "Service not authorised"', async () => {
    cf = await startTestCf([{ uri: 'sip:friends@cpm.example.net', members: ['sip:m@127.0.0.1:9'] }]);
    expect(await originator('uac-forbidden.xml', transport)).toMatchObject({ status: 0 });
  });

  it('Q8: a CANCEL before any answer gets 200 and 487, and every ringing member a CANCEL', async () => {
    const uas = await members('uas-ringing.xml', transport, 2);
    cf = await startTestCf([sippGroup(uas, transport)]);
    expect(await originator('uac-cancel.xml', transport)).toMatchObject({ status: 0 });
    for (const member of uas) expect(await member.done).toMatchObject({ status: 0 });
  });
});
