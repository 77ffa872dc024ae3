/**
 * How many cases each property runs, and from which seed: `npm run properties -- --runs N
 * [--seed S [--path P]]` passes them through the environment (`scripts/properties.ts`); CI runs
 * the default with a fresh seed each time.
 */
import type fc from 'fast-check';

/** The issue asks for at least 1,000 cases per session invariant in CI. */
export const DEFAULT_RUNS = 1000;

export const RUNS_VARIABLE = 'CPM_PROPERTY_RUNS';
export const SEED_VARIABLE = 'CPM_PROPERTY_SEED';
/** A failure's `path`: with its seed, replays that counterexample at once (select its property alone). */
export const PATH_VARIABLE = 'CPM_PROPERTY_PATH';
/**
 * A failure's `replayPath` (printed inside its counterexample): the shrunk commands are rebuilt
 * from it, since fast-check's `fc.commands` does not replay them from the seed and path alone.
 */
export const REPLAY_PATH_VARIABLE = 'CPM_PROPERTY_REPLAY_PATH';

/** The commands' replay path of a failure to replay, when one was given. */
export function commandsReplayPath(): string | undefined {
  return process.env[REPLAY_PATH_VARIABLE] || undefined;
}

function integerVariable(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`${name}=${text} is not an integer: pass --runs N / --seed S with whole numbers`);
  return value;
}

/** The number of runs for a property whose CI default is `runs`, scaled to the requested count. */
export function runCount(runs = DEFAULT_RUNS): number {
  const requested = integerVariable(RUNS_VARIABLE);
  return requested === undefined ? runs : Math.max(1, Math.round((requested * runs) / DEFAULT_RUNS));
}

export function runParameters(runs = DEFAULT_RUNS): fc.Parameters<unknown> {
  const seed = integerVariable(SEED_VARIABLE);
  const path = process.env[PATH_VARIABLE];
  return { numRuns: runCount(runs), ...(seed === undefined ? {} : { seed }), ...(seed === undefined || !path ? {} : { path, endOnFailure: true }) };
}

/** A vitest timeout that grows with the runs asked for: a soak of many runs must not time out. */
export function timeoutFor(runs = DEFAULT_RUNS, msPerRun = 100): number {
  return Math.max(60_000, runCount(runs) * msPerRun);
}
