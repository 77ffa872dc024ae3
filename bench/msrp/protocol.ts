/**
 * The messages between the fan-out bench's orchestrator and its processes: the relay under test
 * (the CF, or the plain pipe of the physical baseline) and the peers (originator and members).
 * A measurement runs many rounds on the same processes, warm-up rounds and then the measured ones;
 * each round opens a session, sends one message and closes the session.
 */
import type { ChildProcess } from 'node:child_process';

/** What the orchestrator asks of a relay process (CF or pipe). */
export type RelayCommand =
  | { type: 'open'; members: string[] }
  | { type: 'close' }
  /** CPU-profiles the process from now until `finish`, into `file`. */
  | { type: 'profile'; file: string }
  | { type: 'finish' };

export type RelayReply =
  | { type: 'ready' }
  | { type: 'opened'; target: string }
  /** `cpuMs`: the CPU time (user and system) the process used since the round's `opened`. */
  | { type: 'closed'; cpuMs: number }
  | { type: 'stats'; peakRssMB: number };

/** What the orchestrator asks of the peers process. */
export type PeersCommand =
  | { type: 'listen'; members: number; mode: PeerMode }
  | { type: 'send'; target: string; messageBytes: number; chunkBytes: number };

export type PeersReply =
  | { type: 'listening'; uris: string[] }
  | { type: 'done'; ttlbMs: number[]; cpuMs: number };

/**
 * `msrp`: members parse MSRP and answer every chunk, as the CF needs them to. `raw`: members only
 * count bytes (the baseline's members, as the pipe does not speak MSRP).
 */
export type PeerMode = 'msrp' | 'raw';

/** Sends `command` (none if empty) to `child` and resolves with its first reply of type `type`. */
export function ask<R extends { type: string }, T extends R['type']>(child: ChildProcess, command: object, type: T): Promise<Extract<R, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: R): void => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<R, { type: T }>);
    };
    const onExit = (code: number | null): void => reject(new Error(`bench process exited (${code}) while waiting for "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (Object.keys(command).length > 0) child.send(command);
  });
}

/** In a child: replies to the orchestrator. */
export function reply(message: RelayReply | PeersReply): void {
  process.send?.(message);
}

let openedAt: NodeJS.CpuUsage | undefined;

/** In a relay process: a session is open; the round's CPU time counts from here. */
export function opened(target: string): void {
  openedAt = process.cpuUsage();
  reply({ type: 'opened', target });
}

/** In a relay process: the round's session is closed; replies with the CPU time the round took. */
export function closed(): void {
  const cpu = process.cpuUsage(openedAt);
  reply({ type: 'closed', cpuMs: (cpu.user + cpu.system) / 1000 });
}

/** A relay process's peak RSS over its whole life (warm-up and every measured round). */
export function stats(): Extract<RelayReply, { type: 'stats' }> {
  return { type: 'stats', peakRssMB: process.resourceUsage().maxRSS / 1024 };
}
