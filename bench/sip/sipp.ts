/**
 * SIPp (`sip-tester`, which `.ci/run` installs) as the bench's load: one process per originator
 * or member, UDP on loopback, its statistics written to files in a working directory of the
 * bench's, and read back here once it has ended.
 *
 * - `<scenario>_<pid>_.csv` (`-trace_stat`): call counters, cumulative, one line per `-fd` period
 *   and one more when SIPp ends.
 * - `<scenario>_<pid>_counts.csv` (`-trace_counts`): per scenario message, how many were sent or
 *   received, resent (`_Retrans`: SIPp's own resends of a message it sends, the peer's resends it
 *   matched for one it receives), timed out or came unexpected.
 * - `<scenario>_<pid>_rtt.csv` (`-trace_rtt -rtt_freq 1`): every call's response time 1 (the
 *   originator's INVITE to its 200 OK, `start_rtd`/`rtd` in the scenario).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP_USER } from './group.ts';

const SCENARIOS = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** The setting: ten answers per call arrive at the originator's side in bursts. */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

export function sippVersion(): string | undefined {
  const run = spawnSync('sipp', ['-v'], { encoding: 'utf8' });
  if (run.error !== undefined) return undefined;
  return /SIPp v[^\s,]+/.exec(run.stdout)?.[0];
}

export interface SippOptions {
  readonly scenario: 'originator.xml' | 'member.xml';
  readonly port: number;
  /** Where its trace files go (SIPp writes them in its working directory). */
  readonly dir: string;
  /** `host:port` of the CF, for the originator. */
  readonly remote?: string;
  /** `-key name value`: the scenario's `[name]`. */
  readonly keys?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
}

export interface Sipp {
  readonly port: number;
  readonly process: ChildProcess;
  /** Resolves with SIPp's exit status once it has ended. */
  readonly exited: Promise<number | null>;
  /** SIGUSR1: SIPp stops taking calls, finishes those under way and exits, writing its final statistics. */
  stop(): void;
  kill(): void;
}

/**
 * The originator's arguments for `calls` calls at `rate` per second to the bench's group, `pauseMs`
 * between ACK and BYE. SIPp's default cap on calls at once (3 × call length × rate) would lower the
 * rate it offers, so the cap is the calls themselves.
 */
export function originatorCalls(rate: number, calls: number, pauseMs: number): string[] {
  return ['-s', GROUP_USER, '-r', String(rate), '-m', String(calls), '-d', String(pauseMs), '-l', String(calls)];
}

export function startSipp(options: SippOptions): Sipp {
  const keys = Object.entries(options.keys ?? {}).flatMap(([name, value]) => ['-key', name, value]);
  const args = [
    ...(options.remote === undefined ? [] : [options.remote]),
    '-sf', join(SCENARIOS, options.scenario),
    '-i', '127.0.0.1', '-p', String(options.port), '-t', 'u1',
    '-buff_size', String(SOCKET_BUFFER_BYTES),
    '-nostdin', '-trace_stat', '-trace_counts', '-fd', '1', '-trace_err',
    ...keys,
    ...(options.args ?? []),
  ];
  const child = spawn('sipp', args, { cwd: options.dir, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    port: options.port,
    process: child,
    exited,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGUSR1');
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** A CSV of SIPp's: `;`-separated, a header line, then one line per dump. */
function lastRecord(file: string): Map<string, string> {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const names = (lines[0] ?? '').split(';');
  const values = (lines.at(-1) ?? '').split(';');
  return new Map(names.map((name, i) => [name, values[i] ?? '']));
}

function traceFile(dir: string, pid: number, suffix: string): string {
  const name = readdirSync(dir).find((file) => file.endsWith(`_${pid}_${suffix}`));
  if (name === undefined) throw new Error(`SIPp ${pid} wrote no *_${pid}_${suffix} in ${dir}`);
  return join(dir, name);
}

export interface SippCounts {
  /** Calls begun, ended well, ended in failure (cumulative). */
  readonly calls: { readonly created: number; readonly successful: number; readonly failed: number; readonly current: number };
  /** SIP messages SIPp sent and received, resends included: each of them was received or sent by the CF. */
  readonly messages: number;
  /** Resends of messages SIPp sends (its timers, or answering a resent request). */
  readonly resentBySipp: number;
  /** Resends by the CF: those SIPp matched within a call, and those arriving after their call ended. */
  readonly resentByCf: number;
}

/** What one SIPp process counted, from its last statistics line (written at its end). */
export function readCounts(dir: string, pid: number): SippCounts {
  const stat = lastRecord(traceFile(dir, pid, '.csv'));
  const counts = lastRecord(traceFile(dir, pid, 'counts.csv'));
  const number = (map: Map<string, string>, name: string): number => Number(map.get(name) ?? 0) || 0;
  let messages = 0;
  let resentBySipp = 0;
  let resentByCf = 0;
  for (const [name, value] of counts) {
    const n = Number(value) || 0;
    // Columns are `<index>_<message>_<Sent|Recv|Retrans|Timeout|Unexp>`; a Retrans column follows
    // the Sent or Recv column of its message.
    const kind = /^\d+_.+_(Sent|Recv|Retrans|Unexp)$/.exec(name)?.[1];
    if (kind === 'Sent' || kind === 'Recv' || kind === 'Unexp') messages += n;
    if (kind !== 'Retrans') continue;
    messages += n;
    if (counts.has(name.replace(/_Retrans$/, '_Sent'))) resentBySipp += n;
    else resentByCf += n;
  }
  const deadCall = number(stat, 'DeadCallMsgs(C)');
  return {
    calls: {
      created: number(stat, 'TotalCallCreated'),
      successful: number(stat, 'SuccessfulCall(C)'),
      failed: number(stat, 'FailedCall(C)'),
      current: number(stat, 'CurrentCall'),
    },
    messages: messages + deadCall,
    resentBySipp,
    resentByCf: resentByCf + deadCall,
  };
}

/** Every call's INVITE → 200 OK time in ms, as the originator measured it. */
export function readResponseTimes(dir: string, pid: number): number[] {
  const lines = readFileSync(traceFile(dir, pid, 'rtt.csv'), 'utf8').split('\n').slice(1);
  return lines.filter((line) => line.trim() !== '').map((line) => Number(line.split(';')[1]));
}
