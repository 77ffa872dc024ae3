import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { groupDocumentPath } from '../../runtime/xdm/xcap-path.ts';
import { XdmGroupsDirError, XdmOptionsError } from '../../runtime/xdm/xdm-errors.ts';
import { startXdms, type XdmsHandle } from '../../runtime/xdm/xdms-server.ts';
import { fixture, groupsDir } from './support/fixtures.ts';

const MEDIA_TYPE = 'application/vnd.oma.poc.groups+xml';
const FRIENDS = 'sip:friends@cpm.example.net';

function groupXml(uri: string, member = 'sip:a@x'): string {
  return `<group xmlns="urn:oma:xml:poc:list-service"><list-service uri="${uri}"><list><entry uri="${member}"/></list></list-service></group>`;
}

let dir: { dir: string; remove(): Promise<void> };
let xdms: XdmsHandle;

function url(groupUri: string): string {
  return new URL(groupDocumentPath(groupUri), xdms.url).href;
}

function put(groupUri: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url(groupUri), { method: 'PUT', headers: { 'content-type': MEDIA_TYPE, ...headers }, body });
}

/** The `<xcap-error>` child of a 409 body, read as a namespace-aware DOM. */
async function xcapError(response: Response): Promise<{ name: string | null; phrase: string | null }> {
  expect(response.status).toBe(409);
  expect(response.headers.get('content-type')).toBe('application/xcap-error+xml');
  const root = new DOMParser().parseFromString(await response.text(), 'application/xml').documentElement;
  expect(root?.namespaceURI).toBe('urn:ietf:params:xml:ns:xcap-error');
  const detail = root?.children[0];
  return { name: detail?.localName ?? null, phrase: detail?.getAttribute('phrase') ?? null };
}

beforeEach(async () => {
  dir = await groupsDir({ 'friends.xml': 'group-friends.xml' });
  xdms = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: dir.dir });
});

afterEach(async () => {
  await xdms.close();
  await dir.remove();
});

describe('startXdms', () => {
  it('listens on the port it was given 0 for, and says which in url', () => {
    expect(xdms.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9]\d*\/$/);
  });

  it('refuses a directory with two documents for one group, naming both files', async () => {
    const twins = await groupsDir({ 'a.xml': groupXml(FRIENDS), 'b.xml': 'group-friends.xml' });
    await expect(startXdms({ host: '127.0.0.1', port: 0, groupsDir: twins.dir })).rejects.toThrow(
      expect.objectContaining({ code: 'CPM_ERR_XDM_GROUPS_DIR', message: expect.stringMatching(/a\.xml and b\.xml|b\.xml and a\.xml/) }),
    );
    await twins.remove();
  });

  it('refuses a directory holding a file that is not a group document, naming it', async () => {
    const bad = await groupsDir({ 'broken.xml': '<group' });
    const start = startXdms({ host: '127.0.0.1', port: 0, groupsDir: bad.dir });
    await expect(start).rejects.toBeInstanceOf(XdmGroupsDirError);
    await expect(start).rejects.toThrow(/broken\.xml/);
    await bad.remove();
  });

  it('refuses a directory that does not exist', async () => {
    await expect(startXdms({ host: '127.0.0.1', port: 0, groupsDir: join(dir.dir, 'nope') })).rejects.toMatchObject({
      code: 'CPM_ERR_XDM_GROUPS_DIR',
    });
  });

  it('ignores files that are not *.xml', async () => {
    const mixed = await groupsDir({ 'notes.txt': '<not a group', 'friends.xml': 'group-friends.xml' });
    const other = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: mixed.dir });
    await other.close();
    await mixed.remove();
  });

  it.each([
    ['port', { port: 70000 }],
    ['maxAgeSeconds', { maxAgeSeconds: -1 }],
    ['maxBodyBytes', { maxBodyBytes: 0.5 }],
  ])('refuses a bad %s with CPM_ERR_XDM_BAD_OPTIONS', async (name, bad) => {
    const start = startXdms({ host: '127.0.0.1', port: 0, groupsDir: dir.dir, ...bad });
    await expect(start).rejects.toBeInstanceOf(XdmOptionsError);
    await expect(start).rejects.toThrow(name);
  });
});

describe('GET (RFC 4825 §7.3)', () => {
  it('answers 200 with the stored bytes, the AUID media type, a strong ETag and no-cache', async () => {
    const response = await fetch(url(FRIENDS));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPE);
    expect(response.headers.get('etag')).toMatch(/^"[^"]+"$/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(await fixture('group-friends.xml'));
  });

  it('answers max-age when configured', async () => {
    const cached = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: dir.dir, maxAgeSeconds: 60 });
    const response = await fetch(new URL(groupDocumentPath(FRIENDS), cached.url));
    expect(response.headers.get('cache-control')).toBe('max-age=60');
    await cached.close();
  });

  it('answers 304 to If-None-Match with the current ETag, weak or strong, and 200 to another', async () => {
    const etag = (await fetch(url(FRIENDS))).headers.get('etag') ?? '';
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const response = await fetch(url(FRIENDS), { headers: { 'if-none-match': tag } });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
    }
    expect((await fetch(url(FRIENDS), { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('answers 412 to an If-Match that does not hold', async () => {
    expect((await fetch(url(FRIENDS), { headers: { 'if-match': '"other"' } })).status).toBe(412);
  });

  it('answers HEAD like GET without a body', async () => {
    const response = await fetch(url(FRIENDS), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"/);
    expect(await response.text()).toBe('');
  });

  it('answers 404 for an unknown group, even with If-None-Match (RFC 9110 §13.2.1)', async () => {
    expect((await fetch(url('sip:nobody@cpm.example.net'))).status).toBe(404);
    expect((await fetch(url('sip:nobody@cpm.example.net'), { headers: { 'if-none-match': '*' } })).status).toBe(404);
  });

  it.each([
    ['another AUID', 'org.openmobilealliance.pres-rules/global/byGroupID/sip%3Afriends%40cpm.example.net'],
    ['a node selector', `${groupDocumentPath(FRIENDS)}/~~/group/list-service`],
    ['the root', ''],
  ])('answers 404 for %s', async (_name, path) => {
    expect((await fetch(new URL(path, xdms.url))).status).toBe(404);
  });

  it('answers 400 to a malformed If-None-Match', async () => {
    expect((await fetch(url(FRIENDS), { headers: { 'if-none-match': 'not-quoted' } })).status).toBe(400);
  });
});

describe('PUT (RFC 4825 §7.2, §8.2)', () => {
  const NEW = 'sip:new@cpm.example.net';

  it('creates a document: 201 with its ETag, served by GET, written to groupsDir with no temp file left', async () => {
    const created = await put(NEW, groupXml(NEW));
    expect(created.status).toBe(201);
    const got = await fetch(url(NEW));
    expect(await got.text()).toBe(groupXml(NEW));
    expect(got.headers.get('etag')).toBe(created.headers.get('etag'));
    const files = await readdir(dir.dir);
    expect(files.sort()).toStrictEqual(['friends.xml', 'sip_new@cpm.example.net.xml']);
    expect(await readFile(join(dir.dir, 'sip_new@cpm.example.net.xml'), 'utf8')).toBe(groupXml(NEW));
  });

  it('replaces a document: 200 with a new ETag, rewriting the same file', async () => {
    const before = (await fetch(url(FRIENDS))).headers.get('etag');
    const replaced = await put(FRIENDS, groupXml(FRIENDS, 'sip:zed@x'));
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).not.toBe(before);
    expect(await readdir(dir.dir)).toStrictEqual(['friends.xml']);
    expect(parseGroupDocument(await readFile(join(dir.dir, 'friends.xml'), 'utf8')).members).toStrictEqual([{ uri: 'sip:zed@x' }]);
  });

  it('keeps what it stored across a restart', async () => {
    await put(NEW, groupXml(NEW));
    await xdms.close();
    xdms = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: dir.dir });
    expect(await (await fetch(url(NEW))).text()).toBe(groupXml(NEW));
  });

  it('does not overwrite a file another writer put where the new document would go', async () => {
    await writeFile(join(dir.dir, 'sip_new@cpm.example.net.xml'), 'written behind the XDMS');
    expect((await put(NEW, groupXml(NEW))).status).toBe(201);
    expect(await readFile(join(dir.dir, 'sip_new@cpm.example.net.xml'), 'utf8')).toBe('written behind the XDMS');
    expect(await readdir(dir.dir)).toHaveLength(3);
  });

  it('answers 412 when If-Match or If-None-Match fails, leaving the document as it was', async () => {
    const etag = (await fetch(url(FRIENDS))).headers.get('etag') ?? '';
    expect((await put(FRIENDS, groupXml(FRIENDS), { 'if-match': '"stale"' })).status).toBe(412);
    expect((await put(FRIENDS, groupXml(FRIENDS), { 'if-none-match': '*' })).status).toBe(412);
    expect((await put(NEW, groupXml(NEW), { 'if-match': '*' })).status).toBe(412);
    expect((await fetch(url(FRIENDS))).headers.get('etag')).toBe(etag);
    expect((await fetch(url(NEW))).status).toBe(404);
    expect((await put(FRIENDS, groupXml(FRIENDS), { 'if-match': etag })).status).toBe(200);
  });

  it('lets exactly one of two racing If-None-Match: * creations win', async () => {
    const statuses = await Promise.all([
      put(NEW, groupXml(NEW, 'sip:one@x'), { 'if-none-match': '*' }),
      put(NEW, groupXml(NEW, 'sip:two@x'), { 'if-none-match': '*' }),
    ]);
    expect(statuses.map((r) => r.status).sort()).toStrictEqual([201, 412]);
  });

  it('answers 409 <not-well-formed/> to a body that is not XML', async () => {
    expect(await xcapError(await put(NEW, '<group'))).toMatchObject({ name: 'not-well-formed' });
  });

  it('answers 409 <not-utf-8/> to a body that is not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from(groupXml(NEW).slice(0, -8)), Buffer.from([0xff]), Buffer.from('</group>')]);
    expect(await xcapError(await put(NEW, bytes))).toMatchObject({ name: 'not-utf-8' });
  });

  it('answers 409 <schema-validation-error/> to XML that is not a group document', async () => {
    expect(await xcapError(await put(NEW, '<group xmlns="urn:example"/>'))).toMatchObject({ name: 'schema-validation-error' });
  });

  it('answers 409 <constraint-failure/> when <list-service uri> is not the group URI of the request', async () => {
    const error = await xcapError(await put(NEW, groupXml(FRIENDS)));
    expect(error.name).toBe('constraint-failure');
    expect(error.phrase).toContain(FRIENDS);
    expect(error.phrase).toContain(NEW);
    expect(await readdir(dir.dir)).toStrictEqual(['friends.xml']);
  });

  it('answers 415 to a body that is not application/vnd.oma.poc.groups+xml', async () => {
    expect((await put(NEW, groupXml(NEW), { 'content-type': 'application/xml' })).status).toBe(415);
    expect((await put(NEW, groupXml(NEW), { 'content-type': `${MEDIA_TYPE}; charset=utf-8` })).status).toBe(201);
  });

  it('answers 413 to a body over 1 MiB, whether its length is declared or streamed', async () => {
    const big = new Uint8Array(1024 * 1024 + 1);
    expect((await put(NEW, big)).status).toBe(413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < big.length; i += 64 * 1024) controller.enqueue(big.subarray(i, i + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(url(NEW), {
      method: 'PUT',
      headers: { 'content-type': MEDIA_TYPE },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await readdir(dir.dir)).toStrictEqual(['friends.xml']);
  });
});

describe('DELETE (RFC 4825 §7.5)', () => {
  it('removes the document and its file, after which GET and DELETE answer 404', async () => {
    expect((await fetch(url(FRIENDS), { method: 'DELETE' })).status).toBe(200);
    expect(await readdir(dir.dir)).toStrictEqual([]);
    expect((await fetch(url(FRIENDS))).status).toBe(404);
    expect((await fetch(url(FRIENDS), { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 412 to an If-Match that does not hold, and deletes with one that does', async () => {
    const etag = (await fetch(url(FRIENDS))).headers.get('etag') ?? '';
    expect((await fetch(url(FRIENDS), { method: 'DELETE', headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect(await readdir(dir.dir)).toStrictEqual(['friends.xml']);
    expect((await fetch(url(FRIENDS), { method: 'DELETE', headers: { 'if-match': etag } })).status).toBe(200);
  });
});

describe('other methods', () => {
  it.each(['POST', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow (RFC 9110 §15.5.6)', async (method) => {
    const response = await fetch(url(FRIENDS), { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE');
  });
});
