/**
 * Streaming MSRP framer (RFC 4975 §9): bytes in, frames out, bodies streamed.
 *
 * Modelled on ws's Receiver: explicit parse states driven by one loop, "need more bytes" is a
 * normal return, limits are options checked as soon as the length they bound is known, and
 * every fault leaves through one typed `MsrpError`. Bodies are never buffered: each `onBody`
 * gets a zero-copy `subarray` of the written chunk, and the parser keeps back at most the
 * bytes that may begin this transaction's end-line (`2 + 7 + transactionId.length + 1 + 2`).
 *
 * @example
 * const parser = new MsrpParser({
 *   onRequestHead: (head) => relay.start(head),
 *   onBody: (chunk) => { if (!relay.write(chunk)) parser.pause(); },
 *   onEnd: (end) => relay.end(end.flag),
 *   onResponse: (response) => transactions.settle(response),
 *   onError: (err) => (err.fatal ? socket.destroy() : answer(err)),
 * });
 * socket.on('data', (chunk) => { if (!parser.write(chunk)) socket.pause(); });
 * relay.on('drain', () => { if (parser.resume()) socket.resume(); });
 */
import assert from 'node:assert';
import { isUtf8 } from 'node:buffer';
import { isMethod } from './abnf.ts';
import { BodyReader } from './body-reader.ts';
import { MsrpError } from './errors.ts';
import type { MsrpErrorCode, MsrpFrameContext, ParseResult } from './errors.ts';
import { END_LINE_HYPHENS, isContinuationFlag, parseStartLine } from './frame.ts';
import type { ContinuationFlag, MsrpEnd, MsrpRequestHead, MsrpResponse, StartLine } from './frame.ts';
import { byteRangeLength, parseHeaderLine } from './headers.ts';
import type { HeaderField } from './headers.ts';
import { HeaderMemo } from './header-memo.ts';
import { LineBuffer } from './line-buffer.ts';
import { PathMemo } from './path-memo.ts';

export interface MsrpParserHandlers {
  /** A request's start-line and headers; its body (if `hasBody`) and `onEnd` follow. */
  onRequestHead(head: MsrpRequestHead): void;
  /** A piece of the current request's body: a view of the written bytes, valid until returned. */
  onBody(chunk: Buffer): void;
  /** The current request's end-line. */
  onEnd(end: MsrpEnd): void;
  /** A whole response (RFC 4975 §9: responses have no body). */
  onResponse(response: MsrpResponse): void;
  /**
   * A fault. If `fatal`, nothing more is parsed and the connection should be closed.
   * Otherwise the frame it names gets no further callbacks (its body is skipped) and parsing
   * goes on; answer requests (`frame.method` defined) with `status`.
   */
  onError(error: MsrpError): void;
}

export interface MsrpParserOptions {
  /** Most bytes of start-line plus headers of one frame. Default 16 KiB. */
  maxHeadBytes?: number;
  /** Most header lines in one frame. Default 64. */
  maxHeaders?: number;
  /** Most body bytes in one chunk, answered with 413; 0 (default) for no limit. */
  maxChunkBytes?: number;
  /** Methods this endpoint implements; others are answered with 501. Default SEND, REPORT. */
  methods?: readonly string[];
}

// Parse states: what the next input bytes are.
/** Start-line and header lines, up to the blank line or the end-line of a bodiless request. */
const HEAD = 0;
/** Body data, up to CRLF and this transaction's end-line. */
const BODY = 1;
/** The end-line has been read and `onEnd` is due; a state of its own so that a consumer can
 * pause between the last `onBody` (or `onRequestHead`) and `onEnd`. */
const END = 2;
type State = typeof HEAD | typeof BODY | typeof END;

const CR = 0x0d;
const LF = 0x0a;
const HYPHEN = 0x2d;

/** The request whose body or end-line is being read. */
interface Frame {
  readonly head: MsrpRequestHead;
  readonly body: BodyReader;
  /** A per-request error was reported: no more callbacks for this frame. */
  skipping: boolean;
  bodyBytes: number;
  /** Set once the end-line has been read. */
  flag: ContinuationFlag | undefined;
}

export class MsrpParser {
  readonly #on: MsrpParserHandlers;
  readonly #maxHeadBytes: number;
  readonly #maxHeaders: number;
  readonly #maxChunkBytes: number;
  readonly #methods: ReadonlySet<string>;

  #state: State = HEAD;
  #paused = false;
  #draining = false;
  #errored = false;
  #ended = false;
  /** Written chunks not parsed yet, kept by reference (undici style) while paused. */
  #queue: Buffer[] = [];
  #offset = 0;

  /** A line split across writes. */
  readonly #line: LineBuffer;
  #headBytes = 0;
  #headLines = 0;
  #start: StartLine | undefined;
  #fields: HeaderField[] = [];
  /** The first per-request fault seen while reading the head. */
  #problem: { code: MsrpErrorCode; message: string } | undefined;
  /** This connection's To-Path and From-Path values, parsed once each (see `PathMemo`). */
  readonly #paths = new PathMemo();
  readonly #readPath = (value: string) => this.#paths.parse(value);
  /** The header lines of the frame before, to recognise this frame's that repeat them (see `HeaderMemo`). */
  readonly #headerMemo = new HeaderMemo();

  #frame: Frame | undefined;

  constructor(handlers: MsrpParserHandlers, options: MsrpParserOptions = {}) {
    this.#on = handlers;
    this.#maxHeadBytes = limit('maxHeadBytes', options.maxHeadBytes, 16 * 1024, 1);
    this.#line = new LineBuffer(this.#maxHeadBytes);
    this.#maxHeaders = limit('maxHeaders', options.maxHeaders, 64, 1);
    this.#maxChunkBytes = limit('maxChunkBytes', options.maxChunkBytes, 0, 0);
    this.#methods = new Set(methodList(options.methods ?? ['SEND', 'REPORT']));
  }

  /**
   * Parses `chunk`. Returns false when the parser is paused (or has failed): the caller should
   * stop reading until `resume()` returns true. Bytes written while paused are kept, not lost.
   */
  write(chunk: Buffer): boolean {
    if (this.#ended) throw new Error('MsrpParser.write() after end(): create a new parser per connection');
    if (this.#errored) return false;
    if (chunk.length > 0) this.#queue.push(chunk);
    this.#drain();
    return !this.#paused && !this.#errored;
  }

  /** Stops callbacks after the current one; the rest of the input is kept for `resume()`. */
  pause(): void {
    this.#paused = true;
  }

  /** Parses what was kept while paused. Returns whether the parser still flows afterwards. */
  resume(): boolean {
    if (this.#paused) {
      this.#paused = false;
      this.#drain();
    }
    return !this.#paused && !this.#errored;
  }

  /** The connection has closed; a frame left unfinished is reported as truncated. */
  end(): void {
    this.#ended = true;
    this.#drain();
  }

  get isPaused(): boolean {
    return this.#paused;
  }

  /**
   * Bytes the parser itself holds to find frame boundaries: the current head (at most
   * `maxHeadBytes`) or the end-line look-behind (under `2 + 7 + transactionId.length + 1 + 2`).
   * Input kept while paused is not counted: it is the caller's buffers, held by reference.
   */
  get bufferedBytes(): number {
    return this.#state === HEAD ? this.#headBytes : (this.#frame?.body.heldBytes ?? 0);
  }

  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (!this.#paused && !this.#errored) {
        if (this.#state === END) {
          this.#finishFrame();
          continue;
        }
        const chunk = this.#queue[0];
        if (chunk === undefined) break;
        const next = this.#state === HEAD ? this.#readHead(chunk, this.#offset) : this.#readBody(chunk, this.#offset);
        if (next < chunk.length) {
          this.#offset = next;
        } else {
          this.#queue.shift();
          this.#offset = 0;
        }
      }
      const idle = this.#state === HEAD && this.#headBytes === 0;
      if (this.#ended && !this.#paused && !this.#errored && this.#queue.length === 0 && !idle) {
        this.#fail('CPM_ERR_MSRP_TRUNCATED_FRAME', 'the connection ended inside a frame');
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Reads up to and including the next LF; returns where it stopped. */
  #readHead(chunk: Buffer, offset: number): number {
    const lf = chunk.indexOf(LF, offset);
    const end = lf === -1 ? chunk.length : lf + 1;
    this.#headBytes += end - offset;
    if (this.#headBytes > this.#maxHeadBytes) {
      this.#fail(
        'CPM_ERR_MSRP_HEAD_TOO_LARGE',
        `start-line and headers exceed maxHeadBytes (${this.#maxHeadBytes}); raise the option if such frames are legitimate`,
      );
      return end;
    }
    if (lf === -1) {
      this.#line.append(chunk.subarray(offset, end));
    } else if (this.#line.empty) {
      this.#onLine(chunk, offset, end);
    } else {
      const line = this.#line.complete(chunk.subarray(offset, end));
      this.#onLine(line, 0, line.length);
    }
    return end;
  }

  /** The line `buf[start, end)`, LF included; read in place, since a head has a handful of them per frame. */
  #onLine(buf: Buffer, start: number, end: number): void {
    // RFC 4975 §9: every start-line, header and end-line ends in CRLF.
    if (end - start < 2 || buf[end - 2] !== CR) {
      this.#fail('CPM_ERR_MSRP_INVALID_LINE_END', 'a start-line or header line ends in a bare LF; RFC 4975 §9 lines end in CRLF');
      return;
    }
    const stop = end - 2;
    if (this.#start === undefined) this.#onStartLine(utf8Line(buf, start, stop));
    // RFC 4975 §9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF —
    // the empty line after the headers opens a body.
    else if (stop === start) this.#endHead(undefined);
    // RFC 4975 §9: msrp-request = req-start headers [content-stuff] end-line — without
    // content-stuff there is no blank line and the end-line follows the headers directly.
    // No header name starts with "-" (hname = ALPHA *token), so this line is the end-line.
    else if (buf[start] === HYPHEN) this.#onBodilessEndLine(buf, start, stop, this.#start.transactionId);
    else this.#onHeaderLine(buf, start, stop);
  }

  #onStartLine(text: string | undefined): void {
    const parsed = text === undefined ? { ok: false as const, reason: 'the start-line is not UTF-8' } : parseStartLine(text);
    if (!parsed.ok) {
      // Without a transaction-id the end-line cannot be found: framing is lost.
      this.#fail('CPM_ERR_MSRP_INVALID_START_LINE', parsed.reason);
      return;
    }
    this.#start = parsed.value;
    // RFC 4975 §10: a recipient that does not understand the request method answers 501.
    if (parsed.value.kind === 'request' && !this.#methods.has(parsed.value.method)) {
      this.#problem = {
        code: 'CPM_ERR_MSRP_UNKNOWN_METHOD',
        message: `method ${parsed.value.method} is not implemented here (known: ${[...this.#methods].join(', ')})`,
      };
    }
  }

  /** The header line `buf[start, stop)`, CRLF left out. */
  #onHeaderLine(buf: Buffer, start: number, stop: number): void {
    if (++this.#headLines > this.#maxHeaders) {
      this.#fail('CPM_ERR_MSRP_TOO_MANY_HEADERS', `more than maxHeaders (${this.#maxHeaders}) header fields in one frame`);
      return;
    }
    const field = this.#headerMemo.line(buf, start, stop, parseHeaderBytes);
    if (field.ok) this.#fields.push(field.value);
    else this.#problem ??= { code: 'CPM_ERR_MSRP_INVALID_HEADER', message: field.reason };
  }

  /** The end-line `buf[start, stop)` of a bodiless request, CRLF left out; read as bytes, as it is one per frame. */
  #onBodilessEndLine(buf: Buffer, start: number, stop: number, transactionId: string): void {
    const flag = String.fromCharCode(buf[stop - 1] ?? 0);
    // RFC 4975 §7.1: the end-line repeats the transaction-id of the start-line; another id
    // here means the frames are out of step.
    const length = END_LINE_HYPHENS.length + transactionId.length + 1;
    if (stop - start !== length || !isContinuationFlag(flag) || !repeats(buf, start, END_LINE_HYPHENS) || !repeats(buf, start + END_LINE_HYPHENS.length, transactionId)) {
      const expected = END_LINE_HYPHENS + transactionId;
      this.#fail('CPM_ERR_MSRP_INVALID_END_LINE', `end-line "${buf.toString('latin1', start, stop)}" is not "${expected}" followed by "$", "+" or "#"`);
      return;
    }
    this.#endHead(flag);
  }

  /**
   * The head is complete: report it (or its fault) and move to the body, or, for a bodiless
   * frame whose end-line `flag` has been read, to the end.
   */
  #endHead(flag: ContinuationFlag | undefined): void {
    const hasBody = flag === undefined;
    const start = this.#start;
    assert(start !== undefined, 'a head ends only after its start-line');
    const { headers, problem: headerProblem } = this.#headerMemo.headers(this.#fields, this.#readPath);
    const problem = this.#problem ?? (headerProblem === undefined ? undefined : { code: 'CPM_ERR_MSRP_INVALID_HEADER' as const, message: headerProblem });
    this.#resetHead();

    if (start.kind === 'response') {
      // RFC 4975 §9: msrp-response = resp-start headers end-line — a response has no body.
      if (hasBody) {
        this.#fail('CPM_ERR_MSRP_RESPONSE_WITH_BODY', `response ${start.transactionId} ${start.status} has a body`);
        return;
      }
      if (problem !== undefined) {
        this.#on.onError(new MsrpError(problem.code, problem.message, { transactionId: start.transactionId, headers }));
        return;
      }
      const { transactionId, status } = start;
      this.#on.onResponse(start.comment === undefined ? { transactionId, status, headers } : { transactionId, status, comment: start.comment, headers });
      return;
    }

    const head: MsrpRequestHead = { transactionId: start.transactionId, method: start.method, headers, hasBody };
    const frame: Frame = { head, body: new BodyReader(head.transactionId), skipping: false, bodyBytes: 0, flag };
    this.#frame = frame;
    this.#state = hasBody ? BODY : END;
    const fault = problem ?? this.#requestFault(head);
    if (fault === undefined) {
      this.#on.onRequestHead(head);
      return;
    }
    frame.skipping = true;
    this.#on.onError(new MsrpError(fault.code, fault.message, contextOf(head)));
  }

  /** Faults of a request whose every line parsed. */
  #requestFault(head: MsrpRequestHead): { code: MsrpErrorCode; message: string } | undefined {
    // RFC 4975 §9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF —
    // a body never comes without a Content-Type.
    if (head.hasBody && head.headers.contentType === undefined) {
      return { code: 'CPM_ERR_MSRP_MISSING_CONTENT_TYPE', message: `request ${head.transactionId} has a body but no Content-Type` };
    }
    // The Byte-Range tells the chunk's size before its first body byte: refuse at once.
    const announced = head.headers.byteRange === undefined ? undefined : byteRangeLength(head.headers.byteRange);
    if (this.#maxChunkBytes > 0 && announced !== undefined && announced > this.#maxChunkBytes) {
      return { code: 'CPM_ERR_MSRP_CHUNK_TOO_LARGE', message: tooLarge(head, announced, this.#maxChunkBytes) };
    }
    return undefined;
  }

  /** Reads body bytes from `offset`; at most one callback per call. */
  #readBody(chunk: Buffer, offset: number): number {
    const frame = this.#frame;
    assert(frame !== undefined, 'BODY state always has a frame');
    const step = frame.body.read(chunk, offset);
    if (step.kind === 'data') this.#deliver(frame, step.data);
    else if (step.kind === 'end') this.#reachEnd(frame, step.flag);
    return step.next;
  }

  #deliver(frame: Frame, body: Buffer): void {
    if (frame.skipping) return;
    frame.bodyBytes += body.length;
    if (this.#maxChunkBytes > 0 && frame.bodyBytes > this.#maxChunkBytes) {
      frame.skipping = true;
      this.#on.onError(new MsrpError('CPM_ERR_MSRP_CHUNK_TOO_LARGE', tooLarge(frame.head, frame.bodyBytes, this.#maxChunkBytes), contextOf(frame.head)));
      return;
    }
    this.#on.onBody(body);
  }

  #reachEnd(frame: Frame, flag: ContinuationFlag): void {
    frame.flag = flag;
    this.#state = END;
  }

  #finishFrame(): void {
    const frame = this.#frame;
    assert(frame !== undefined, 'END state always has a frame');
    assert(frame.flag !== undefined, 'END state is entered with the end-line read');
    this.#frame = undefined;
    this.#state = HEAD;
    if (!frame.skipping) {
      this.#on.onEnd({ transactionId: frame.head.transactionId, flag: frame.flag, bodyBytes: frame.bodyBytes });
    }
  }

  #resetHead(): void {
    this.#headerMemo.reset();
    this.#line.clear();
    this.#headBytes = 0;
    this.#headLines = 0;
    this.#start = undefined;
    this.#fields = [];
    this.#problem = undefined;
  }

  #fail(code: MsrpErrorCode, message: string): void {
    const transactionId = this.#start?.transactionId ?? this.#frame?.head.transactionId;
    const context: MsrpFrameContext | undefined = transactionId === undefined ? undefined : { transactionId };
    this.#errored = true;
    this.#queue = [];
    this.#offset = 0;
    this.#frame = undefined;
    this.#state = HEAD;
    this.#resetHead();
    this.#on.onError(new MsrpError(code, message, context));
  }
}

/**
 * `buf[start, end)` as text, or undefined when it is not UTF-8. The decoder puts U+FFFD for every
 * invalid sequence, so only a line holding one (which may also be a genuine U+FFFD) is checked
 * byte by byte.
 */
function utf8Line(buf: Buffer, start: number, end: number): string | undefined {
  const text = buf.toString('utf8', start, end);
  return text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end)) ? undefined : text;
}

function parseHeaderBytes(buf: Buffer, start: number, stop: number): ParseResult<HeaderField> {
  const text = utf8Line(buf, start, stop);
  return text === undefined ? { ok: false, reason: 'a header line is not UTF-8 (RFC 4975 §9 hval = utf8text)' } : parseHeaderLine(text);
}

/** Whether `buf` holds the ASCII `text` from `start`. */
function repeats(buf: Buffer, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

function contextOf(head: MsrpRequestHead): MsrpFrameContext {
  return { transactionId: head.transactionId, method: head.method, headers: head.headers };
}

function tooLarge(head: MsrpRequestHead, bytes: number, max: number): string {
  return `chunk ${head.transactionId} carries ${bytes} body bytes, more than maxChunkBytes (${max}); RFC 4975 §10 413 asks the sender to stop`;
}

function limit(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    const hint = min === 0 ? 'use 0 for no limit' : 'it bounds the memory a peer can make the parser hold, so it cannot be 0';
    throw new RangeError(`MsrpParser option ${name} must be an integer >= ${min}, got ${value}: ${hint}`);
  }
  return value;
}

function methodList(methods: readonly string[]): readonly string[] {
  for (const method of methods) {
    if (!isMethod(method)) throw new TypeError(`MsrpParser option methods: "${method}" is not an MSRP method; write it in upper case, e.g. "SEND"`);
  }
  return methods;
}
