/**
 * The memory measurement: group sessions established and held (members answering, nobody sending
 * BYE) by a fresh CF until it holds `sessions` of them, its RSS read at a tenth of them and at all
 * of them, each time once the set-up's transactions have ended (64*T1 after the last), so that the
 * slope between the two readings is what one established session costs. After each RSS reading
 * the CF collects its garbage and its live heap is read too: the RSS slope includes what V8 had
 * not collected yet, the live-heap slope only what the sessions keep.
 */
import { performance } from 'node:perf_hooks';
import { memoryKiB } from './proc.ts';
import { freeUdpPort, killAll, startCf, startMembers, type CfOptions, type CfProcess, type CfStats, type MsrpMembers } from './rig.ts';
import { originatorCalls, readCounts, startSipp, type Sipp } from './sipp.ts';
import { round } from './step.ts';

export interface HoldConfig {
  readonly sessions: number;
  /** Sessions per second while establishing them. */
  readonly rate: number;
  /** MSRP connections towards members the open-file limit leaves room for. */
  readonly memberConnectionLimit: number;
}

export interface Reading {
  readonly sessions: number;
  readonly rssMB: number;
  /** V8's share of it: the JS heap, and the memory outside it that JS objects hold (buffers). */
  readonly heapUsedMB: number;
  /** The JS heap after a full collection (read after the RSS): what is live, without garbage. */
  readonly liveHeapMB: number;
  readonly externalMB: number;
  readonly transactionsLive: number;
  readonly memberConnections: number;
}

export interface HoldResult {
  readonly idle: { readonly rssMB: number };
  readonly first: Reading;
  readonly all: Reading;
  /** (RSS at all − RSS at the first tenth) / the sessions between them. */
  readonly rssPerSessionKB: number;
  /** The same slope for V8's heap. */
  readonly heapPerSessionKB: number;
  /** The same slope for the live heap: what one established session keeps. */
  readonly liveHeapPerSessionKB: number;
  /** RSS at all over idle, per session: the slope plus what the first sessions cost (warm-up). */
  readonly rssPerSessionFromIdleKB: number;
  readonly failedSessions: number;
}

/** 64*T1 with the CF's default T1 (500 ms), the longest a set-up transaction lingers, and a margin. */
const SETTLE_TIMEOUT_MS = 40_000;
/** Beyond the time the set-up rate needs, how long the sessions may take to be all established. */
const ESTABLISH_MARGIN_MS = 60_000;
/** The originator's pause between ACK and BYE: longer than the measurement, so no BYE is ever sent. */
const HOLD_PAUSE_MS = 3_600_000;
/** Every SIPp of the measurement ends by itself after this, should the bench die. */
const SIPP_TIMEOUT = '900s';

export async function runHold(dir: string, msrp: MsrpMembers, cfOptions: Omit<CfOptions, 'maxSessions'>, config: HoldConfig): Promise<HoldResult> {
  const cf = await startCf({ ...cfOptions, maxSessions: config.sessions });
  const sipps: Sipp[] = [];
  try {
    sipps.push(...(await startMembers(dir, cf, msrp, ['-timeout', SIPP_TIMEOUT])));
    const idle = memoryKiB(cf.pid).rss;
    const originators: Sipp[] = [];
    // The members' MSRP process served the load steps before: only the bindings from here on count.
    const answeredBefore = (await msrp.stats()).answered;
    const failedSoFar = (): number => originators.reduce((failed, o) => failed + failedCalls(dir, o), 0);
    const establish = async (count: number, total: number): Promise<Reading> => {
      const originator = startSipp({
        scenario: 'originator.xml',
        port: await freeUdpPort(),
        dir,
        remote: `127.0.0.1:${cf.sipPort}`,
        args: [...originatorCalls(config.rate, count, HOLD_PAUSE_MS), '-timeout', SIPP_TIMEOUT],
      });
      originators.push(originator);
      sipps.push(originator);
      const timeoutMs = (count / config.rate) * 1000 + ESTABLISH_MARGIN_MS;
      await until(
        async () => {
          const members = await msrp.stats();
          // Shared, they are one per member; per session, the CF would run out of descriptors and fail sessions.
          if (members.open > config.memberConnectionLimit) {
            throw new Error(`sip bench: ${members.open} MSRP connections towards members, beyond the ${config.memberConnectionLimit} RLIMIT_NOFILE leaves room for: the CF no longer shares them`);
          }
          // A session that failed (the memory line reports them) is not waited for: the slope counts
          // the sessions held. Every member leg of the others has bound (one SEND each, RFC 4975 §5.4).
          const held = total - failedSoFar();
          return (await cf.stats()).sessions >= held && members.answered - answeredBefore >= held * cf.memberPorts.length;
        },
        timeoutMs,
        `${total} sessions established`,
      );
      const stats = await settled(cf);
      const mb = (bytes: number): number => round(bytes / 2 ** 20);
      const rssMB = round(memoryKiB(cf.pid).rss / 1024);
      const collected = await cf.stats(true);
      return {
        sessions: stats.sessions,
        rssMB,
        heapUsedMB: mb(stats.memory.heapUsed),
        liveHeapMB: mb(collected.memory.heapUsed),
        externalMB: mb(stats.memory.external),
        transactionsLive: stats.transactions.live, memberConnections: (await msrp.stats()).open,
      };
    };
    const firstCount = Math.max(1, Math.round(config.sessions / 10));
    const first = await establish(firstCount, firstCount);
    const all = await establish(config.sessions - firstCount, config.sessions);
    const failedSessions = failedSoFar();
    return {
      idle: { rssMB: round(idle / 1024) },
      first,
      all,
      rssPerSessionKB: round(((all.rssMB - first.rssMB) * 1024) / (all.sessions - first.sessions)),
      heapPerSessionKB: round(((all.heapUsedMB - first.heapUsedMB) * 1024) / (all.sessions - first.sessions)),
      liveHeapPerSessionKB: round(((all.liveHeapMB - first.liveHeapMB) * 1024) / (all.sessions - first.sessions)),
      rssPerSessionFromIdleKB: round((all.rssMB * 1024 - idle) / all.sessions),
      failedSessions,
    };
  } finally {
    await killAll(sipps);
    await cf.kill();
  }
}

/** Calls of `originator` that failed so far: SIPp rewrites its statistics every second (none before its first). */
function failedCalls(dir: string, originator: Sipp): number {
  try {
    return readCounts(dir, originator.process.pid ?? Number.NaN).calls.failed;
  } catch {
    return 0;
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`sip bench: ${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the CF's transactions are over (or the timeout passes); its counts then. */
async function settled(cf: CfProcess): Promise<CfStats> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const stats = await cf.stats();
    if (stats.transactions.live === 0 || performance.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
