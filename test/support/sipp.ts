/**
 * SIPp (`sip-tester`) as a test peer: one process per scenario of `test/integration/sipp/`, run for
 * one call on a free loopback port, its exit status telling whether every step of the scenario —
 * including the header checks its `ereg`s make — passed (0) or not.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import type { Transport } from './sip-peer.ts';

const SCENARIOS = fileURLToPath(new URL('../integration/sipp/', import.meta.url));

/** Whether `sipp` can be run here (`.ci/run` installs `sip-tester` when missing). */
export const sippAvailable = spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error === undefined;

export interface SippRun {
  readonly port: number;
  /** Resolves with SIPp's exit status and what it wrote to stderr. */
  readonly done: Promise<{ status: number | null; stderr: string }>;
  kill(): void;
}

export interface SippOptions {
  readonly scenario: string;
  readonly transport: Transport;
  /** host:port of the CF, for a UAC; omitted for a UAS, which waits for a call. */
  readonly remote?: string;
  /** `[service]`: the user part of the Request-URI. */
  readonly service?: string;
}

export async function runSipp(options: SippOptions): Promise<SippRun> {
  const port = await freePort();
  const args = [
    ...(options.remote === undefined ? [] : [options.remote]),
    '-sf', `${SCENARIOS}${options.scenario}`,
    '-i', '127.0.0.1', '-p', String(port),
    '-t', options.transport === 'udp' ? 'u1' : 't1',
    '-m', '1', '-nostdin', '-timeout', '20s', '-timeout_error', '-max_recv_loops', '1000',
    ...(options.service === undefined ? [] : ['-s', options.service]),
  ];
  const child = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const done = new Promise<{ status: number | null; stderr: string }>((resolve) => child.once('exit', (status) => resolve({ status, stderr })));
  return { port, done, kill: () => child.kill('SIGKILL') };
}
