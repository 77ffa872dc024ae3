import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseGroupDocument } from '../../runtime/xdm/group-document.ts';
import { XcapClient, type XcapClientOptions } from '../../runtime/xdm/xcap-client.ts';
import { groupDocumentPath } from '../../runtime/xdm/xcap-path.ts';
import { XdmOptionsError } from '../../runtime/xdm/xdm-errors.ts';
import { startXdms, type XdmsHandle } from '../../runtime/xdm/xdms-server.ts';
import { fixture, groupsDir } from './support/fixtures.ts';
import { serveClosingReusedConnections, serveHttp, serveSilence, type Running } from './support/scripted-http.ts';

const MEDIA_TYPE = 'application/vnd.oma.poc.groups+xml';
const FRIENDS = 'sip:friends@cpm.example.net';
const PARTNERS = 'sip:partners@cpm.example.net';
const friends = parseGroupDocument(await fixture('group-friends.xml'));

function groupXml(uri: string, member: string): string {
  return `<group xmlns="urn:oma:xml:poc:list-service"><list-service uri="${uri}"><list><entry uri="${member}"/></list></list-service></group>`;
}

describe('XcapClient against the embedded XDMS over loopback HTTP', () => {
  let dir: { dir: string; remove(): Promise<void> };
  let xdms: XdmsHandle;
  let clock: number;

  async function restart(maxAgeSeconds: number): Promise<void> {
    await xdms.close();
    xdms = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: dir.dir, maxAgeSeconds });
  }

  function client(options: Partial<XcapClientOptions> = {}): XcapClient {
    return new XcapClient({ baseUrl: xdms.url, timeoutMs: 2000, now: () => clock, ...options });
  }

  /** Changes a group behind the client's back, as an administrator would. */
  async function replace(groupUri: string, member: string): Promise<void> {
    const response = await fetch(new URL(groupDocumentPath(groupUri), xdms.url), {
      method: 'PUT',
      headers: { 'content-type': MEDIA_TYPE },
      body: groupXml(groupUri, member),
    });
    expect(response.ok).toBe(true);
  }

  beforeEach(async () => {
    clock = Date.parse('2025-01-01T00:00:00Z');
    dir = await groupsDir({ 'friends.xml': 'group-friends.xml', 'partners.xml': 'group-partners.xml' });
    xdms = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: dir.dir });
  });

  afterEach(async () => {
    await xdms.close();
    await dir.remove();
  });

  it('finds a group on 200 and parses its document', async () => {
    expect(await client().fetchGroup(FRIENDS)).toStrictEqual({ kind: 'found', group: friends, from: 'network' });
  });

  it('revalidates with If-None-Match and reuses the cached document on 304', async () => {
    const xcap = client();
    const first = await xcap.fetchGroup(FRIENDS);
    const second = await xcap.fetchGroup(FRIENDS);
    expect(second).toMatchObject({ kind: 'found', from: 'revalidated' });
    expect(second.kind === 'found' && first.kind === 'found' && second.group === first.group).toBe(true);
  });

  it('sees a change at once when the XDMS says no-cache', async () => {
    const xcap = client();
    await xcap.fetchGroup(FRIENDS);
    await replace(FRIENDS, 'sip:zed@x');
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ kind: 'found', from: 'network', group: { members: [{ uri: 'sip:zed@x' }] } });
  });

  it('skips the request while Cache-Control max-age keeps the document fresh, and revalidates after', async () => {
    await restart(60);
    const xcap = client();
    await xcap.fetchGroup(FRIENDS);
    await replace(FRIENDS, 'sip:zed@x');
    clock += 59_000;
    expect(await xcap.fetchGroup(FRIENDS)).toStrictEqual({ kind: 'found', group: friends, from: 'cache' });
    clock += 1_000;
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ kind: 'found', from: 'network', group: { members: [{ uri: 'sip:zed@x' }] } });
  });

  it('refreshes freshness on a 304', async () => {
    await restart(60);
    const xcap = client();
    await xcap.fetchGroup(FRIENDS);
    clock += 60_000;
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ from: 'revalidated' });
    clock += 59_000;
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ from: 'cache' });
  });

  it('drops the least recently used group beyond maxCachedGroups', async () => {
    await restart(60);
    const xcap = client({ maxCachedGroups: 1 });
    await xcap.fetchGroup(FRIENDS);
    await xcap.fetchGroup(PARTNERS);
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ from: 'network' });
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ from: 'cache' });
  });

  it('answers not-found on 404, and forgets a cached group the XDMS no longer has', async () => {
    const xcap = client();
    expect(await xcap.fetchGroup('sip:nobody@cpm.example.net')).toStrictEqual({ kind: 'not-found' });
    await xcap.fetchGroup(FRIENDS);
    await fetch(new URL(groupDocumentPath(FRIENDS), xdms.url), { method: 'DELETE' });
    expect(await xcap.fetchGroup(FRIENDS)).toStrictEqual({ kind: 'not-found' });
  });

  it('finds a group PUT on the XDMS', async () => {
    const created = 'sip:new@cpm.example.net';
    await replace(created, 'sip:a@x');
    expect(await client().fetchGroup(created)).toMatchObject({ kind: 'found', group: { uri: created, members: [{ uri: 'sip:a@x' }] } });
  });

  it('resolves documents under an XCAP root that has a path', async () => {
    const seen: string[] = [];
    const server = await serveHttp((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new XcapClient({ baseUrl: `${server.url}xcap-root`, timeoutMs: 2000 }).fetchGroup(FRIENDS);
    expect(seen).toStrictEqual([`/xcap-root/${groupDocumentPath(FRIENDS)}`]);
    await server.close();
  });
});

describe('XcapClient when the XDMS misbehaves', () => {
  let server: Running | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function fetchFrom(running: Running, options: Partial<XcapClientOptions> = {}) {
    server = running;
    return new XcapClient({ baseUrl: running.url, timeoutMs: 2000, ...options }).fetchGroup(FRIENDS);
  }

  it('fails with 503 and the default Retry-After, within the timeout, when the XDMS never answers', async () => {
    const started = performance.now();
    const result = await fetchFrom(await serveSilence(), { timeoutMs: 200, defaultRetryAfterSeconds: 7 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result).toStrictEqual({
      kind: 'failed',
      reason: 'the XDMS did not answer within 200 ms',
      sipStatus: 503,
      retryAfter: 7,
    });
  });

  it('fails with 503 within the timeout when the XDMS stalls in the middle of the document', async () => {
    const result = await fetchFrom(
      await serveHttp((_req, res) => {
        res.writeHead(200, { 'content-type': MEDIA_TYPE, 'content-length': '5000' });
        res.write('<group xmlns="urn:oma:xml:poc:list-service">');
      }),
      { timeoutMs: 200 },
    );
    expect(result).toMatchObject({ kind: 'failed', sipStatus: 503, retryAfter: 10, reason: expect.stringMatching(/200 ms/) });
  });

  it('repeats a GET once on a fresh connection when the kept-alive one was closed under it', async () => {
    const closing = await serveClosingReusedConnections();
    server = closing;
    const xcap = new XcapClient({ baseUrl: closing.url, timeoutMs: 2000 });
    expect(await xcap.fetchGroup(FRIENDS)).toStrictEqual({ kind: 'not-found' });
    expect(await xcap.fetchGroup(FRIENDS)).toStrictEqual({ kind: 'not-found' });
    expect(closing.connections).toBe(2);
  });

  it('rejects at once when its caller aborts, instead of answering for a session that is gone', async () => {
    server = await serveSilence();
    const abandon = new AbortController();
    const pending = new XcapClient({ baseUrl: server.url, timeoutMs: 60_000 }).fetchGroup(FRIENDS, abandon.signal);
    abandon.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails with 503 when nothing listens at the XDMS address', async () => {
    const closed = await serveSilence();
    await closed.close();
    const result = await new XcapClient({ baseUrl: closed.url, timeoutMs: 2000 }).fetchGroup(FRIENDS);
    expect(result).toMatchObject({ kind: 'failed', sipStatus: 503, retryAfter: 10, reason: expect.stringMatching(/unreachable.*ECONNREFUSED/) });
  });

  it('fails with 503 and the XDMS Retry-After when it answers 503', async () => {
    const result = await fetchFrom(await serveHttp((_req, res) => res.writeHead(503, { 'retry-after': '120' }).end('busy')));
    expect(result).toStrictEqual({ kind: 'failed', reason: 'the XDMS answered HTTP 503', sipStatus: 503, retryAfter: 120 });
  });

  it('turns an HTTP-date Retry-After into seconds', async () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const result = await fetchFrom(await serveHttp((_req, res) => res.writeHead(500, { 'retry-after': inOneMinute }).end()));
    expect(result).toMatchObject({ kind: 'failed', sipStatus: 503 });
    expect(result.kind === 'failed' ? result.retryAfter : undefined).toBeGreaterThanOrEqual(58);
  });

  it('fails with 500 when the document is not a group document', async () => {
    const result = await fetchFrom(await serveHttp((_req, res) => res.writeHead(200, { 'content-type': MEDIA_TYPE }).end('<html>oops</html>')));
    expect(result).toMatchObject({ kind: 'failed', sipStatus: 500, reason: expect.stringMatching(/unusable.*<html>/) });
    expect(result).not.toHaveProperty('retryAfter');
  });

  it('fails with 500 when the document is not UTF-8', async () => {
    const result = await fetchFrom(await serveHttp((_req, res) => res.writeHead(200).end(Buffer.from([0x3c, 0xff, 0x3e]))));
    expect(result).toMatchObject({ kind: 'failed', sipStatus: 500, reason: expect.stringMatching(/not UTF-8/) });
  });

  it('fails with 500 when the document is of another group', async () => {
    const result = await fetchFrom(await serveHttp((_req, res) => res.writeHead(200).end(groupXml('sip:other@cpm.example.net', 'sip:a@x'))));
    expect(result).toMatchObject({ kind: 'failed', sipStatus: 500, reason: expect.stringMatching(/sip:other@cpm\.example\.net/) });
  });

  it('accepts a document whose group URI differs only in case or parameters', async () => {
    const result = await fetchFrom(await serveHttp((_req, res) => res.writeHead(200).end(groupXml('sip:Friends@CPM.example.net;x=y', 'sip:a@x'))));
    expect(result).toMatchObject({ kind: 'found' });
  });

  it('fails with 500 when the document exceeds maxDocumentBytes, declared or streamed', async () => {
    const xml = groupXml(FRIENDS, 'sip:a@x');
    expect(await fetchFrom(await serveHttp((_req, res) => res.writeHead(200).end(xml)), { maxDocumentBytes: 50 })).toMatchObject({
      kind: 'failed',
      sipStatus: 500,
      reason: expect.stringMatching(/exceeds 50 bytes/),
    });
    await server?.close();
    const streamed = await fetchFrom(
      await serveHttp((_req, res) => {
        res.writeHead(200);
        res.write(xml.slice(0, 40));
        setTimeout(() => res.end(xml.slice(40)), 10);
      }),
      { maxDocumentBytes: 50 },
    );
    expect(streamed).toMatchObject({ kind: 'failed', sipStatus: 500, reason: expect.stringMatching(/exceeds 50 bytes/) });
  });

  it('fails with 500 on an unexpected status such as 403', async () => {
    expect(await fetchFrom(await serveHttp((_req, res) => res.writeHead(403).end()))).toMatchObject({
      kind: 'failed',
      sipStatus: 500,
      reason: expect.stringMatching(/HTTP 403/),
    });
  });

  it('fails with 500 on a 304 it did not ask for', async () => {
    expect(await fetchFrom(await serveHttp((_req, res) => res.writeHead(304).end()))).toMatchObject({ kind: 'failed', sipStatus: 500 });
  });

  it('does not keep a no-store document', async () => {
    let requests = 0;
    const xml = groupXml(FRIENDS, 'sip:a@x');
    server = await serveHttp((_req, res) => {
      requests += 1;
      res.writeHead(200, { 'cache-control': 'no-store, max-age=60', etag: '"v1"' }).end(xml);
    });
    const xcap = new XcapClient({ baseUrl: server.url, timeoutMs: 2000 });
    await xcap.fetchGroup(FRIENDS);
    expect(await xcap.fetchGroup(FRIENDS)).toMatchObject({ kind: 'found', from: 'network' });
    expect(requests).toBe(2);
  });
});

describe('XcapClient options', () => {
  it.each([
    ['a baseUrl that is not a URL', { baseUrl: 'xdms:8080' }, /baseUrl/],
    ['a baseUrl that is not http(s)', { baseUrl: 'ftp://xdms/' }, /http/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a fractional maxDocumentBytes', { maxDocumentBytes: 1.5 }, /maxDocumentBytes/],
    ['a negative maxCachedGroups', { maxCachedGroups: -1 }, /maxCachedGroups/],
    ['a negative defaultRetryAfterSeconds', { defaultRetryAfterSeconds: -1 }, /defaultRetryAfterSeconds/],
  ])('refuses %s with CPM_ERR_XDM_BAD_OPTIONS', (_name, bad, message) => {
    const create = () => new XcapClient({ baseUrl: 'http://127.0.0.1:1/', timeoutMs: 1000, ...bad });
    expect(create).toThrow(XdmOptionsError);
    expect(create).toThrow(message);
  });
});
