/**
 * The processes of the bench: the members' MSRP side, the CF (forked, so that `/proc/<pid>` is the
 * CF's alone) serving one group whose members sit on fixed loopback UDP ports, and the SIPp UAS
 * that play those members, started afresh for each measurement on the same ports.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import type { TransactionStats } from '../../runtime/sip/transaction-layer.ts';
import type { CfCommand } from './cf-process.ts';
import { writeGroupDir } from './group.ts';
import { exited, request, typeOf } from './ipc.ts';
import { startSipp, type Sipp } from './sipp.ts';

const START_TIMEOUT_MS = 30_000;
const REPLY_TIMEOUT_MS = 10_000;

/** A bench process from its TypeScript source, through the tsx loader this process runs under (its `execArgv`). */
function child(file: string, args: readonly string[], execArgv: readonly string[] = []): ChildProcess {
  return fork(new URL(file, import.meta.url), args, { execArgv: [...process.execArgv, ...execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

/** A bench process from a JavaScript bundle: plain node, without the tsx loader. */
function compiledChild(file: string, args: readonly string[], execArgv: readonly string[]): ChildProcess {
  return fork(file, args, { execArgv: [...execArgv], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

/** A UDP port nobody holds now (bound and released at once; SIPp takes it right after). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** SIPp takes its port within milliseconds; nobody must INVITE a member that is not there yet. */
export async function untilBound(port: number): Promise<void> {
  for (let tries = 0; !(await udpPortTaken(port)); tries += 1) {
    if (tries === 100) throw new Error(`SIPp member did not bind UDP port ${port} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether some process has bound this UDP port on loopback. */
async function udpPortTaken(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(true));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(false)));
  });
}

export interface MsrpMembers {
  readonly pid: number;
  readonly ports: readonly number[];
  stats(): Promise<{ accepted: number; open: number; answered: number; errors: number }>;
  stop(): Promise<void>;
}

type MsrpMembersStats = { type: 'stats'; accepted: number; open: number; answered: number; errors: number };

export async function startMsrpMembers(count: number): Promise<MsrpMembers> {
  const process = child('./msrp-members.ts', [String(count)]);
  try {
    const { ports } = await request(process, undefined, (r): r is { type: 'listening'; ports: number[] } => typeOf(r) === 'listening', START_TIMEOUT_MS);
    return {
      pid: process.pid ?? Number.NaN,
      ports,
      stats: () => request(process, {}, (r): r is MsrpMembersStats => typeOf(r) === 'stats', REPLY_TIMEOUT_MS),
      stop: () => {
        if (process.connected) process.disconnect();
        return exited(process, REPLY_TIMEOUT_MS);
      },
    };
  } catch (error) {
    process.kill('SIGKILL');
    throw error;
  }
}

export interface CfStats {
  readonly sessions: number;
  readonly sipConnections: number;
  readonly transactions: TransactionStats;
  readonly mediaSessions: number;
  readonly memory: NodeJS.MemoryUsage;
}

export interface CfProcess {
  readonly pid: number;
  readonly sipPort: number;
  /** The group members' SIP ports, in the group's order (member i has MSRP port `msrp.ports[i]`). */
  readonly memberPorts: readonly number[];
  /** With `collect`, the CF runs a full garbage collection first. */
  stats(collect?: boolean): Promise<CfStats>;
  /** Asks the CF to exit (so that `--cpu-prof` writes its profile), waits for it, removes the group. */
  finish(): Promise<void>;
  /** Kills it at once (its thousands of held sessions need no clean end), removes the group. */
  kill(): Promise<void>;
}

export interface CfOptions {
  readonly members: number;
  readonly logLevel: string;
  readonly maxSessions: number;
  /** Node flags of the CF's process (`--cpu-prof`...). */
  readonly execArgv: readonly string[];
  /** The bundle of `cf-process.ts` to run (`compileCf`), instead of its sources through tsx. */
  readonly compiled?: string;
}

/** The CF with a fresh group of `members` members on free UDP ports. */
export async function startCf(options: CfOptions): Promise<CfProcess> {
  const memberPorts = await Promise.all(Array.from({ length: options.members }, freeUdpPort));
  const groupsDir = writeGroupDir(memberPorts);
  const args = [groupsDir, options.logLevel, String(options.maxSessions)];
  const cf = options.compiled === undefined ? child('./cf-process.ts', args, options.execArgv) : compiledChild(options.compiled, args, options.execArgv);
  const removeGroup = (): void => rmSync(groupsDir, { recursive: true, force: true });
  try {
    const { sipPort } = await request(cf, undefined, (r): r is { type: 'ready'; sipPort: number } => typeOf(r) === 'ready', START_TIMEOUT_MS);
    const askFinish: CfCommand = { type: 'finish' };
    return {
      pid: cf.pid ?? Number.NaN,
      sipPort,
      memberPorts,
      stats: (collect = false) => {
        const ask: CfCommand = { type: 'stats', collect };
        return request(cf, ask, (r): r is CfStats & { type: 'stats' } => typeOf(r) === 'stats', REPLY_TIMEOUT_MS);
      },
      finish: async () => {
        if (cf.connected) cf.send(askFinish);
        await exited(cf, REPLY_TIMEOUT_MS);
        removeGroup();
      },
      kill: async () => {
        cf.kill('SIGKILL');
        await exited(cf, REPLY_TIMEOUT_MS);
        removeGroup();
      },
    };
  } catch (error) {
    cf.kill('SIGKILL');
    removeGroup();
    throw error;
  }
}

/** One SIPp UAS per member of the CF's group, on the group's ports, each pointing at its MSRP port. */
export async function startMembers(dir: string, cf: CfProcess, msrp: MsrpMembers, args: readonly string[]): Promise<Sipp[]> {
  const members: Sipp[] = [];
  try {
    for (const [i, port] of cf.memberPorts.entries()) {
      members.push(startSipp({ scenario: 'member.xml', port, dir, keys: { msrp_port: String(msrp.ports[i]) }, args }));
      await untilBound(port);
    }
    return members;
  } catch (error) {
    await killAll(members);
    throw error;
  }
}

/** SIGUSR1 to every SIPp: each writes its final statistics and exits; those that linger are killed. */
export async function stopAll(sipps: readonly Sipp[], timeoutMs: number): Promise<void> {
  for (const sipp of sipps) sipp.stop();
  const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
  await Promise.race([Promise.all(sipps.map((sipp) => sipp.exited)), deadline]);
  await killAll(sipps);
}

export async function killAll(sipps: readonly Sipp[]): Promise<void> {
  for (const sipp of sipps) sipp.kill();
  await Promise.all(sipps.map((sipp) => sipp.exited));
}
