/**
 * Splits a stream (TCP) into SIP messages, in the manner of ws's receiver.js: explicit states in a
 * loop, "need more bytes" returns normally, input is consumed across chunks, and each limit is
 * checked as soon as the length it bounds is known. RFC 3261 §18.3: on a stream "the Content-Length
 * header field MUST be used", so a missing or bad one is a framing fault after which the stream
 * cannot be resynchronised: the framer reports one error and ignores everything after it.
 */
import { CR, LF } from './charsets.ts';
import { SipParseError } from './errors.ts';
import type { SipMessage } from './message.ts';
import { findHeaderEnd, parseHead, responseContextOf, salvageResponseContext } from './parser.ts';

export interface FramerLimits {
  /** Start line plus header lines plus the empty line, in bytes. */
  readonly maxHeaderBytes: number;
  /** Largest Content-Length accepted. */
  readonly maxBodyBytes: number;
  /** Bytes held for an incomplete message, whatever their split between head and body. */
  readonly maxBufferedBytes: number;
}

export interface FramerHandlers {
  onMessage(message: SipMessage): void;
  /** RFC 5626 §4.4.1: a CRLFCRLF keep-alive "ping" arrived; answer with a CRLF "pong". */
  onPing(): void;
  /** A fault that ends the stream; `error.response` says whether it can still be answered. */
  onError(error: SipParseError): void;
}

const enum State {
  /** Between messages: CRLFs are skipped (RFC 3261 §7.5) or counted as keep-alives. */
  SkipLineEnds,
  /** Collecting the header block up to its empty line. */
  Head,
  /** Collecting Content-Length body bytes. */
  Body,
  /** A fault was reported; nothing more is read. */
  Failed,
}

// Bytes that complete the CRLF CRLF ping, in order.
const PING = [CR, LF, CR, LF];

/**
 * @example
 * const framer = new SipStreamFramer(limits, { onMessage, onPing: () => socket.write('\r\n'), onError });
 * socket.on('data', (chunk) => framer.push(chunk));
 */
export class SipStreamFramer {
  private state = State.SkipLineEnds;
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  /** The header block being collected when it spans chunks; bounded by maxHeaderBytes. */
  private head = Buffer.alloc(0);
  private headLength = 0;
  private scanFrom = 0;
  private pingMatched = 0;
  private message: SipMessage | undefined;
  private bodyLength = 0;

  constructor(
    private readonly limits: FramerLimits,
    private readonly handlers: FramerHandlers,
  ) {}

  /** Feeds bytes as they arrive; complete messages, pings and a fault are reported synchronously. */
  push(chunk: Buffer): void {
    if (this.failed || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    // Each step consumes input or changes state, until one needs more bytes.
    let progress = true;
    while (progress && !this.failed) progress = this.step();
    if (!this.failed && this.buffered + this.headLength > this.limits.maxBufferedBytes) {
      this.fail(new SipParseError('CPM_ERR_SIP_BUFFER_OVERFLOW', `more than ${this.limits.maxBufferedBytes} bytes buffered`));
    }
  }

  private get failed(): boolean {
    return this.state === State.Failed;
  }

  private step(): boolean {
    if (this.buffered === 0 && this.state === State.SkipLineEnds) return false;
    switch (this.state) {
      case State.SkipLineEnds:
        return this.skipLineEnds();
      case State.Head:
        return this.readHead();
      case State.Body:
        return this.readBody();
      default:
        return false;
    }
  }

  private skipLineEnds(): boolean {
    const chunk = this.chunks[0]!;
    let i = 0;
    for (; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== CR && byte !== LF) break;
      this.pingMatched = byte === PING[this.pingMatched] ? this.pingMatched + 1 : byte === CR ? 1 : 0;
      if (this.pingMatched === PING.length) {
        this.pingMatched = 0;
        this.handlers.onPing();
      }
    }
    this.consume(i);
    if (i < chunk.length) {
      this.pingMatched = 0;
      this.state = State.Head;
    }
    return true;
  }

  private readHead(): boolean {
    const max = this.limits.maxHeaderBytes;
    // Fast path: the whole header block is in the first chunk, so it is parsed in place.
    if (this.headLength === 0 && this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      const bounds = findHeaderEnd(chunk, 0);
      if (bounds !== null && bounds.bodyStart <= max) {
        this.consume(bounds.bodyStart);
        return this.startBody(chunk, bounds.headEnd);
      }
    }
    if (this.buffered === 0) return false;
    // Slow path: copy into the accumulator, never more than the limit allows plus the terminator.
    const room = max + 4 - this.headLength;
    const take = Math.min(room, this.buffered);
    if (this.head.length < this.headLength + take) {
      const grown = Buffer.allocUnsafe(Math.min(max + 4, Math.max(2 * this.head.length, this.headLength + take, 1024)));
      this.head.copy(grown, 0, 0, this.headLength);
      this.head = grown;
    }
    this.consume(take).copy(this.head, this.headLength);
    this.headLength += take;
    const view = this.head.subarray(0, this.headLength);
    const bounds = findHeaderEnd(view, this.scanFrom);
    if (bounds === null || bounds.bodyStart > max) {
      if (this.headLength > max) {
        const fault = new SipParseError('CPM_ERR_SIP_HEADER_TOO_LARGE', `header block longer than ${max} bytes`);
        this.fail(fault.withResponse(salvageResponseContext(view, 0, this.headLength)));
        return false;
      }
      // An empty line may straddle the next chunk: resume a little before the end.
      this.scanFrom = Math.max(0, this.headLength - 3);
      return false;
    }
    const rest = view.subarray(bounds.bodyStart);
    if (rest.length > 0) {
      this.chunks.unshift(rest);
      this.buffered += rest.length;
    }
    this.head = Buffer.alloc(0);
    this.headLength = 0;
    this.scanFrom = 0;
    return this.startBody(view, bounds.headEnd);
  }

  private startBody(buf: Buffer, headEnd: number): boolean {
    const head = parseHead(buf, 0, headEnd);
    if (!head.ok) {
      this.fail(head.error);
      return false;
    }
    const { message, contentLength } = head.value;
    // RFC 3261 §18.3: "In the case of stream-oriented transports such as TCP, the Content-Length
    // header field indicates the size of the body. ... It MUST be used with stream oriented transports."
    if (contentLength === null) {
      const fault = new SipParseError('CPM_ERR_SIP_MISSING_CONTENT_LENGTH', 'no Content-Length on a stream transport');
      this.fail(fault.withResponse(responseContextOf(message)));
      return false;
    }
    if (contentLength > this.limits.maxBodyBytes) {
      const fault = new SipParseError('CPM_ERR_SIP_BODY_TOO_LARGE', `Content-Length ${contentLength} above ${this.limits.maxBodyBytes}`);
      this.fail(fault.withResponse(responseContextOf(message)));
      return false;
    }
    this.message = message;
    this.bodyLength = contentLength;
    this.state = State.Body;
    return true;
  }

  private readBody(): boolean {
    if (this.buffered < this.bodyLength) return false;
    const message = this.message!;
    message.body = this.bodyLength === 0 ? Buffer.alloc(0) : this.consume(this.bodyLength);
    this.message = undefined;
    this.state = State.SkipLineEnds;
    this.handlers.onMessage(message);
    return true;
  }

  /** Removes `n` buffered bytes: a view when they lie in one chunk, one copy when they span several. */
  private consume(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0]!;
    if (n === first.length) {
      this.chunks.shift();
      return first;
    }
    if (n < first.length) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, n - offset);
      chunk.copy(out, offset, 0, part);
      offset += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }

  private fail(error: SipParseError): void {
    this.state = State.Failed;
    this.chunks.length = 0;
    this.buffered = 0;
    this.head = Buffer.alloc(0);
    this.headLength = 0;
    this.handlers.onError(error);
  }
}
