import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compareDocs, ownedFiles, writeDocs } from '../../scripts/docs/output.ts';

const generated = new Map([
  ['machines/invite.svg', '<svg/>\n'],
  ['machines/invite.mmd', 'stateDiagram-v2\n'],
  ['call-flows/index.md', '# Call flows\n'],
  ['traceability.md', '# Traceability\n'],
]);

const folders: string[] = [];
function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'cpm-cf-docs-test-'));
  folders.push(path);
  return path;
}
afterEach(() => {
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

describe('docs:check', () => {
  it('finds a committed docs/ identical to the generated one current', () => {
    const [fresh, committed] = [folder(), folder()];
    writeDocs(fresh, generated);
    writeDocs(committed, generated);
    expect(compareDocs(fresh, committed)).toEqual([]);
  });

  it('lists the generated files that differ, are missing, or are no longer generated', () => {
    const [fresh, committed] = [folder(), folder()];
    writeDocs(fresh, generated);
    writeDocs(committed, new Map([...generated, ['machines/gone.svg', '<svg/>\n']]));
    writeFileSync(join(committed, 'machines/invite.mmd'), 'stateDiagram-v2\n  edited by hand\n');
    rmSync(join(committed, 'traceability.md'));
    expect(compareDocs(fresh, committed)).toEqual([
      { path: 'machines/gone.svg', problem: 'not generated any more' },
      { path: 'machines/invite.mmd', problem: 'differs' },
      { path: 'traceability.md', problem: 'missing' },
    ]);
  });

  it('leaves hand-written pages and the viewer sources alone', () => {
    const [fresh, committed] = [folder(), folder()];
    writeDocs(fresh, generated);
    mkdirSync(join(committed, 'viewer'));
    writeFileSync(join(committed, 'spec-findings.md'), '# Findings\n');
    writeFileSync(join(committed, 'viewer/main.ts'), 'export {};\n');
    writeDocs(committed, generated);
    expect(ownedFiles(committed)).toEqual([...generated.keys()].sort());
    expect(compareDocs(fresh, committed)).toEqual([]);
    expect(readFileSync(join(committed, 'spec-findings.md'), 'utf8')).toBe('# Findings\n');
  });

  it('removes, when writing, the generated files no longer generated', () => {
    const docs = folder();
    writeDocs(docs, new Map([...generated, ['call-flows/old.svg', '<svg/>\n']]));
    writeDocs(docs, generated);
    expect(ownedFiles(docs)).toEqual([...generated.keys()].sort());
  });
});
