/**
 * The CF as an XCAP client (RFC 4825) of the Shared Group XDMS: fetches a group's document
 * (INV-2, INV-9 and the rules INV-1/INV-5 need) and turns every way that can go wrong into a
 * result the machines can answer the originator with, never an exception or a hang.
 */
import { canonicalAddress, type GroupDocument } from '../../machines/group.ts';
import { parseGroupDocument } from './group-document.ts';
import { HttpGetter, type Body, type HttpReply } from './http-get.ts';
import { retryAfterSeconds, storability } from './response-headers.ts';
import { decodeUtf8 } from './strict-xml.ts';
import { groupDocumentPath } from './xcap-path.ts';
import { XdmDocumentError, XdmOptionsError } from './xdm-errors.ts';
import { GROUP_DOCUMENT_MEDIA_TYPE } from './xdm-names.ts';

export type GroupFetchResult =
  /** `from` says whether the XDMS was asked: `cache` (fresh, no request), `revalidated` (304), `network` (200). */
  | { kind: 'found'; group: GroupDocument; from: 'network' | 'revalidated' | 'cache' }
  /** HTTP 404: the XDMS has no document for this group URI. */
  | { kind: 'not-found' }
  /**
   * The group cannot be known now. `sipStatus` is what to answer the originator: 503 (always with
   * `retryAfter`, seconds) when the XDMS is unreachable, times out or answers 5xx; 500 when it
   * answers with a bad document or an unexpected status.
   */
  | { kind: 'failed'; reason: string; sipStatus: 500 | 503; retryAfter?: number };

/** Where a session reads its group from; `signal` abandons the fetch once nobody waits for it. */
export interface GroupSource {
  fetchGroup(groupUri: string, signal?: AbortSignal): Promise<GroupFetchResult>;
}

export interface XcapClientOptions {
  /** The XCAP root URI (RFC 4825 §6.1), e.g. `http://127.0.0.1:8080/`. */
  baseUrl: string;
  /** Longest wait for one fetch, from sending the request to the last byte of the document. */
  timeoutMs: number;
  /** `retryAfter` of a 503 when the XDMS gave no `Retry-After`. Default `DEFAULT_RETRY_AFTER_SECONDS`. */
  defaultRetryAfterSeconds?: number;
  /** Larger documents fail with 500 rather than being buffered. Default 1 MiB. */
  maxDocumentBytes?: number;
  /** Documents kept for ETag revalidation, least recently used dropped first; 0 disables. Default 1000. */
  maxCachedGroups?: number;
  /** Clock for cache freshness, in ms. Default `Date.now`. */
  now?: () => number;
}

/** `retryAfter` of a 503 when the XDMS gave no `Retry-After` and the options name no other. */
export const DEFAULT_RETRY_AFTER_SECONDS = 10;

interface CachedGroup {
  group: GroupDocument;
  etag: string | null;
  freshUntilMs: number;
}

/**
 * Reads Shared Group XDM documents over XCAP, caching them by ETag and `Cache-Control`.
 *
 * @example
 * const xdms = new XcapClient({ baseUrl: 'http://127.0.0.1:8080/', timeoutMs: 2000 });
 * const result = await xdms.fetchGroup('sip:friends@cpm.example.net');
 * if (result.kind === 'failed') respond(result.sipStatus, { retryAfter: result.retryAfter });
 */
export class XcapClient implements GroupSource {
  private readonly root: URL;
  private readonly timeoutMs: number;
  private readonly defaultRetryAfterSeconds: number;
  private readonly maxDocumentBytes: number;
  private readonly maxCachedGroups: number;
  private readonly now: () => number;
  private readonly http = new HttpGetter();
  /** Insertion order is recency order: a hit is re-inserted, eviction takes the first key. */
  private readonly cache = new Map<string, CachedGroup>();

  constructor(options: XcapClientOptions) {
    this.root = xcapRoot(options.baseUrl);
    this.timeoutMs = positiveInteger('timeoutMs', options.timeoutMs);
    this.defaultRetryAfterSeconds = nonNegativeInteger('defaultRetryAfterSeconds', options.defaultRetryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
    this.maxDocumentBytes = positiveInteger('maxDocumentBytes', options.maxDocumentBytes ?? 1024 * 1024);
    this.maxCachedGroups = nonNegativeInteger('maxCachedGroups', options.maxCachedGroups ?? 1000);
    this.now = options.now ?? Date.now;
  }

  /**
   * The group's document, from the cache while fresh, else from the XDMS (conditionally if cached).
   * Rejects only when `signal` aborts: the caller has gone, so no result is made up for it.
   */
  async fetchGroup(groupUri: string, signal?: AbortSignal): Promise<GroupFetchResult> {
    const cached = this.cache.get(groupUri);
    // RFC 9111 §4.2: a fresh stored response is used without contacting the origin.
    if (cached !== undefined && this.now() < cached.freshUntilMs) {
      this.remember(groupUri, cached);
      return { kind: 'found', group: cached.group, from: 'cache' };
    }
    const headers: Record<string, string> = { accept: GROUP_DOCUMENT_MEDIA_TYPE };
    // RFC 9110 §13.1.2: revalidate by ETag, so an unchanged group costs a 304 and no parsing.
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    let response: HttpReply;
    try {
      // Only a 200 carries a body this client reads; any other is discarded to free the connection.
      response = await this.http.get(new URL(groupDocumentPath(groupUri), this.root), {
        headers,
        timeoutMs: this.timeoutMs,
        maxBodyBytes: this.maxDocumentBytes,
        readsBodyOf: (status) => status === 200,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return this.unavailable(
        timedOut ? `the XDMS did not answer within ${this.timeoutMs} ms` : `the XDMS is unreachable: ${describe(err)}`,
        null,
      );
    }
    return this.interpret(groupUri, response, cached);
  }

  private interpret(groupUri: string, response: HttpReply, cached: CachedGroup | undefined): GroupFetchResult {
    const body = response.body;
    if (body !== 'unread') return this.accept(groupUri, response, body);
    if (response.status === 304 && cached !== undefined) {
      this.store(groupUri, response, cached.group, cached.etag);
      return { kind: 'found', group: cached.group, from: 'revalidated' };
    }
    if (response.status === 404) {
      this.cache.delete(groupUri);
      return { kind: 'not-found' };
    }
    // RFC 9110 §15.6: 5xx is the server's trouble, likely passing; tell the originator when to retry.
    if (response.status >= 500) {
      return this.unavailable(`the XDMS answered HTTP ${response.status}`, response.header('retry-after'));
    }
    return { kind: 'failed', reason: `the XDMS answered HTTP ${response.status} for ${groupUri}`, sipStatus: 500 };
  }

  private accept(groupUri: string, response: HttpReply, body: Exclude<Body, 'unread'>): GroupFetchResult {
    if (body === 'too-large') {
      return { kind: 'failed', reason: `the document of ${groupUri} exceeds ${this.maxDocumentBytes} bytes`, sipStatus: 500 };
    }
    let group: GroupDocument;
    try {
      group = parseGroupDocument(decodeUtf8(body));
    } catch (err) {
      if (!(err instanceof XdmDocumentError)) throw err;
      return { kind: 'failed', reason: `the document of ${groupUri} is unusable: ${err.message}`, sipStatus: 500 };
    }
    // A document for another group would hand this group's session to the wrong members.
    if (canonicalAddress(group.uri) !== canonicalAddress(groupUri)) {
      return { kind: 'failed', reason: `the XDMS answered for ${groupUri} with the document of ${group.uri}`, sipStatus: 500 };
    }
    this.store(groupUri, response, group, null);
    return { kind: 'found', group, from: 'network' };
  }

  /** RFC 9111 §4.3.4: a 304 refreshes the stored response's freshness and validator. */
  private store(groupUri: string, response: HttpReply, group: GroupDocument, previousEtag: string | null): void {
    const storable = storability(response.header('cache-control'));
    const etag = response.header('etag') ?? previousEtag;
    // Neither fresh nor revalidatable: keeping it would only take memory.
    if (!storable.store || (storable.maxAgeSeconds === 0 && etag === null)) {
      this.cache.delete(groupUri);
      return;
    }
    this.remember(groupUri, { group, etag, freshUntilMs: this.now() + storable.maxAgeSeconds * 1000 });
  }

  private remember(groupUri: string, entry: CachedGroup): void {
    this.cache.delete(groupUri);
    this.cache.set(groupUri, entry);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.maxCachedGroups) break;
      this.cache.delete(oldest);
    }
  }

  private unavailable(reason: string, retryAfterHeader: string | null): GroupFetchResult {
    const retryAfter = retryAfterSeconds(retryAfterHeader, this.now()) ?? this.defaultRetryAfterSeconds;
    return { kind: 'failed', reason, sipStatus: 503, retryAfter };
  }
}

function xcapRoot(baseUrl: string): URL {
  let root: URL;
  try {
    root = new URL(baseUrl);
  } catch {
    throw new XdmOptionsError(`baseUrl '${baseUrl}' is not a URL: pass the XCAP root, e.g. http://127.0.0.1:8080/`);
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') {
    throw new XdmOptionsError(`baseUrl '${baseUrl}' is not http(s): XCAP runs over HTTP (RFC 4825)`);
  }
  // Relative resolution would drop a last path segment that does not end in '/'.
  if (!root.pathname.endsWith('/')) root.pathname += '/';
  return root;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new XdmOptionsError(`${name} is ${value}: pass a positive integer`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new XdmOptionsError(`${name} is ${value}: pass an integer >= 0`);
  return value;
}

/** The socket's error as node:http reports it, e.g. "connect ECONNREFUSED 127.0.0.1:8090". */
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
