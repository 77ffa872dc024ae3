/**
 * `npm run properties -- --runs N [--seed S [--path P [--replay-path R]]] [files…]`: runs the properties of
 * `properties/` with N cases each (default 1,000, the CI count) from seed S, for longer soaks than
 * CI affords or to replay a failure (seed and path as fast-check printed them; name the file of
 * the failing property; a session property also wants the `replayPath` its counterexample
 * prints, to rebuild the same shrunk commands). The values reach the properties through the environment
 * (`properties/support/runs.ts`).
 *
 * @example npm run properties -- --runs 20000
 * @example npm run properties -- --seed=-1277018637 --path=2:0:0:0:0:0 session-member-requests (a negative seed needs the `=` form)
 * @example npm run properties -- --seed=221529033 --path=3:0:0:0:0:0:1:1:1:1:1:1:0 --replay-path=GAJAC:K session-runtime
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { DEFAULT_RUNS, PATH_VARIABLE, REPLAY_PATH_VARIABLE, RUNS_VARIABLE, SEED_VARIABLE } from '../properties/support/runs.ts';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: String(DEFAULT_RUNS) }, seed: { type: 'string' }, path: { type: 'string' }, 'replay-path': { type: 'string' } },
  allowPositionals: true,
});

function integer(name: string, text: string, min: number): string {
  if (!/^-?\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) {
    console.error(`--${name} ${text}: expected a whole number of at least ${min}`);
    process.exit(2);
  }
  return text;
}

const env: NodeJS.ProcessEnv = { ...process.env, [RUNS_VARIABLE]: integer('runs', values.runs, 1) };
if (values.seed !== undefined) env[SEED_VARIABLE] = integer('seed', values.seed, Number.MIN_SAFE_INTEGER);
if (values.path !== undefined) {
  if (values.seed === undefined) {
    console.error('--path replays a counterexample from its seed: pass --seed too');
    process.exit(2);
  }
  env[PATH_VARIABLE] = values.path;
}
if (values['replay-path'] !== undefined) {
  if (values.path === undefined) {
    console.error('--replay-path rebuilds the commands of a counterexample: pass its --seed and --path too');
    process.exit(2);
  }
  env[REPLAY_PATH_VARIABLE] = values['replay-path'];
}
const filters = positionals.length > 0 ? positionals.map((p) => `properties/${p}`) : ['properties'];

const child = spawn('npx', ['vitest', 'run', ...filters], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
