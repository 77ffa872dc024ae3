/**
 * `--compiled`: the CF's process as one JavaScript bundle run by plain `node`, instead of its
 * TypeScript sources through tsx's loader (as `bin/cpm-cf.js` runs it). tsx transforms with esbuild's
 * `keepNames`, which gives every named function a property dictionary of ~250 bytes (issue 7 found
 * them in every closure a session keeps); the bundle is built without it, so that the two can be
 * compared on CPU and heap per session. Packages stay external, loaded from node_modules as they
 * are under tsx: only the project's own code differs.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface CompiledCf {
  /** The bundle of `cf-process.ts`. */
  readonly file: string;
  remove(): void;
}

/** Bundles `cf-process.ts` under node_modules/.cache, whence its imports of packages resolve. */
export async function compileCf(): Promise<CompiledCf> {
  const cache = fileURLToPath(new URL('../../node_modules/.cache/cpm-cf-bench/', import.meta.url));
  mkdirSync(cache, { recursive: true });
  // A directory per run: benches of other working trees may share node_modules.
  const dir = mkdtempSync(join(cache, 'cf-'));
  const file = join(dir, 'cf-process.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./cf-process.ts', import.meta.url))],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    keepNames: false,
    logLevel: 'error',
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
