/**
 * SIP signalling bench (issue 7): group sessions per second and memory per established session,
 * SIPp against the CF over UDP on loopback. One JSON line per measurement:
 *
 * - `actors`: what xstate's actors cost by themselves, per transaction (as an actor, and as the CF
 *   runs it on the machine's step graph) and per session (in-process);
 * - `floor`: what any CF on this machine pays whatever its code: a datagram sent to and one received
 *   from peer processes through Node's `dgram`, and the load's own CPU (SIPp calling SIPp directly
 *   at 500 and 1,000 calls/s), since SIPp shares the cores with the CF;
 * - `step`, per offered rate, on one CF warmed up first: offered and completed sessions/s, failed sessions, retransmissions
 *   seen by SIPp, SIP messages/s handled by the CF, its CPU and peak RSS, INVITE → 200 percentiles;
 * - `memory`: the CF's RSS per established session, and its live heap per session;
 * - `summary`: `sessionsPerSecond`, the highest rate with no failure and no retransmission; beside
 *   the target, the CF's budget per session at it (one core: the CF is one Node thread) and the
 *   floor under it (the datagrams of one session and the session's actors, as measured above).
 *
 *   npm run bench -- sip                     rates 25, 50, 100, 200, 400, 800 for 10 s; 10,000 held
 *   npm run bench -- sip --quick             rates 25, 100 for 5 s; 1,000 held
 *   npm run bench -- sip --rates=300,500 --duration=20 --pause=500 --hold=2000 --members=10
 *   npm run bench -- sip --log-level=warn    the CF's log level (default: its own default, info)
 *   npm run bench -- sip --profile           the CF runs under --cpu-prof (directory in each line)
 *   npm run bench -- sip --cf-node-flags=--max-semi-space-size=64   Node/V8 flags for the CF (space-separated)
 *   npm run bench -- sip --compiled          the CF as a JS bundle on plain node, not through tsx (sip/compiled-cf.ts)
 *
 * The CF shares one MSRP connection per member authority among its sessions (RFC 4975 §5.4,
 * runtime/msrp/relay/connection-pool.ts), so the descriptors it and the members' MSRP process need
 * do not grow with the sessions: the bench checks the open-file limit (RLIMIT_NOFILE) against that
 * need once, and the hold fails with the reason should the connections ever stop being shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../runtime/config.ts';
import { emit, machineInfo } from './machine.ts';
import { measureActors } from './sip/actor-cost.ts';
import { measureLoadCost } from './sip/load-cost.ts';
import { compileCf } from './sip/compiled-cf.ts';
import { runHold } from './sip/hold.ts';
import { openFileLimit } from './sip/proc.ts';
import { startCf, startMsrpMembers, type CfProcess, type MsrpMembers } from './sip/rig.ts';
import { sippVersion } from './sip/sipp.ts';
import { round, runStep, type StepConfig, type StepResult } from './sip/step.ts';
import { measureUdpCost } from './sip/udp-cost.ts';

interface Options {
  readonly rates: readonly number[];
  readonly durationS: number;
  readonly pauseMs: number;
  readonly hold: number;
  readonly members: number;
  readonly logLevel: string;
  readonly profile: boolean;
  readonly cfNodeFlags: readonly string[];
  readonly compiled: boolean;
}

/** The targets, printed beside the numbers. */
const TARGETS = { sessionsPerSecond: 500, rssPerSessionKB: 50 };
/**
 * File descriptors the CF needs besides its MSRP connections towards members: SIP and MSRP
 * listeners, the embedded XDMS and its keep-alive XCAP connections, stdio, IPC, V8's own.
 */
const FD_RESERVE = 256;
/** Sessions per second while the hold sets up its sessions, at most: about what the CF takes cleanly. */
const HOLD_SETUP_RATE = 100;
/**
 * Before the steps, the CF takes sessions at a rate a cold process copes with, until V8 has
 * optimised its hot paths: a fresh CF spends several times the CPU per session of a warm one.
 */
const WARMUP: StepConfig = { rate: 50, durationS: 8, pauseMs: 500 };
/** SIPp calling SIPp with no CF between, to tell the load's own cost: at the target and twice it. */
const LOAD_RATES = [TARGETS.sessionsPerSecond, 2 * TARGETS.sessionsPerSecond];
const LOAD_DURATION_S = 5;
/** A step that completes less than this share of what it offered ends the stepping: higher rates would only fail more. */
const COLLAPSE_RATIO = 0.5;

function options(flags: readonly string[]): Options {
  const value = (name: string): string | undefined => flags.find((flag) => flag.startsWith(`--${name}=`))?.slice(name.length + 3);
  const positive = (name: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`sip bench: --${name} takes positive integers, e.g. --${name}=${fallback}`);
    return n;
  };
  const quick = flags.includes('--quick');
  const rates = value('rates');
  return {
    rates: rates === undefined ? (quick ? [25, 100] : [25, 50, 100, 200, 400, 800]) : rates.split(',').map((rate) => positive('rates', rate, 100)),
    durationS: positive('duration', value('duration'), quick ? 5 : 10),
    pauseMs: positive('pause', value('pause'), 500),
    hold: positive('hold', value('hold'), quick ? 1000 : 10_000),
    members: positive('members', value('members'), 10),
    logLevel: value('log-level') ?? DEFAULT_CONFIG.logLevel,
    profile: flags.includes('--profile'),
    cfNodeFlags: (value('cf-node-flags') ?? '').split(' ').filter((flag) => flag !== ''),
    compiled: flags.includes('--compiled'),
  };
}

function isClean(step: StepResult): boolean {
  return step.failed.sessions === 0 && step.failed.memberLegs === 0 && step.retransmissions.total === 0 && step.completed.sessions === step.offered.sessions;
}

/** A step in a directory of its own for SIPp's files, removed unless the step kept it for a look. */
async function step(cf: CfProcess, msrp: MsrpMembers, config: StepConfig): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cpm-cf-bench-sip-'));
  const result = await runStep(dir, cf, msrp, config);
  if (result.traceDir === undefined) rmSync(dir, { recursive: true, force: true });
  return result;
}

export async function run(flags: readonly string[]): Promise<void> {
  const o = options(flags);
  const sipp = sippVersion();
  if (sipp === undefined) throw new Error('sip bench: SIPp not found; install it as .ci/run does (apt-get install sip-tester)');
  const machine = { ...machineInfo(), sipp };
  const fdLimit = openFileLimit();
  // One shared MSRP connection per member, in the CF and in the members' process alike.
  const memberConnectionLimit = fdLimit - FD_RESERVE;
  if (o.members > memberConnectionLimit) {
    throw new Error(`sip bench: ${o.members} members need ${o.members + FD_RESERVE} open files, RLIMIT_NOFILE is ${fdLimit}; raise it (ulimit -n)`);
  }
  const profileDir = o.profile ? mkdtempSync(join(tmpdir(), 'cpm-cf-bench-sip-profile-')) : undefined;
  const profiling = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const common = {
    members: o.members,
    logLevel: o.logLevel,
    ...(o.cfNodeFlags.length === 0 ? {} : { cfNodeFlags: o.cfNodeFlags }),
    ...(profileDir === undefined ? {} : { profileDir }),
    // The `actors` line is measured in this process, through tsx either way.
    ...(o.compiled ? { compiled: true } : {}),
  };

  const actors = measureActors(o.members);
  emit({ bench: 'sip-load', kind: 'actors', ...actors, ...common, machine });
  const udp = await measureUdpCost();
  const load = [];
  for (const rate of LOAD_RATES) load.push(await measureLoadCost(rate, LOAD_DURATION_S, o.pauseMs));
  emit({ bench: 'sip-load', kind: 'floor', udp, sippWithoutCf: load, machine });

  const compiled = o.compiled ? await compileCf() : undefined;
  const cfOptions = { members: o.members, logLevel: o.logLevel, execArgv: [...o.cfNodeFlags, ...profiling], ...(compiled === undefined ? {} : { compiled: compiled.file }) };
  const msrp = await startMsrpMembers(o.members);
  try {
    const clean: { rate: number; cpuMsPerSession: number; datagramsPerSession: number }[] = [];
    const skipped: number[] = [];
    const cf = await startCf({ ...cfOptions, maxSessions: DEFAULT_CONFIG.maxSessions });
    try {
      const warmup = await step(cf, msrp, WARMUP);
      const warm = { sessions: warmup.completed.sessions, failed: warmup.failed.sessions, cpuMsPerSession: warmup.cf.cpuMsPerSession };
      for (const rate of o.rates) {
        if (skipped.length > 0) {
          skipped.push(rate);
          continue;
        }
        const loadAverage1m = Math.round((loadavg()[0] ?? Number.NaN) * 100) / 100;
        const result = await step(cf, msrp, { rate, durationS: o.durationS, pauseMs: o.pauseMs });
        if (isClean(result)) clean.push({ rate, cpuMsPerSession: result.cf.cpuMsPerSession, datagramsPerSession: result.peers.sippMessagesPerSession });
        if (result.completed.sessions < COLLAPSE_RATIO * result.offered.sessions) skipped.push(rate);
        emit({ bench: 'sip-load', kind: 'step', rate, durationS: o.durationS, pauseMs: o.pauseMs, ...common, ...result, warmup: warm, loadAverage1m, machine });
      }
    } finally {
      await cf.finish();
    }

    const dir = mkdtempSync(join(tmpdir(), 'cpm-cf-bench-sip-hold-'));
    const best = clean.at(-1);
    // The sessions are set up at a rate the CF has shown it takes cleanly (or the lowest offered):
    // a CF that falls behind would have SIPp retransmit, and fail sessions, on top of the load.
    const rate = Math.min(HOLD_SETUP_RATE, best?.rate ?? Math.min(...o.rates));
    try {
      // Killed once measured (its sessions need no clean end), it would write no profile.
      const memory = await runHold(dir, msrp, { ...cfOptions, execArgv: o.cfNodeFlags }, { sessions: o.hold, rate, memberConnectionLimit });
      emit({
        bench: 'sip-load',
        kind: 'memory',
        sessionsRequested: o.hold,
        sessionsHeld: memory.all.sessions,
        setupRate: rate,
        ...memory,
        targetKB: TARGETS.rssPerSessionKB,
        ...common,
        machine,
      });
      emit({
        bench: 'sip-load',
        kind: 'summary',
        sessionsPerSecond: best?.rate ?? 0,
        cleanRates: clean.map((c) => c.rate),
        // What one core would take at the CPU the CF spent per session at that rate (SIPp aside).
        ...(best === undefined ? {} : { cpuMsPerSession: best.cpuMsPerSession, sessionsPerCoreSecond: Math.round(1000 / best.cpuMsPerSession) }),
        ...(skipped.length > 1 ? { notRun: skipped.slice(1) } : {}),
        rssPerSessionKB: memory.rssPerSessionKB,
        targets: TARGETS,
        atTarget: {
          cfBudgetMsPerSession: round(1000 / TARGETS.sessionsPerSecond),
          ...(best === undefined
            ? {}
            : {
                floorMsPerSession: {
                  // The CF sends some of a session's datagrams and receives the others: their mean cost each.
                  datagrams: round((((udp.sendMicros + udp.receiveMicros) / 2) * best.datagramsPerSession) / 1000),
                  sessionActors: round(actors.sessionLifeMicros / 1000),
                },
              }),
        },
        ...common,
        machine,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await msrp.stop();
    compiled?.remove();
  }
}
