/**
 * The viewer's sources are browser code (DOM types), outside the Node project that `tsc -p .`
 * checks, and esbuild bundles them without checking types: this runs the compiler on them with
 * their own `docs/viewer/tsconfig.json`.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repository } from '../../scripts/docs/generate.ts';

describe('the viewer sources', () => {
  it('type-check under strict TypeScript with the DOM library', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const run = () => execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(repository, 'docs/viewer/tsconfig.json')], { encoding: 'utf8' });
    expect(run).not.toThrow();
  });
});
