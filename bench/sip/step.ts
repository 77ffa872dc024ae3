/**
 * One load step: SIPp offers `rate` group sessions per second for `durationS` seconds (INVITE with
 * an MSRP offer, ACK, a pause, BYE) to the CF, whose group's members are SIPp UAS started for the
 * step, and the step reports what came of it, as SIPp counted it and as `/proc` saw the CF.
 */
import { performance } from 'node:perf_hooks';
import { cpuMs, endedChildrenCpuMs, memoryKiB } from './proc.ts';
import { freeUdpPort, killAll, startMembers, stopAll, type CfProcess, type CfStats, type MsrpMembers } from './rig.ts';
import { originatorCalls, readCounts, readResponseTimes, startSipp, type Sipp, type SippCounts } from './sipp.ts';

export interface StepConfig {
  readonly rate: number;
  readonly durationS: number;
  /** Between the originator's ACK and its BYE. */
  readonly pauseMs: number;
}

export interface StepResult {
  readonly offered: { readonly sessions: number; readonly perSecond: number };
  readonly completed: { readonly sessions: number; readonly perSecond: number };
  /** Originator calls that failed or never ended; member calls (legs) that failed. */
  readonly failed: { readonly sessions: number; readonly memberLegs: number };
  readonly retransmissions: { readonly total: number; readonly bySipp: number; readonly byCf: number };
  readonly cf: {
    readonly sipMessagesPerSecond: number;
    /** CPU time over the step's wall time: 100 is one core busy all along. */
    readonly cpuPct: number;
    readonly cpuMsPerSession: number;
    /** The highest RSS sampled during the step. */
    readonly peakRssMB: number;
    /** What the CF still holds once the load has ended: sessions should be 0. */
    readonly after: { readonly sessions: number; readonly transactionsLive: number };
  };
  /**
   * The load's own processes, which share the machine's cores with the CF: every SIPp of the step
   * (originator and members) and the members' MSRP process. 100 is one core busy all along.
   */
  readonly peers: {
    readonly sippCpuPct: number;
    readonly sippCpuMsPerSession: number;
    /** Every SIP message of a session is one datagram the CF sent or received. */
    readonly sippMessagesPerSession: number;
    readonly msrpMembersCpuPct: number;
  };
  readonly responseMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** SIPp's trace files, kept when the step had failures or retransmissions. */
  readonly traceDir?: string;
}

/** A call that waits longer than this for a message fails (`-recv_timeout`), so a step always ends. */
export const RECV_TIMEOUT_MS = 10_000;
/** After the originator's last BYE, the CF ends the members' dialogs; this is how long that may take. */
const DRAIN_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const RSS_SAMPLE_MS = 200;

export async function runStep(dir: string, cf: CfProcess, msrp: MsrpMembers, config: StepConfig): Promise<StepResult> {
  const sippCpuBefore = endedChildrenCpuMs();
  // `-timeout`: should the bench die, SIPp still ends by itself.
  const members = await startMembers(dir, cf, msrp, ['-recv_timeout', String(RECV_TIMEOUT_MS), '-timeout', `${config.durationS + 120}s`]);
  let originator: Sipp | undefined;
  try {
    const calls = config.rate * config.durationS;
    const cpuBefore = cpuMs(cf.pid);
    const msrpCpuBefore = cpuMs(msrp.pid);
    let peakRss = memoryKiB(cf.pid).rss;
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, memoryKiB(cf.pid).rss);
      } catch {
        // The CF is gone (its /proc entry with it); the step ends with what SIPp counted.
        clearInterval(sampler);
      }
    }, RSS_SAMPLE_MS);
    const start = performance.now();
    originator = startSipp({
      scenario: 'originator.xml',
      port: await freeUdpPort(),
      dir,
      remote: `127.0.0.1:${cf.sipPort}`,
      args: [
        ...originatorCalls(config.rate, calls, config.pauseMs),
        '-recv_timeout', String(RECV_TIMEOUT_MS), '-timeout', `${config.durationS + 60}s`,
        '-trace_rtt', '-rtt_freq', '1',
      ],
    });
    const guard = setTimeout(() => originator?.kill(), (config.durationS + 90) * 1000);
    await originator.exited;
    clearTimeout(guard);
    const elapsedS = (performance.now() - start) / 1000;
    const after = await drained(cf, DRAIN_TIMEOUT_MS);
    clearInterval(sampler);
    const cpu = cpuMs(cf.pid) - cpuBefore;
    const msrpCpu = cpuMs(msrp.pid) - msrpCpuBefore;
    await stopAll(members, STOP_TIMEOUT_MS);
    const sippCpu = endedChildrenCpuMs() - sippCpuBefore;
    const pid = (sipp: Sipp): number => sipp.process.pid ?? Number.NaN;
    const origin = readCounts(dir, pid(originator));
    const legs = members.map((member) => readCounts(dir, pid(member)));
    const all = [origin, ...legs];
    const sum = (f: (c: SippCounts) => number): number => all.reduce((total, counts) => total + f(counts), 0);
    const times = readResponseTimes(dir, pid(originator)).sort((a, b) => a - b);
    const unfinished = origin.calls.created - origin.calls.successful - origin.calls.failed;
    const memberLegs = legs.reduce((total, counts) => total + counts.calls.failed, 0);
    const retransmissions = { total: sum((c) => c.resentBySipp + c.resentByCf), bySipp: sum((c) => c.resentBySipp), byCf: sum((c) => c.resentByCf) };
    const failedSessions = origin.calls.failed + unfinished;
    // The last calls end a pause after their 200 OK: throughput counts the time without that pause.
    const busyS = Math.max(elapsedS - config.pauseMs / 1000, 1e-3);
    return {
      offered: { sessions: origin.calls.created, perSecond: config.rate },
      completed: { sessions: origin.calls.successful, perSecond: round(origin.calls.successful / busyS) },
      failed: { sessions: failedSessions, memberLegs },
      retransmissions,
      cf: {
        sipMessagesPerSecond: Math.round(sum((c) => c.messages) / elapsedS),
        cpuPct: round((cpu / (elapsedS * 1000)) * 100),
        cpuMsPerSession: round(cpu / Math.max(origin.calls.successful, 1)),
        peakRssMB: round(peakRss / 1024),
        after: { sessions: after.sessions, transactionsLive: after.transactions.live },
      },
      peers: {
        sippCpuPct: round((sippCpu / (elapsedS * 1000)) * 100),
        sippCpuMsPerSession: round(sippCpu / Math.max(origin.calls.successful, 1)),
        sippMessagesPerSession: round(sum((c) => c.messages) / Math.max(origin.calls.successful, 1)),
        msrpMembersCpuPct: round((msrpCpu / (elapsedS * 1000)) * 100),
      },
      responseMs: { p50: percentile(times, 0.5), p90: percentile(times, 0.9), p99: percentile(times, 0.99), max: times.at(-1) ?? Number.NaN },
      ...(failedSessions + memberLegs + retransmissions.total > 0 ? { traceDir: dir } : {}),
    };
  } finally {
    await killAll(originator === undefined ? members : [originator, ...members]);
  }
}

/** Polls the CF until it holds no session, or the timeout passes; its last counts. */
async function drained(cf: CfProcess, timeoutMs: number): Promise<CfStats> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = await cf.stats();
    if (now.sessions === 0 || performance.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
