/**
 * The titles of the project's tests (`describe` / `it` / `test` with a literal title), read from the
 * test files, so the traceability table can name the tests that speak of a requirement: those whose
 * title carries its ID, and the open-question scenarios (`Qn: …`) of the questions it touches. The
 * docs' own tests (`test/docs/`) test the docs, not the CR, and are left out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Requirement } from '../../machines/requirements.ts';

export interface TestTitle {
  /** The test file, relative to the repository. */
  file: string;
  title: string;
}

const TITLE = /\b(?:describe|it|test)\(\s*(['"])((?:\\.|(?!\1).)*)\1/g;

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'docs' ? [] : testFiles(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    });
}

export function testTitles(repository: string): TestTitle[] {
  return testFiles(join(repository, 'test')).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(TITLE)].map((match) => ({
      file: relative(repository, path),
      title: (match[2] ?? '').replace(/\\(.)/g, '$1'),
    })),
  );
}

/** The tests whose title names `requirement` (INV-1 but not INV-10) or one of its open questions. */
export function testsOf(requirement: Requirement, titles: readonly TestTitle[]): TestTitle[] {
  const id = new RegExp(`(^|[^A-Z0-9-])${requirement.id}(?![0-9])`);
  return titles.filter(({ title }) => id.test(title) || requirement.openQuestions.some((q) => title.startsWith(`Q${q}:`)));
}
