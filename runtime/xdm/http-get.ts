/**
 * One HTTP GET (RFC 9110 §9.3.1) as the XCAP client needs it: over a kept-alive connection, with
 * one deadline for the whole exchange — request, head and the last byte of the body — so that a
 * server stalling anywhere cannot hang a session, and with the body read only when wanted and only
 * up to a limit, checked as soon as a length is known.
 *
 * node:http rather than `fetch`: issue 7 measured a conditional GET answered 304 by the embedded
 * XDMS at ~250 µs of CPU through undici's fetch and ~100 µs through node:http, client and server
 * together, once per group session.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What was read of a response's body. */
export type Body = Uint8Array | 'too-large' | 'unread';

export interface HttpReply {
  readonly status: number;
  /** The value of the header `name` (lower case), or null when absent. */
  header(name: string): string | null;
  readonly body: Body;
}

export interface GetOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** Whether the body of a response with this status is read; any other is discarded unread. */
  readonly readsBodyOf: (status: number) => boolean;
  /** Abandons the exchange: the promise rejects with the signal's reason and the connection is dropped. */
  readonly signal?: AbortSignal;
}

/** The deadline passed: its `name` is `TimeoutError`, as for an aborted `fetch`. */
export class DeadlineError extends Error {
  override readonly name = 'TimeoutError';
}

/** A reused connection died before any answer to the request came back on it. */
class StaleConnectionError extends Error {}

/** GETs over one keep-alive agent per scheme. */
export class HttpGetter {
  private readonly http = new HttpAgent({ keepAlive: true });
  private readonly https = new HttpsAgent({ keepAlive: true });

  /** Rejects with `DeadlineError` after `timeoutMs`, with an `AbortError` once `signal` aborts, or with the socket's error (ECONNREFUSED...). */
  async get(url: URL, options: GetOptions): Promise<HttpReply> {
    try {
      return await this.once(url, options);
    } catch (error) {
      // A kept-alive connection the server closed just as this request went out fails with no
      // answer at all; RFC 9110 §9.2.2 lets a client repeat an idempotent GET, once, on a fresh one.
      if (!(error instanceof StaleConnectionError)) throw error;
      return this.once(url, options);
    }
  }

  private once(url: URL, options: GetOptions): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let answered = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        outcome();
      };
      const fail = (error: Error): void => settle(() => reject(timedOut ? new DeadlineError(`no complete answer within ${options.timeoutMs} ms`) : error));
      const secure = url.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(url, { agent: secure ? this.https : this.http, headers: options.headers, ...(options.signal ? { signal: options.signal } : {}) });
      const deadline = setTimeout(() => {
        timedOut = true;
        request.destroy();
      }, options.timeoutMs);
      request.once('error', (error: NodeJS.ErrnoException) => {
        const stale = request.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !timedOut;
        fail(stale ? new StaleConnectionError(error.message) : error);
      });
      request.once('response', (response) => {
        answered = true;
        const status = response.statusCode ?? 0;
        response.once('error', fail);
        response.once('close', () => {
          if (!response.complete) fail(new Error('the connection closed before the end of the response'));
        });
        readBody(response, options, (body) => settle(() => resolve({ status, header: (name) => headerValue(response, name), body })));
      });
      request.end();
    });
  }
}

/** Hands `done` the body, or what stands for it, before dropping the connection of one too large. */
function readBody(response: IncomingMessage, options: GetOptions, done: (body: Body) => void): void {
  if (!options.readsBodyOf(response.statusCode ?? 0)) {
    // Read to the end and dropped, so that the connection can carry the next request.
    response.resume();
    response.once('end', () => done('unread'));
    return;
  }
  const tooLarge = (): void => {
    done('too-large');
    response.destroy();
  };
  if (Number(response.headers['content-length'] ?? 0) > options.maxBodyBytes) {
    tooLarge();
    return;
  }
  const chunks: Buffer[] = [];
  let length = 0;
  response.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length > options.maxBodyBytes) tooLarge();
    else chunks.push(chunk);
  });
  response.once('end', () => done(Buffer.concat(chunks, length)));
}

function headerValue(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
