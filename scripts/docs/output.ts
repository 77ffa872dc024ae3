/**
 * Writing the generated docs, and telling whether a `docs/` folder is current. Only what the
 * generator owns is touched or compared: its three folders and `traceability.md`; hand-written
 * pages such as `spec-findings.md` and the viewer's sources in `docs/viewer/` are left alone.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const generatedFolders = ['machines', 'call-flows', 'site'] as const;
const generatedFiles = ['traceability.md'] as const;

export interface Difference {
  path: string;
  problem: 'differs' | 'missing' | 'not generated any more';
}

function filesUnder(root: string, folder: string): string[] {
  const directory = join(root, folder);
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(root, join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

/** Every file of `docsDirectory` the generator owns, relative to it, sorted. */
export function ownedFiles(docsDirectory: string): string[] {
  const files = [
    ...generatedFolders.flatMap((folder) => filesUnder(docsDirectory, folder)),
    ...generatedFiles.filter((file) => existsSync(join(docsDirectory, file))),
  ];
  return files.map((f) => f.split('\\').join('/')).sort();
}

/** Writes `files` under `docsDirectory` and removes owned files that are no longer generated. */
export function writeDocs(docsDirectory: string, files: ReadonlyMap<string, string>): void {
  for (const stale of ownedFiles(docsDirectory).filter((path) => !files.has(path))) rmSync(join(docsDirectory, stale));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(docsDirectory, path)), { recursive: true });
    writeFileSync(join(docsDirectory, path), content);
  }
}

/** How the owned files of `actual` differ from those of `expected`, both `docs/`-like folders. */
export function compareDocs(expected: string, actual: string): Difference[] {
  const wanted = ownedFiles(expected);
  const present = new Set(ownedFiles(actual));
  const differences: Difference[] = wanted.flatMap((path): Difference[] => {
    if (!present.has(path)) return [{ path, problem: 'missing' }];
    return readFileSync(join(expected, path)).equals(readFileSync(join(actual, path))) ? [] : [{ path, problem: 'differs' }];
  });
  const stale = [...present].filter((path) => !wanted.includes(path)).map((path): Difference => ({ path, problem: 'not generated any more' }));
  return [...differences, ...stale].sort((a, b) => a.path.localeCompare(b.path));
}
