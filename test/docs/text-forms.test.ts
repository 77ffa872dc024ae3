/**
 * The generated text forms (Mermaid sources, traceability, indexes) as file snapshots: the committed
 * files under `docs/` are the snapshots, so a machine change shows here as a readable diff, and
 * `vitest -u` or `npm run docs` brings both up to date at once.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDocs, repository } from '../../scripts/docs/generate.ts';

let files: Map<string, string>;
beforeAll(async () => {
  files = await generateDocs();
});

describe('the generated text forms match the committed docs', () => {
  it('include a Mermaid source per machine and per call flow, the indexes and the traceability table', () => {
    const texts = [...files.keys()].filter((path) => /\.(mmd|md)$/.test(path));
    expect(texts.filter((p) => p.startsWith('machines/') && p.endsWith('.mmd')).length).toBeGreaterThanOrEqual(11);
    expect(texts.filter((p) => p.startsWith('call-flows/') && p.endsWith('.mmd')).length).toBeGreaterThanOrEqual(20);
    expect(texts).toEqual(expect.arrayContaining(['traceability.md', 'machines/index.md', 'call-flows/index.md']));
  });

  it('as file snapshots', async () => {
    for (const [path, content] of files) {
      if (/\.(mmd|md)$/.test(path)) await expect(content, path).toMatchFileSnapshot(join(repository, 'docs', path));
    }
  });

  it('give one traceability row per requirement ID, linking its open questions into spec-findings.md', () => {
    const table = files.get('traceability.md') ?? '';
    const rows = table.split('\n').filter((line) => line.startsWith('| **'));
    expect(rows.map((r) => r.slice(4, r.indexOf('**', 4)))).toEqual([
      'INV-1', 'INV-2', 'INV-3', 'INV-4', 'INV-5', 'INV-6', 'INV-7', 'INV-8', 'INV-9', 'INV-10',
      'OK-1', 'OK-2', 'OK-3', 'OK-4', 'OK-5', 'OK-6', 'OK-7', 'ACK-1', 'SEND-1', 'BYE-1', 'BYE-2', 'BYE-3',
    ]);
    expect(rows.find((r) => r.startsWith('| **INV-5**'))).toContain('[Q13](spec-findings.md#q13)');
  });
});
