/**
 * Writes MSRP frames (RFC 4975 §9). Head, body and end-line are separate buffers so a body can
 * be piped between them without being copied: write `formatRequestHead(head)`, then the body
 * pieces as they come, then `formatEndLine(head, flag)`.
 */
import { randomFillSync } from 'node:crypto';
import { STATUS_COMMENTS } from './errors.ts';
import { END_LINE_HYPHENS, endLineText, formatStartLine, isContinuationFlag } from './frame.ts';
import type { ContinuationFlag, MsrpRequestHead, MsrpResponse } from './frame.ts';
import { formatHeaders } from './headers.ts';
import type { MsrpUri } from './uri.ts';

const ID_BYTES = 12;
/** CSPRNG bytes for the next few hundred ids: one call per id cost a tenth of the relay's CPU. */
const idPool = Buffer.allocUnsafeSlow(ID_BYTES * 512);
let nextId = idPool.length;

/**
 * A fresh transaction-id: 12 bytes from the CSPRNG in hex, 24 alphanumeric characters.
 * RFC 4975 §7.1 asks transaction-ids to carry at least 64 bits of randomness so they never
 * collide with another live transaction; 96 bits also keeps a peer from guessing the end-line.
 * The bytes are drawn from the CSPRNG a pool at a time, as a relay makes one id per chunk per member.
 */
export function newTransactionId(): string {
  if (nextId === idPool.length) {
    randomFillSync(idPool);
    nextId = 0;
  }
  const id = idPool.toString('hex', nextId, nextId + ID_BYTES);
  nextId += ID_BYTES;
  return id;
}

/**
 * The start-line and headers of a request, with the blank line that opens its body when
 * `head.hasBody` (RFC 4975 §9: Content-Type 2CRLF data).
 *
 * @example
 * socket.write(formatRequestHead(head)); body.pipe(socket, { end: false });
 * body.on('end', () => socket.write(formatEndLine(head, '$')));
 */
export function formatRequestHead(head: MsrpRequestHead): Buffer {
  // RFC 4975 §9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF —
  // a body never goes without a Content-Type.
  if (head.hasBody && head.headers.contentType === undefined) {
    throw new TypeError(`request ${head.transactionId} has a body but no Content-Type; set headers.contentType (RFC 4975 §7.1)`);
  }
  const start = formatStartLine({ kind: 'request', transactionId: head.transactionId, method: head.method });
  return Buffer.from(`${start}${formatHeaders(head.headers)}${head.hasBody ? '\r\n' : ''}`, 'utf8');
}

/**
 * The end-line closing a request, preceded by the CRLF that ends the body when there is one.
 * RFC 4975 §7.1: "If a body is present, the end-line MUST be preceded by a CRLF that is not
 * part of the body."
 */
export function formatEndLine(head: Pick<MsrpRequestHead, 'transactionId' | 'hasBody'>, flag: ContinuationFlag): Buffer {
  return Buffer.from(`${head.hasBody ? '\r\n' : ''}${endLineText(head.transactionId, flag)}\r\n`, 'latin1');
}

/**
 * Whether `body` holds the end-line of `transactionId`. RFC 4975 §7.1: "the sender MUST ensure
 * that the end-line (seven hyphens, the transaction identifier, and a continuation flag) is
 * not present in the body"; a sender that finds it picks another transaction-id.
 */
export function containsEndLine(body: Buffer, transactionId: string): boolean {
  const needle = Buffer.from(END_LINE_HYPHENS + transactionId, 'latin1');
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) {
    if (isContinuationFlag(String.fromCharCode(body[at + needle.length] ?? 0))) return true;
  }
  return false;
}

/**
 * A whole request in one buffer, for REPORTs and small SENDs. Throws if the body holds the
 * request's own end-line (see `containsEndLine`): choose a new transaction-id then.
 */
export function formatRequest(head: MsrpRequestHead, body: Buffer | undefined, flag: ContinuationFlag): Buffer {
  if (head.hasBody !== (body !== undefined)) {
    throw new TypeError(`request ${head.transactionId}: pass a body exactly when head.hasBody is true`);
  }
  if (body !== undefined && containsEndLine(body, head.transactionId)) {
    throw new RangeError(`the body contains the end-line of transaction ${head.transactionId}; use newTransactionId() for another (RFC 4975 §7.1)`);
  }
  const parts = [formatRequestHead(head), formatEndLine(head, flag)];
  if (body !== undefined) parts.splice(1, 0, body);
  return Buffer.concat(parts);
}

/** A whole response: start-line, headers, end-line (RFC 4975 §9: a response has no body). */
export function formatResponse(response: MsrpResponse): Buffer {
  const start = formatStartLine({ kind: 'response', transactionId: response.transactionId, status: response.status, comment: response.comment });
  return Buffer.from(`${start}${formatHeaders(response.headers)}${endLineText(response.transactionId, '$')}\r\n`, 'utf8');
}

/**
 * The response to a request, addressed per RFC 4975 §7.2: it goes back one hop, so its To-Path
 * is the first URI of the request's From-Path and its From-Path is the responder's own URI.
 * The comment defaults to the IANA description of the status. Undefined when the request
 * named no From-Path (a request so malformed it cannot be answered).
 *
 * @example
 * socket.write(formatResponse(responseTo(head, ownUri, 200)!));
 */
export function responseTo(
  request: Pick<MsrpRequestHead, 'transactionId' | 'headers'>,
  ownUri: MsrpUri,
  status: number,
  comment: string | undefined = STATUS_COMMENTS[status],
): MsrpResponse | undefined {
  const previousHop = request.headers.fromPath[0];
  if (previousHop === undefined) return undefined;
  const headers = { toPath: [previousHop], fromPath: [ownUri], extensions: [], mime: [] };
  const { transactionId } = request;
  return comment === undefined ? { transactionId, status, headers } : { transactionId, status, comment, headers };
}
