/**
 * `npm run docs`: regenerates the machine diagrams, the call flows, `docs/traceability.md` and the
 * viewer site from the machines and the model-based paths.
 * `npm run docs:check`: regenerates them into a temporary folder and exits non-zero, listing the
 * files that differ, when the committed `docs/` is not current.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { generateDocs, repository } from './docs/generate.ts';
import { compareDocs, writeDocs } from './docs/output.ts';

const options = new Command()
  .name('docs')
  .description('Generate the docs for standards engineers from the machines')
  .option('--check', 'compare the committed docs/ with freshly generated ones instead of writing them')
  .parse()
  .opts<{ check?: boolean }>();

const docs = join(repository, 'docs');
const files = await generateDocs();

if (options.check) {
  const fresh = mkdtempSync(join(tmpdir(), 'cpm-cf-docs-'));
  try {
    writeDocs(fresh, files);
    const differences = compareDocs(fresh, docs);
    if (differences.length > 0) {
      console.error('docs/ is not current; run `npm run docs` and commit the result:');
      for (const d of differences) console.error(`  ${d.problem.padEnd(22)} docs/${d.path}`);
      process.exitCode = 1;
    } else {
      console.log(`docs/ is current (${files.size} generated files).`);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
} else {
  writeDocs(docs, files);
  console.log(`Wrote ${files.size} files under docs/.`);
}
