/**
 * An embedded Shared Group XDMS: a directory of group documents served over real HTTP as XCAP
 * (RFC 4825), enough for the demo CF and the tests to run without an external XDMS. It serves
 * whole documents only: node selectors (RFC 4825 §6.3) are answered 404.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluatePreconditions, readPreconditions, type Preconditions } from './conditional-request.ts';
import { parseGroupDocument } from './group-document.ts';
import { GroupStore, type WriteCondition } from './group-store.ts';
import { decodeUtf8 } from './strict-xml.ts';
import { groupUriFromPath } from './xcap-path.ts';
import { xcapErrorBody } from './xcap-error-body.ts';
import { XdmDocumentError, XdmOptionsError, type XcapDocumentFault } from './xdm-errors.ts';
import { GROUP_DOCUMENT_MEDIA_TYPE, XCAP_ERROR_MEDIA_TYPE } from './xdm-names.ts';

export interface XdmsOptions {
  /** Interface to listen on, e.g. `127.0.0.1`. */
  host: string;
  /** 0 picks a free port; `url` tells which. */
  port: number;
  /** Directory of `*.xml` group documents; PUT and DELETE write to it. */
  groupsDir: string;
  /** `Cache-Control: max-age` on documents. Default 0: `no-cache`, clients revalidate every use. */
  maxAgeSeconds?: number;
  /** Larger PUT bodies are answered 413. Default 1 MiB. */
  maxBodyBytes?: number;
}

export interface XdmsHandle {
  /** The XCAP root, e.g. `http://127.0.0.1:40123/`, with the port actually bound. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const ALLOW = 'GET, HEAD, PUT, DELETE';

interface Context {
  store: GroupStore;
  cacheControl: string;
  maxBodyBytes: number;
}

/**
 * Loads `groupsDir` and serves it as an XCAP server for AUID `org.openmobilealliance.groups`.
 *
 * @throws {XdmGroupsDirError} when the directory cannot be served (see `GroupStore.open`).
 * @example
 * const xdms = await startXdms({ host: '127.0.0.1', port: 0, groupsDir: 'examples/groups' });
 * const client = new XcapClient({ baseUrl: xdms.url, timeoutMs: 2000 });
 * await xdms.close();
 */
export async function startXdms(options: XdmsOptions): Promise<XdmsHandle> {
  const port = integerOption('port', options.port, 0, 65535);
  const maxAgeSeconds = integerOption('maxAgeSeconds', options.maxAgeSeconds ?? 0, 0, Number.MAX_SAFE_INTEGER);
  const context: Context = {
    store: await GroupStore.open(options.groupsDir),
    // RFC 4825 §9: servers SHOULD say no-cache for data clients write; RFC 9111 §5.2.2.4: clients
    // may then keep the document but must revalidate it before each use.
    cacheControl: maxAgeSeconds > 0 ? `max-age=${maxAgeSeconds}` : 'no-cache',
    maxBodyBytes: integerOption('maxBodyBytes', options.maxBodyBytes ?? 1024 * 1024, 1, Number.MAX_SAFE_INTEGER),
  };
  const server = createServer((req, res) => {
    handle(req, res, context).catch((err: unknown) => {
      // A fault of ours (e.g. the disk refused a write) is the client's 500, never a crash.
      if (res.headersSent) res.destroy();
      else send(res, 500, {}, `internal error: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, context: Context): Promise<void> {
  const path = (req.url ?? '').split('?', 1)[0] ?? '';
  const groupUri = path.startsWith('/') ? groupUriFromPath(path.slice(1)) : undefined;
  // RFC 4825 §6: a request URI that selects no document of this AUID names nothing we hold.
  if (groupUri === undefined) {
    const expected = '/org.openmobilealliance.groups/global/byGroupID/<percent-encoded group URI>';
    return send(res, 404, {}, `no such XCAP document: expected ${expected}`);
  }
  const preconditions = readPreconditions(req.headers['if-match'], req.headers['if-none-match']);
  if (preconditions === undefined) return send(res, 400, {}, 'If-Match / If-None-Match is not "*" or a list of entity-tags');
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return get(res, groupUri, preconditions, context);
    case 'PUT':
      return put(req, res, groupUri, preconditions, context);
    case 'DELETE':
      return remove(res, groupUri, preconditions, context);
    default:
      // RFC 9110 §15.5.6: a 405 MUST list the methods the resource supports.
      return send(res, 405, { allow: ALLOW }, `${req.method ?? ''} is not supported: use ${ALLOW}`);
  }
}

/** RFC 4825 §7.3 / §8.3 (fetch a document); HEAD drops the body in node:http itself. */
function get(res: ServerResponse, groupUri: string, preconditions: Preconditions, { store, cacheControl }: Context): void {
  const current = store.get(groupUri);
  // RFC 9110 §13.2.1: preconditions are ignored when the unconditional answer would not be 2xx.
  if (current === undefined) return send(res, 404, {}, `no document for ${groupUri}`);
  const validators = { etag: current.etag, 'cache-control': cacheControl };
  switch (evaluatePreconditions(preconditions, current.etag, true)) {
    case 'precondition-failed':
      return send(res, 412, validators, 'If-Match does not match the current ETag');
    case 'not-modified':
      return send(res, 304, validators);
    case 'proceed':
      return send(res, 200, { ...validators, 'content-type': GROUP_DOCUMENT_MEDIA_TYPE }, current.bytes);
  }
}

/** RFC 4825 §7.1 / §8.2 (create or replace a document). */
async function put(
  req: IncomingMessage,
  res: ServerResponse,
  groupUri: string,
  preconditions: Preconditions,
  context: Context,
): Promise<void> {
  const mediaType = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  // RFC 4825 §8.2: a body whose MIME type is not the application usage's is refused with 415.
  if (mediaType !== GROUP_DOCUMENT_MEDIA_TYPE) {
    return send(res, 415, {}, `Content-Type must be ${GROUP_DOCUMENT_MEDIA_TYPE}`);
  }
  const body = await readBody(req, context.maxBodyBytes);
  if (body === 'too-large') {
    // The rest of the body is not read, so the connection cannot carry another request.
    return send(res, 413, { connection: 'close' }, `a group document is at most ${context.maxBodyBytes} bytes`);
  }
  const refusal = refusalOf(body, groupUri);
  // RFC 4825 §8.2 and §11: a document the application usage cannot accept is a 409 with <xcap-error>.
  if (refusal !== undefined) {
    return send(res, 409, { 'content-type': XCAP_ERROR_MEDIA_TYPE }, xcapErrorBody(refusal.fault, refusal.phrase));
  }
  const outcome = await context.store.put(groupUri, body, conditionOf(preconditions));
  if (outcome.kind === 'refused') return send(res, 412, {}, 'the If-Match / If-None-Match condition does not hold');
  // RFC 9110 §9.3.4: 201 when the PUT created the resource, 200 when it replaced it.
  return send(res, outcome.created ? 201 : 200, { etag: outcome.group.etag });
}

/** Why `body` cannot be stored as `groupUri`'s document, or `undefined` when it can. */
function refusalOf(body: Buffer, groupUri: string): { fault: XcapDocumentFault; phrase: string } | undefined {
  let documentUri: string;
  try {
    documentUri = parseGroupDocument(decodeUtf8(body)).uri;
  } catch (err) {
    if (err instanceof XdmDocumentError) return { fault: err.fault, phrase: err.message };
    throw err;
  }
  if (documentUri === groupUri) return undefined;
  return {
    fault: 'constraint-failure',
    phrase: `<list-service uri="${documentUri}"> differs from the group URI in the request, ${groupUri}`,
  };
}

/** RFC 4825 §7.2 / §8.4 (delete a document). */
async function remove(res: ServerResponse, groupUri: string, preconditions: Preconditions, { store }: Context): Promise<void> {
  const outcome = await store.delete(groupUri, conditionOf(preconditions));
  if (outcome.kind === 'absent') return send(res, 404, {}, `no document for ${groupUri}`);
  if (outcome.kind === 'refused') return send(res, 412, {}, 'the If-Match / If-None-Match condition does not hold');
  return send(res, 200, {});
}

/** A write's preconditions, checked by the store against the document the write replaces. */
function conditionOf(preconditions: Preconditions): WriteCondition {
  return (current) => evaluatePreconditions(preconditions, current?.etag, false) === 'proceed';
}

/** The request body, or `'too-large'` as soon as its declared or received length passes `limit`. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      resolve('too-large');
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body?: string | Buffer): void {
  const bodyHeaders: OutgoingHttpHeaders =
    body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) };
  res.writeHead(status, { ...bodyHeaders, ...headers });
  res.end(body);
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new XdmOptionsError(`${name} is ${value}: pass an integer from ${min} to ${max}`);
  }
  return value;
}
