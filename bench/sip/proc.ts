/**
 * What Linux says about a process (`/proc/<pid>/stat`, `/proc/<pid>/status`, `/proc/self/limits`):
 * the CF's CPU time and memory are read from outside it, as an operator would.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of the times in `/proc/<pid>/stat` (USER_HZ). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User plus system CPU time the process has used, in ms. */
export function cpuMs(pid: number): number {
  // utime and stime are fields 14 and 15 of the line, so 11 and 12 after the name and the state.
  return statTicksMs(`/proc/${pid}/stat`, 11);
}

/**
 * User plus system CPU time of this process's children that have ended and been waited for, in ms:
 * what SIPp processes used, read once they have exited (the kernel adds them to their parent only then).
 */
export function endedChildrenCpuMs(): number {
  // cutime and cstime are fields 16 and 17, so 13 and 14 after the name and the state.
  return statTicksMs('/proc/self/stat', 13);
}

function statTicksMs(path: string, firstField: number): number {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[firstField]) + Number(fields[firstField + 1])) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size now, and its peak since the process began (VmHWM), in KiB. */
export function memoryKiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/** RLIMIT_NOFILE as this process (and so every child it starts) has it: the soft limit. */
export function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s{2,}/)[1] ?? Number.NaN);
}
