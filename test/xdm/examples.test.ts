import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMember, permissionsFor, supportsLargeMessageMode, type GroupDocument } from '../../machines/group.ts';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { startXdms } from '../../runtime/xdm/xdms-server.ts';
import { XcapClient } from '../../runtime/xdm/xcap-client.ts';
import { EXAMPLES_DIR } from './support/fixtures.ts';

const files = (await readdir(EXAMPLES_DIR)).filter((name) => name.endsWith('.xml')).sort();
const groups = new Map<string, GroupDocument>();
for (const file of files) groups.set(file, parseGroupDocument(await readFile(join(EXAMPLES_DIR, file), 'utf8')));

function example(file: string): GroupDocument {
  const group = groups.get(file);
  if (group === undefined) throw new Error(`examples/groups/${file} is missing`);
  return group;
}

const LOOPBACK_MEMBERS = ['sip:alice@127.0.0.1:5071', 'sip:bob@127.0.0.1:5072', 'sip:carol@127.0.0.1:5073'];
const DEMO_SENDERS = ['sip:sender@127.0.0.1', 'sip:sender@cpm.example.net'];

describe('examples/groups', () => {
  it('holds the five demo groups, each under sip:<file name>@cpm.example.net', () => {
    expect(files).toStrictEqual(['anonymous-ok.xml', 'empty.xml', 'friends.xml', 'no-cpm.xml', 'silent.xml']);
    for (const [file, group] of groups) expect(group.uri).toBe(`sip:${file.replace(/\.xml$/, '')}@cpm.example.net`);
  });

  it.each(files)('%s admits the demo senders and its members as initiators', (file) => {
    const group = example(file);
    for (const address of [...DEMO_SENDERS, ...group.members.map((m) => m.uri)]) {
      expect(permissionsFor(group, { address, anonymityRequested: false }).allowInitiateConference).toBe(true);
    }
    expect(permissionsFor(group, { address: 'sip:stranger@cpm.example.net', anonymityRequested: false }).allowInitiateConference).toBe(false);
  });

  it('friends: the three loopback members, Large Message Mode, nobody anonymous', () => {
    const friends = example('friends.xml');
    expect(friends.members.map((m) => m.uri)).toStrictEqual(LOOPBACK_MEMBERS);
    expect(supportsLargeMessageMode(friends)).toBe(true);
    expect(permissionsFor(friends, { address: 'sip:sender@127.0.0.1', anonymityRequested: true }).allowAnonymity).toBe(false);
    expect(isMember(friends, 'sip:sender@127.0.0.1')).toBe(false);
  });

  it('no-cpm: does not list the largemsg ICSI', () => {
    expect(example('no-cpm.xml').members.map((m) => m.uri)).toStrictEqual(LOOPBACK_MEMBERS);
    expect(supportsLargeMessageMode(example('no-cpm.xml'))).toBe(false);
  });

  it('anonymous-ok: its initiators may be anonymous', () => {
    const group = example('anonymous-ok.xml');
    expect(supportsLargeMessageMode(group)).toBe(true);
    for (const address of [...DEMO_SENDERS, ...LOOPBACK_MEMBERS]) {
      expect(permissionsFor(group, { address, anonymityRequested: true }).allowAnonymity).toBe(true);
    }
  });

  it('silent: three members on loopback ports 5091-5093', () => {
    const group = example('silent.xml');
    expect(group.members.map((m) => new URL(m.uri.replace(/^sip:/, 'sip://')).port)).toStrictEqual(['5091', '5092', '5093']);
    expect(group.members.every((m) => m.uri.includes('@127.0.0.1:'))).toBe(true);
    expect(supportsLargeMessageMode(group)).toBe(true);
  });

  it('empty: no members', () => {
    expect(example('empty.xml').members).toStrictEqual([]);
    expect(supportsLargeMessageMode(example('empty.xml'))).toBe(true);
  });

  it('is served as is by the embedded XDMS', async () => {
    const xdms = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: EXAMPLES_DIR });
    try {
      const client = new XcapClient({ baseUrl: xdms.url, timeoutMs: 2000 });
      for (const group of groups.values()) {
        expect(await client.fetchGroup(group.uri)).toMatchObject({ kind: 'found', group });
      }
    } finally {
      await xdms.close();
    }
  });
});
