/**
 * MSRP fan-out bench (issue 4): one originator, N members, one message, through the CF's relay
 * and, in the same run, through the physical baseline (the same bytes piped from one TCP socket to
 * N with no parsing). One JSON line per configuration: aggregate delivered MB/s (10^6 bytes), time
 * to last byte over the members, the relay process's peak RSS and CPU time, and
 * `ratio = cf / baseline`; each the median of `--runs` paired runs (default 3), CF and baseline
 * alternating so that drift in the machine's speed hits both alike.
 *
 *   npm run bench -- msrp              N = 1, 10, 50; 10 MB; chunks of 64 KiB and 1 MiB
 *   npm run bench -- msrp --large      also 1 GB to 1 and 10 members
 *   npm run bench -- msrp --runs=5     more runs per configuration
 *   npm run bench -- msrp --profile    CPU profiles of the CF's measured rounds (directory in each line)
 *   npm run bench -- msrp --members=10 --bytes=10000000 --chunk=65536
 *                                      only the configurations with these values (each flag optional)
 *
 * The relay, the peers and this orchestrator are separate processes, so that the relay's RSS and
 * CPU are its own; the processes run as JavaScript bundled by esbuild, as a deployment would, not
 * under tsx (whose loader thread alone adds some 30 MB of RSS). Each measurement first sends
 * warm-up messages of 10 MB, each through its own session, until 400 MB have been delivered (JIT,
 * heap sizing, socket buffers), then the measured one through a fresh session.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emit, machineInfo } from './machine.ts';
import { ask, type PeerMode, type PeersReply, type RelayReply } from './msrp/protocol.ts';

interface Config {
  readonly members: number;
  readonly messageBytes: number;
  readonly chunkBytes: number;
}

interface Measurement {
  readonly deliveredMBps: number;
  readonly ttlbMinMs: number;
  readonly ttlbMaxMs: number;
  /** How far the slowest member's time to last byte is above the fastest's. */
  readonly ttlbSpreadPct: number;
  readonly peakRssMB: number;
  /** CPU time (user + system) of the relay process during the measured round. */
  readonly cpuMs: number;
  /** The same for the peers' process (originator and members), which shares the machine. */
  readonly peersCpuMs: number;
}

const MEMORY_SPOOL_BYTES = 16 << 20;
const WINDOW_BYTES = 1 << 20;
const WARM_UP_BYTES = 10_000_000;
/**
 * Warm-up rounds go on until this much has been delivered to the members in all. The CF's CPU time
 * per round settles only then (measured per 10 MB round: to 10 members 220, 170, 120, 90, 80 ms
 * from the fourth round on; to 1 member 70 ms down to 25 ms after some 20 rounds), as its
 * per-chunk code is compiled and the heap sized by what it has run; with the one warm-up round of
 * before, the CF was measured half cold. The pipe gets the same warm-up.
 */
const WARM_UP_DELIVERED_BYTES = 400_000_000;

function configs(flags: readonly string[]): Config[] {
  const sizes = flags.includes('--large') ? [10_000_000, 1_000_000_000] : [10_000_000];
  const all: Config[] = [];
  for (const messageBytes of sizes) {
    for (const members of messageBytes > 10_000_000 ? [1, 10] : [1, 10, 50]) {
      for (const chunkBytes of [64 << 10, 1 << 20]) all.push({ members, messageBytes, chunkBytes });
    }
  }
  const wanted = (key: keyof Config, flag: string): ((config: Config) => boolean) => {
    const value = flags.find((f) => f.startsWith(`--${flag}=`))?.slice(flag.length + 3);
    return (config) => value === undefined || config[key] === Number(value);
  };
  const selected = [wanted('members', 'members'), wanted('messageBytes', 'bytes'), wanted('chunkBytes', 'chunk')];
  const chosen = all.filter((config) => selected.every((keep) => keep(config)));
  if (chosen.length === 0) throw new RangeError(`no configuration matches ${flags.join(' ')}; --bytes=1000000000 needs --large`);
  return chosen;
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

/** One round: a session opened to the members, one message sent through it, the session closed. */
async function round(relay: ChildProcess, peers: ChildProcess, members: string[], messageBytes: number, chunkBytes: number, profile?: string) {
  const { target } = await ask<RelayReply, 'opened'>(relay, { type: 'open', members, ...(profile === undefined ? {} : { profile }) }, 'opened');
  const done = await ask<PeersReply, 'done'>(peers, { type: 'send', target, messageBytes, chunkBytes }, 'done');
  await ask<RelayReply, 'closed'>(relay, { type: 'close' }, 'closed');
  return done;
}

async function measure(directory: string, relayRole: RelayRole, mode: PeerMode, config: Config, profile?: string): Promise<Measurement> {
  const relay = child(directory, relayRole);
  const peers = child(directory, 'peers-process');
  try {
    await ask<RelayReply, 'ready'>(relay, {}, 'ready');
    const { uris } = await ask<PeersReply, 'listening'>(peers, { type: 'listen', members: config.members, mode }, 'listening');
    const warmUpRounds = Math.ceil(WARM_UP_DELIVERED_BYTES / (config.members * WARM_UP_BYTES));
    for (let i = 0; i < warmUpRounds; i++) await round(relay, peers, uris, WARM_UP_BYTES, config.chunkBytes);
    const { ttlbMs, cpuMs: peersCpuMs } = await round(relay, peers, uris, config.messageBytes, config.chunkBytes, profile);
    const { peakRssMB, cpuMs } = await ask<RelayReply, 'stats'>(relay, { type: 'finish' }, 'stats');
    const min = Math.min(...ttlbMs);
    const max = Math.max(...ttlbMs);
    return {
      deliveredMBps: (config.members * config.messageBytes) / 1e6 / (max / 1000),
      ttlbMinMs: min,
      ttlbMaxMs: max,
      ttlbSpreadPct: ((max - min) / min) * 100,
      peakRssMB,
      cpuMs,
      peersCpuMs,
    };
  } catch (error) {
    relay.kill();
    throw error;
  } finally {
    peers.kill();
    if (relay.exitCode === null) await new Promise((resolve) => relay.once('exit', resolve));
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Each field's median over the runs, rounded to 0.1. */
function medians(runs: readonly Measurement[]): Measurement {
  const keys = Object.keys(runs[0] as Measurement) as (keyof Measurement)[];
  return Object.fromEntries(keys.map((key) => [key, round1(median(runs.map((run) => run[key])))])) as unknown as Measurement;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

export async function run(flags: readonly string[]): Promise<void> {
  const machine = machineInfo();
  const runs = Number(flags.find((flag) => flag.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new RangeError(`--runs must be a positive integer, got ${runs}`);
  const profileDir = flags.includes('--profile') ? mkdtempSync(join(tmpdir(), 'cpm-cf-bench-profile-')) : undefined;
  const directory = mkdtempSync(join(tmpdir(), 'cpm-cf-bench-'));
  try {
    await bundle(directory);
    for (const config of configs(flags)) emit({ ...(await measureConfig(directory, config, runs, profileDir)), machine });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `runs` paired runs of one configuration, summed up in medians. */
async function measureConfig(directory: string, config: Config, runs: number, profileDir: string | undefined): Promise<object> {
  const cf: Measurement[] = [];
  const baseline: Measurement[] = [];
  for (let i = 0; i < runs; i++) {
    const profile = profileDir === undefined ? undefined : join(profileDir, `cf-${config.members}x${config.messageBytes}-${config.chunkBytes}-${i}.cpuprofile`);
    cf.push(await measure(directory, 'cf-process', 'msrp', config, profile));
    baseline.push(await measure(directory, 'pipe-process', 'raw', config));
  }
  const ratios = cf.map((run, i) => run.deliveredMBps / (baseline[i] as Measurement).deliveredMBps);
  return {
    bench: 'msrp-fanout',
    ...config,
    spool: config.messageBytes > MEMORY_SPOOL_BYTES ? 'file' : 'memory',
    memorySpoolBytes: MEMORY_SPOOL_BYTES,
    windowBytes: WINDOW_BYTES,
    runs,
    cf: medians(cf),
    baseline: medians(baseline),
    ratio: Math.round(median(ratios) * 100) / 100,
    ratioRange: [Math.round(Math.min(...ratios) * 100) / 100, Math.round(Math.max(...ratios) * 100) / 100],
    ...(profileDir === undefined ? {} : { profileDir }),
  };
}
