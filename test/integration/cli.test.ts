/**
 * `cpm-cf` as an operator runs it: `bin/cpm-cf.js` in a child process, with the real MSRP relay and
 * the embedded XDMS, on ephemeral ports. Its options are documented and checked, it answers SIP, and
 * SIGTERM ends every session cleanly — CANCEL to ringing members and 503 to their originator, BYE on
 * every leg of an established session — before it exits 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { writeGroups } from '../support/groups.ts';
import { accepting, ringing } from '../support/members.ts';
import { OriginatorCall } from '../support/originator.ts';
import { SipPeer } from '../support/sip-peer.ts';
import { waitFor } from '../support/wait-for.ts';
import { callId, rawRequest, WirePeer } from '../support/wire-peer.ts';

const BIN = fileURLToPath(new URL('../../bin/cpm-cf.js', import.meta.url));
const FRIENDS = 'sip:friends@cpm.example.net';

interface Running {
  readonly child: ChildProcess;
  readonly sipPort: number;
  readonly exited: Promise<number | null>;
  readonly log: () => string;
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0)) step();
});

async function startCli(groupsDir: string): Promise<Running> {
  const child = spawn(process.execPath, [BIN, '--sip-port', '0', '--msrp-port', '0', '--xdms-port', '0', '--groups', groupsDir, '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.push(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const sip = await waitFor(() => /"sip":"127\.0\.0\.1:(\d+)"/.exec(out)?.[1], 'the CF to listen', 20_000);
  return { child, sipPort: Number(sip), exited, log: () => out };
}

describe('cpm-cf', () => {
  it('--help documents every option', () => {
    const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' }).stdout;
    for (const option of ['--config', '--host', '--sip-port', '--msrp-port', '--xdms-port', '--groups', '--xdms', '--trusted', '--outbound-proxy', '--server', '--require-ua', '--max-sessions', '--log-level']) {
      expect(help).toContain(`${option} `);
    }
  });

  it('refuses a bad option with a non-zero status and a message saying what to pass', () => {
    const run = spawnSync(process.execPath, [BIN, '--host', 'localhost'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('host "localhost" is not an IP address; pass e.g. 127.0.0.1');
    const config = spawnSync(process.execPath, [BIN, '--config', '/nonexistent/cf.json'], { encoding: 'utf8' });
    expect(config.status).not.toBe(0);
    expect(config.stderr).toContain('cannot read config file /nonexistent/cf.json');
  });

  it('answers OPTIONS, and on SIGTERM cancels a ringing session (503 to the originator, CANCEL to the member) and exits 0', async () => {
    const member = await SipPeer.start('alice', 'udp', ringing());
    const originator = await SipPeer.start('sender', 'udp', accepting());
    const groupsDir = writeGroups([{ uri: FRIENDS, members: [member.uri] }]);
    cleanup.push(() => {
      member.close();
      originator.close();
      rmSync(groupsDir, { recursive: true, force: true });
    });
    const cf = await startCli(groupsDir);
    const probe = await WirePeer.open('udp', cf.sipPort);
    const id = callId();
    probe.send(rawRequest({ method: 'OPTIONS', uri: 'sip:cpm-cf@127.0.0.1', peer: probe, callId: id }));
    expect((await probe.finalResponse(id, 'OPTIONS')).status).toBe(200);
    probe.close();

    const call = new OriginatorCall(originator, cf.sipPort, { group: FRIENDS });
    await member.waitForRequest('INVITE', 10_000);
    await waitFor(() => (call.responses.some((r) => r.status === 100) ? true : undefined), '100 Trying', 5000);
    cf.child.kill('SIGTERM');
    expect((await call.final()).status).toBe(503);
    await member.waitForRequest('CANCEL');
    expect(await cf.exited).toBe(0);
    expect(cf.log()).toContain('CPM Controlling Function stopped');
  });

  it('on SIGTERM ends an established session with BYE to the originator and to every member, then exits 0', async () => {
    // The member answers a=setup:active: the relay waits for it to connect, so the session stays up.
    const members = await Promise.all(['alice', 'bob'].map((name) => SipPeer.start(name, 'udp', accepting(0, 'active'))));
    const originator = await SipPeer.start('sender', 'udp', accepting());
    const groupsDir = writeGroups([{ uri: FRIENDS, members: members.map((m) => m.uri) }]);
    cleanup.push(() => {
      for (const peer of [...members, originator]) peer.close();
      rmSync(groupsDir, { recursive: true, force: true });
    });
    const cf = await startCli(groupsDir);
    const call = new OriginatorCall(originator, cf.sipPort, { group: FRIENDS });
    const ok = await call.final(10_000);
    expect(ok.status).toBe(200);
    call.ack(ok);
    for (const member of members) await member.waitForRequest('ACK');
    cf.child.kill('SIGTERM');
    await originator.waitForRequest('BYE');
    for (const member of members) await member.waitForRequest('BYE');
    expect(await cf.exited).toBe(0);
  });
});
