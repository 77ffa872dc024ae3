import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/xdm/', import.meta.url));
export const EXAMPLES_DIR = fileURLToPath(new URL('../../../examples/groups/', import.meta.url));

export function fixture(name: string): Promise<string> {
  return readFile(join(FIXTURES_DIR, name), 'utf8');
}

/** A scratch groups directory holding copies of `files` (fixture names) or literal documents. */
export async function groupsDir(files: Record<string, string> = {}): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cpm-xdm-'));
  for (const [name, content] of Object.entries(files)) {
    if (content.startsWith('<')) await writeFile(join(dir, name), content);
    else await cp(join(FIXTURES_DIR, content), join(dir, name));
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
