/**
 * MSRP fan-out bench (issue 4): one originator, N members, one message per round, through the CF's
 * relay and, in the same run, through the physical baseline (the same bytes piped from one TCP
 * socket to N with no parsing).
 *
 *   npm run bench -- msrp              N = 1, 10, 50; 10 MB; chunks of 64 KiB and 1 MiB
 *   npm run bench -- msrp --large      also 1 GB to 1 and 10 members
 *   npm run bench -- msrp --rounds=9   at least this many measured rounds per side (default 5)
 *   npm run bench -- msrp --seconds=4  at least this much measured transfer per side (default 2)
 *   npm run bench -- msrp --profile    a CPU profile of the CF over its measured rounds (file in each line)
 *   npm run bench -- msrp --members=10 --bytes=10000000 --chunk=65536
 *                                      only the configurations with these values (each flag optional)
 *
 * A round of 10 MB lasts 10 to 500 ms, and this 2-core machine is shared: one round says little.
 * So each configuration runs rounds of CF and baseline in turns (CF then baseline, then baseline
 * then CF, and so on), so that load from elsewhere hits both alike, until each side has had
 * `--rounds` rounds and `--seconds` of measured transfer (at most `MAX_ROUNDS`), and reports
 * medians with their ranges.
 *
 * One JSON line per configuration:
 *
 * - `members`, `messageBytes`, `chunkBytes`: the configuration; `spool` ("memory" or "file"),
 *   `memorySpoolBytes`, `windowBytes`: the CF's settings;
 * - `rounds`: measured rounds per side; `cf` and `baseline`, each field `{ median, min, max }` over them:
 *   - `deliveredMBps`: bytes delivered to all members (10^6 bytes) per second up to the last byte;
 *   - `ttlbMinMs`, `ttlbMaxMs`: the fastest and the slowest member's time to last byte, from the
 *     originator's first write; `ttlbSpreadPct`: how far the slowest is above the fastest;
 *   - `cpuMs`: CPU time (user and system) of the relay process over the round, session open to close;
 *     `cpuMsPerGB`: the same per 10^9 bytes delivered; `busyPct`: the same per time to last byte,
 *     where 100 means one core busy all the round long (each process runs its JavaScript on one);
 *   - `peersCpuMs`, `peersBusyPct`: the same for the peers' process (originator and members), which
 *     shares the machine: the side whose busier process nears 100 is bound by that process;
 *   - `peakRssMB` (one number): the relay process's peak RSS over its life, warm-up and all rounds;
 * - `ratio`: the median over the rounds of `cf.deliveredMBps / baseline.deliveredMBps`, each CF
 *   round paired with the baseline round next to it; `ratioRange`: their least and greatest;
 * - `cpuRatio`: `baseline.cpuMsPerGB / cf.cpuMsPerGB` (medians): the relay's own efficiency against
 *   the pipe's, which `ratio` hides when the peers' process is the busier one (on two cores the
 *   MSRP members, which parse every chunk and answer it, bind the CF's rounds before the CF does);
 * - `wallS`: the configuration's time, start-up and warm-up included; `loadAverage`: the machine's
 *   one-minute load average before and after it, for how much else ran meanwhile; `profile`, with `--profile`.
 *
 * The relay, the peers and this orchestrator are separate processes, so that the relay's RSS and
 * CPU are its own; the processes run as JavaScript bundled by esbuild, as a deployment would, not
 * under tsx (whose loader thread alone adds some 30 MB of RSS). Before the measured rounds each
 * side sends warm-up messages of 10 MB, each through its own session, until 1 GB has been
 * delivered (JIT, heap sizing, socket buffers).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, machineInfo } from './machine.ts';
import { ask, type PeerMode, type PeersReply, type RelayReply } from './msrp/protocol.ts';

interface Config {
  readonly members: number;
  readonly messageBytes: number;
  readonly chunkBytes: number;
}

interface Options {
  readonly minRounds: number;
  readonly minMeasuredMs: number;
  readonly profileDir: string | undefined;
}

/** One round of one side. */
interface Round {
  readonly deliveredMBps: number;
  readonly ttlbMinMs: number;
  readonly ttlbMaxMs: number;
  readonly ttlbSpreadPct: number;
  readonly cpuMs: number;
  readonly cpuMsPerGB: number;
  readonly busyPct: number;
  readonly peersCpuMs: number;
  readonly peersBusyPct: number;
}

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

const MEMORY_SPOOL_BYTES = 16 << 20;
const WINDOW_BYTES = 1 << 20;
const WARM_UP_BYTES = 10_000_000;
/**
 * Warm-up rounds go on until this much has been delivered to the members in all, on each side. The
 * CF's CPU time per round settles only then (measured per 10 MB round: to 10 members 220, 170, 120,
 * 90, 80 ms from the fourth round on; to 1 member 70 ms down to 25 ms after some 20 rounds), as its
 * per-chunk code is compiled and the heap sized by what it has run. Both sides were still getting
 * faster after 400 MB: to 10 members the pipe's first measured rounds ran at 1.7 to 2.4 GB/s, its
 * later ones at 2.6 to 3.1 GB/s, the CF's at 0.9 to 1.0 and then 1.2 to 1.8 GB/s.
 */
const WARM_UP_DELIVERED_BYTES = 1_000_000_000;
/** Rounds of 10 MB to one member last some 10 ms: the time asked for would take hundreds. */
const MAX_ROUNDS = 61;

function configs(flags: readonly string[]): Config[] {
  const sizes = flags.includes('--large') ? [10_000_000, 1_000_000_000] : [10_000_000];
  const all: Config[] = [];
  for (const messageBytes of sizes) {
    for (const members of messageBytes > 10_000_000 ? [1, 10] : [1, 10, 50]) {
      for (const chunkBytes of [64 << 10, 1 << 20]) all.push({ members, messageBytes, chunkBytes });
    }
  }
  const wanted = (key: keyof Config, flag: string): ((config: Config) => boolean) => {
    const value = flagValue(flags, flag);
    return (config) => value === undefined || config[key] === Number(value);
  };
  const selected = [wanted('members', 'members'), wanted('messageBytes', 'bytes'), wanted('chunkBytes', 'chunk')];
  const chosen = all.filter((config) => selected.every((keep) => keep(config)));
  if (chosen.length === 0) throw new RangeError(`no configuration matches ${flags.join(' ')}; --bytes=1000000000 needs --large`);
  return chosen;
}

function flagValue(flags: readonly string[], name: string): string | undefined {
  return flags.find((flag) => flag.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function positiveFlag(flags: readonly string[], name: string, fallback: number): number {
  const value = Number(flagValue(flags, name) ?? fallback);
  if (!(value > 0)) throw new RangeError(`--${name} must be a positive number, got ${flagValue(flags, name)}`);
  return value;
}

type RelayRole = 'cf-process' | 'pipe-process';
type Role = RelayRole | 'peers-process';

/** Bundles the three process scripts into `directory`, one `<role>.mjs` each. */
async function bundle(directory: string): Promise<void> {
  await build({
    entryPoints: (['cf-process', 'pipe-process', 'peers-process'] as const).map((role) => fileURLToPath(new URL(`./msrp/${role}.ts`, import.meta.url))),
    outdir: directory,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
}

function child(directory: string, role: Role): ChildProcess {
  return fork(join(directory, `${role}.mjs`), {
    execArgv: [],
    env: { ...process.env, BENCH_MEMORY_SPOOL_BYTES: String(MEMORY_SPOOL_BYTES), BENCH_WINDOW_BYTES: String(WINDOW_BYTES) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** One side of the comparison: a relay process (CF or pipe) and its peers, with the members listening. */
class Side {
  readonly rounds: Round[] = [];
  measuredMs = 0;
  readonly #relay: ChildProcess;
  readonly #peers: ChildProcess;
  readonly #config: Config;
  #uris: string[] = [];

  constructor(directory: string, role: RelayRole, config: Config) {
    this.#relay = child(directory, role);
    this.#peers = child(directory, 'peers-process');
    this.#config = config;
  }

  async start(mode: PeerMode): Promise<void> {
    await ask<RelayReply, 'ready'>(this.#relay, {}, 'ready');
    this.#uris = (await ask<PeersReply, 'listening'>(this.#peers, { type: 'listen', members: this.#config.members, mode }, 'listening')).uris;
  }

  async warmUp(): Promise<void> {
    const rounds = Math.ceil(WARM_UP_DELIVERED_BYTES / (this.#config.members * WARM_UP_BYTES));
    for (let i = 0; i < rounds; i++) await this.#round(WARM_UP_BYTES);
  }

  profile(file: string): void {
    this.#relay.send({ type: 'profile', file });
  }

  /** One measured round, kept in `rounds`. */
  async measure(): Promise<void> {
    const { members, messageBytes } = this.#config;
    const { ttlbMs, cpuMs, peersCpuMs } = await this.#round(messageBytes);
    const min = Math.min(...ttlbMs);
    const max = Math.max(...ttlbMs);
    const delivered = members * messageBytes;
    this.measuredMs += max;
    this.rounds.push({
      deliveredMBps: delivered / 1e6 / (max / 1000),
      ttlbMinMs: min,
      ttlbMaxMs: max,
      ttlbSpreadPct: ((max - min) / min) * 100,
      cpuMs,
      cpuMsPerGB: cpuMs / (delivered / 1e9),
      busyPct: (cpuMs / max) * 100,
      peersCpuMs,
      peersBusyPct: (peersCpuMs / max) * 100,
    });
  }

  /** Ends both processes (the relay ends itself once it has replied); resolves with the relay's peak RSS. */
  async finish(): Promise<number> {
    const { peakRssMB } = await ask<RelayReply, 'stats'>(this.#relay, { type: 'finish' }, 'stats');
    this.#peers.kill();
    if (this.#relay.exitCode === null) await new Promise((resolve) => this.#relay.once('exit', resolve));
    return peakRssMB;
  }

  /** After a failure: ends both processes wherever they are. */
  kill(): void {
    this.#peers.kill();
    if (this.#relay.exitCode === null) this.#relay.kill();
  }

  /** A session opened to the members, one message sent through it, the session closed. */
  async #round(messageBytes: number): Promise<{ ttlbMs: number[]; cpuMs: number; peersCpuMs: number }> {
    const { target } = await ask<RelayReply, 'opened'>(this.#relay, { type: 'open', members: this.#uris }, 'opened');
    const send = { type: 'send', target, messageBytes, chunkBytes: this.#config.chunkBytes };
    const { ttlbMs, cpuMs: peersCpuMs } = await ask<PeersReply, 'done'>(this.#peers, send, 'done');
    const { cpuMs } = await ask<RelayReply, 'closed'>(this.#relay, { type: 'close' }, 'closed');
    return { ttlbMs, cpuMs, peersCpuMs };
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function spread(values: readonly number[], round: (value: number) => number): Spread {
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
}

/** Each field of the rounds as median and range, with the relay's peak RSS. */
function summary(rounds: readonly Round[], peakRssMB: number): Record<string, Spread | number> {
  const keys = Object.keys(rounds[0] as Round) as (keyof Round)[];
  return { ...Object.fromEntries(keys.map((key) => [key, spread(rounds.map((round) => round[key]), round1)])), peakRssMB: round1(peakRssMB) };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

export async function run(flags: readonly string[]): Promise<void> {
  const machine = machineInfo();
  const options: Options = {
    minRounds: Math.ceil(positiveFlag(flags, 'rounds', 5)),
    minMeasuredMs: positiveFlag(flags, 'seconds', 2) * 1000,
    profileDir: flags.includes('--profile') ? mkdtempSync(join(tmpdir(), 'cpm-cf-bench-profile-')) : undefined,
  };
  const directory = mkdtempSync(join(tmpdir(), 'cpm-cf-bench-'));
  try {
    await bundle(directory);
    for (const config of configs(flags)) emit({ ...(await measureConfig(directory, config, options)), machine });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Warms both sides up, then measures rounds of each in turns until both have enough. */
async function measureConfig(directory: string, config: Config, options: Options): Promise<object> {
  const startedAt = performance.now();
  const loadBefore = loadavg()[0] as number;
  const cf = new Side(directory, 'cf-process', config);
  const baseline = new Side(directory, 'pipe-process', config);
  try {
    await Promise.all([cf.start('msrp'), baseline.start('raw')]);
    // One after the other: each warm-up has the machine to itself, as the measured rounds do.
    await cf.warmUp();
    await baseline.warmUp();
    const profile = options.profileDir === undefined ? undefined : join(options.profileDir, `cf-${config.members}x${config.messageBytes}-${config.chunkBytes}.cpuprofile`);
    if (profile !== undefined) cf.profile(profile);
    const enough = (side: Side): boolean => side.rounds.length >= options.minRounds && side.measuredMs >= options.minMeasuredMs;
    while (cf.rounds.length < MAX_ROUNDS && !(enough(cf) && enough(baseline))) {
      // The order swaps every pair, so that neither side always runs right after the other.
      const pair = cf.rounds.length % 2 === 0 ? [cf, baseline] : [baseline, cf];
      for (const side of pair) await side.measure();
    }
    const ratios = cf.rounds.map((round, i) => round.deliveredMBps / (baseline.rounds[i] as Round).deliveredMBps);
    const [cfRss, baselineRss] = [await cf.finish(), await baseline.finish()];
    return {
      bench: 'msrp-fanout',
      ...config,
      spool: config.messageBytes > MEMORY_SPOOL_BYTES ? 'file' : 'memory',
      memorySpoolBytes: MEMORY_SPOOL_BYTES,
      windowBytes: WINDOW_BYTES,
      rounds: cf.rounds.length,
      cf: summary(cf.rounds, cfRss),
      baseline: summary(baseline.rounds, baselineRss),
      ratio: round2(median(ratios)),
      ratioRange: [round2(Math.min(...ratios)), round2(Math.max(...ratios))],
      cpuRatio: round2(median(baseline.rounds.map((r) => r.cpuMsPerGB)) / median(cf.rounds.map((r) => r.cpuMsPerGB))),
      wallS: round1((performance.now() - startedAt) / 1000),
      loadAverage: [round2(loadBefore), round2(loadavg()[0] as number)],
      ...(profile === undefined ? {} : { profile }),
    };
  } finally {
    cf.kill();
    baseline.kill();
  }
}
