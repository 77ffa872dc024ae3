/**
 * What the load itself costs on this machine, with no CF in between: the originator's SIPp calling
 * one member's SIPp directly (the same two scenarios the steps run, INVITE / 200 / ACK / BYE / 200),
 * at rates around the issue's target. SIPp and the members' MSRP process share the machine's cores
 * with the CF, so their CPU per SIP message tells how much of the machine a group session's load
 * takes by itself at a given rate, and so what is left for the CF.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { endedChildrenCpuMs } from './proc.ts';
import { freeUdpPort, killAll, stopAll, untilBound } from './rig.ts';
import { originatorCalls, readCounts, startSipp, type Sipp } from './sipp.ts';
import { RECV_TIMEOUT_MS, round } from './step.ts';

export interface LoadCost {
  readonly rate: number;
  readonly calls: { readonly offered: number; readonly successful: number; readonly failed: number };
  /** SIP messages both SIPps sent or received, per call. */
  readonly messagesPerCall: number;
  /** CPU of both SIPps (user + system) per call, and per message sent or received. */
  readonly sippCpuMsPerCall: number;
  readonly sippMicrosPerMessage: number;
  /** Both SIPps' CPU over the run's wall time: 100 is one core busy all along. */
  readonly sippCpuPct: number;
}

const STOP_TIMEOUT_MS = 5_000;

/** One run of `durationS` seconds at `rate` calls per second; SIPp's files in a directory removed after. */
export async function measureLoadCost(rate: number, durationS: number, pauseMs: number): Promise<LoadCost> {
  const dir = mkdtempSync(join(tmpdir(), 'cpm-cf-bench-sip-load-'));
  const calls = rate * durationS;
  let member: Sipp | undefined;
  let originator: Sipp | undefined;
  try {
    const before = endedChildrenCpuMs();
    const port = await freeUdpPort();
    member = startSipp({ scenario: 'member.xml', port, dir, keys: { msrp_port: '9' }, args: ['-recv_timeout', String(RECV_TIMEOUT_MS), '-timeout', `${durationS + 60}s`] });
    await untilBound(port);
    const start = performance.now();
    originator = startSipp({
      scenario: 'originator.xml',
      port: await freeUdpPort(),
      dir,
      remote: `127.0.0.1:${port}`,
      args: [...originatorCalls(rate, calls, pauseMs), '-recv_timeout', String(RECV_TIMEOUT_MS), '-timeout', `${durationS + 60}s`],
    });
    await originator.exited;
    const elapsedS = (performance.now() - start) / 1000;
    await stopAll([member], STOP_TIMEOUT_MS);
    const cpu = endedChildrenCpuMs() - before;
    const pid = (sipp: Sipp): number => sipp.process.pid ?? Number.NaN;
    const origin = readCounts(dir, pid(originator));
    const answered = readCounts(dir, pid(member));
    const messages = origin.messages + answered.messages;
    const successful = Math.max(origin.calls.successful, 1);
    return {
      rate,
      calls: { offered: origin.calls.created, successful: origin.calls.successful, failed: origin.calls.failed + answered.calls.failed },
      messagesPerCall: round(messages / successful),
      sippCpuMsPerCall: round(cpu / successful),
      sippMicrosPerMessage: round((cpu * 1000) / Math.max(messages, 1)),
      sippCpuPct: round((cpu / (elapsedS * 1000)) * 100),
    };
  } finally {
    await killAll([originator, member].filter((sipp): sipp is Sipp => sipp !== undefined));
    rmSync(dir, { recursive: true, force: true });
  }
}
