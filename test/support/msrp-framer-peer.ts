/**
 * A test MSRP endpoint written with the project's framer: the originator that sends to the CF, or a
 * member that the CF sends to (listening, or connecting itself when it answered a=setup:active).
 * It answers every SEND (200 unless told otherwise, or when the test answers them itself), hashes
 * each message as it arrives, and records every frame's head, so tests can compare what each side saw.
 */
import { createHash, type Hash } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { MsrpError } from '../../runtime/msrp/errors.ts';
import type { ContinuationFlag, MsrpRequestHead, MsrpResponse } from '../../runtime/msrp/frame.ts';
import type { ByteRange } from '../../runtime/msrp/headers.ts';
import { MsrpParser } from '../../runtime/msrp/parser.ts';
import { formatEndLine, formatRequest, formatRequestHead, formatResponse, newTransactionId, responseTo } from '../../runtime/msrp/serializer.ts';
import { newSessionId, parseMsrpUri, type MsrpUri } from '../../runtime/msrp/uri.ts';
import { Notifier } from './wait-for.ts';

export interface ReceivedChunk {
  readonly transactionId: string;
  readonly messageId: string;
  readonly byteRange: ByteRange | undefined;
  readonly toPath: string;
  readonly fromPath: string;
  bodyBytes: number;
  flag: ContinuationFlag | undefined;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly hash: Hash;
  bytes: number;
  /** The flag of the last chunk received. */
  flag: ContinuationFlag | undefined;
  /** Set once the message ended with "$": the SHA-256 of its bytes. */
  sha256: string | undefined;
}

export interface PeerBehaviour {
  /** The status each SEND with a body gets; default 200. */
  answer?: (head: MsrpRequestHead) => number;
  /** Reads throttled: after each `bytes` received the socket pauses for `pauseMs`. */
  throttle?: { bytes: number; pauseMs: number };
  /** The peer resets its connection (TCP RST) once this many body bytes have arrived. */
  resetAfterBytes?: number;
  /** SENDs are not answered but kept in `held`, for the test to answer with `answer()`. */
  hold?: boolean;
  /** Each piece of a SEND's body, as it arrives (a view valid during the call). */
  onBody?: (data: Buffer) => void;
  /** Called whenever the peer records something (a frame's end, a response, its close). */
  onRecord?: () => void;
}

/** A chunk the CF relays, as `sendChunk` writes it. */
export interface OutgoingChunk {
  readonly messageId: string;
  /** The Byte-Range start of the chunk's first byte (1 for a message's first chunk). */
  readonly start: number;
  readonly flag: ContinuationFlag;
  readonly successReport: 'yes' | 'no';
  readonly failureReport: 'yes' | 'no' | 'partial';
}

export interface OutgoingMessage {
  readonly messageId: string;
  readonly contentType?: string;
  readonly successReport?: 'yes' | 'no';
  readonly failureReport?: 'yes' | 'no' | 'partial';
  /** Bytes per chunk (each a SEND of its own). */
  readonly chunkBytes: number;
  /** Write each Byte-Range end and total as "*": the sender does not say how big the chunk or the message is. */
  readonly unknownSize?: boolean;
  /** Send only the bytes from `from` to `to` of the message (the rest comes in another call). */
  readonly part?: { readonly from: number; readonly to: number };
  /** Awaited after each chunk is written, before the next: paces the sender. */
  readonly afterChunk?: (index: number, transactionId: string) => Promise<void>;
}

export class FramerPeer {
  /** The peer's own MSRP URI (its a=path). */
  readonly uri: string;
  readonly messages = new Map<string, ReceivedMessage>();
  readonly chunks: ReceivedChunk[] = [];
  readonly reports: MsrpRequestHead[] = [];
  readonly responses = new Map<string, MsrpResponse>();
  /** What the framer found wrong in the CF's bytes; a test expects none. */
  readonly errors: MsrpError[] = [];
  /** With `hold`: each SEND whose end-line came, with the length of its body, until `answer()`ed. */
  readonly held: { head: MsrpRequestHead; bodyBytes: number }[] = [];
  readonly #behaviour: PeerBehaviour;
  readonly #server: Server | undefined;
  #socket: Socket | undefined;
  #connected: Promise<Socket>;
  #resolveConnected!: (socket: Socket) => void;
  #closed = false;
  #bodyBytes = 0;
  #sinceThrottle = 0;
  #current: { chunk: ReceivedChunk; message: ReceivedMessage | undefined; head: MsrpRequestHead } | undefined;
  readonly #records = new Notifier();

  private constructor(uri: string, behaviour: PeerBehaviour, server: Server | undefined) {
    this.uri = uri;
    this.#behaviour = behaviour;
    this.#server = server;
    this.#connected = new Promise((resolve) => {
      this.#resolveConnected = resolve;
    });
  }

  /** A member the CF connects to (its answer has no a=setup, or passive). */
  static async listen(behaviour: PeerBehaviour = {}): Promise<FramerPeer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const peer = new FramerPeer(`msrp://127.0.0.1:${address.port}/${newSessionId()};tcp`, behaviour, server);
    server.on('connection', (socket) => peer.#adopt(socket));
    return peer;
  }

  /**
   * A peer that connects to the CF's `cfUri` and binds with a bodiless SEND (RFC 4975 §5.4): the
   * originator, or a member that answered a=setup:active. `ownUri` is the a=path it gave.
   */
  static async connect(cfUri: string, behaviour: PeerBehaviour = {}, ownUri = `msrp://127.0.0.1:1/${newSessionId()};tcp`): Promise<FramerPeer> {
    const target = uriOf(cfUri);
    const peer = new FramerPeer(ownUri, behaviour, undefined);
    const socket = connect({ host: target.host, port: target.port ?? 2855 });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    peer.#adopt(socket);
    return peer;
  }

  get socket(): Socket | undefined {
    return this.#socket;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves once the CF has connected (or at once for a peer that connected itself). */
  connected(): Promise<Socket> {
    return this.#connected;
  }

  /** A bodiless SEND to `cfUri`; resolves with its response. */
  async bind(cfUri: string): Promise<MsrpResponse> {
    return this.response(await this.sendBodiless(cfUri));
  }

  /** A bodiless SEND to `cfUri` (a binding, or a keep-alive on a bound connection); returns its transaction-id. */
  async sendBodiless(cfUri: string): Promise<string> {
    const transactionId = newTransactionId();
    const head = this.#head(cfUri, transactionId, newTransactionId(), undefined, false, { start: 1, end: 0, total: 0 });
    (await this.#connected).write(formatRequest(head, undefined, '$'));
    return transactionId;
  }

  /**
   * Sends `body` to `cfUri` as one message (or `message.part` of it) in chunks of `chunkBytes`,
   * waiting for 'drain' as the socket asks. Returns the transaction-ids of the chunks, in order.
   */
  async send(cfUri: string, body: Buffer, message: OutgoingMessage): Promise<string[]> {
    const socket = await this.#connected;
    const transactionIds: string[] = [];
    const total = body.length;
    if (total === 0) throw new RangeError('FramerPeer.send: give a body of at least one byte');
    const { from, to } = message.part ?? { from: 0, to: total };
    for (let start = from; start < to; start += message.chunkBytes) {
      const end = Math.min(to, start + message.chunkBytes);
      const transactionId = newTransactionId();
      transactionIds.push(transactionId);
      const range: ByteRange = message.unknownSize === true ? { start: start + 1, end: '*', total: '*' } : { start: start + 1, end, total };
      const head = this.#head(cfUri, transactionId, message.messageId, message.contentType ?? 'application/octet-stream', true, range, message);
      const flag = end === total ? '$' : '+';
      socket.write(formatRequestHead(head));
      const flowing = socket.write(body.subarray(start, end));
      socket.write(formatEndLine(head, flag));
      if (!flowing) await waitForDrain(socket);
      await message.afterChunk?.(transactionIds.length - 1, transactionId);
      if (this.#closed) break;
    }
    return transactionIds;
  }

  /**
   * One SEND of `chunk.messageId` carrying `body` from Byte-Range `chunk.start`; the total is known
   * only on a last chunk ("$"). Returns its transaction-id.
   */
  async sendChunk(cfUri: string, body: Buffer, chunk: OutgoingChunk): Promise<string> {
    const socket = await this.#connected;
    const transactionId = newTransactionId();
    const end = chunk.start + body.length - 1;
    const range: ByteRange = { start: chunk.start, end, total: chunk.flag === '$' ? end : '*' };
    socket.write(formatRequest(this.#head(cfUri, transactionId, chunk.messageId, 'application/octet-stream', true, range, chunk), body, chunk.flag));
    return transactionId;
  }

  /** With `hold`: answers a held SEND (RFC 4975 §7.2, hop by hop) and forgets it. */
  answer(head: MsrpRequestHead, status = 200): void {
    const index = this.held.findIndex((held) => held.head === head);
    if (index >= 0) this.held.splice(index, 1);
    const response = responseTo(head, uriOf(this.uri), status);
    if (response !== undefined && this.#socket !== undefined && !this.#socket.destroyed) this.#socket.write(formatResponse(response));
  }

  /** Writes the head and `part` of a chunk's body and stops there, as a sender interrupted mid-chunk. */
  async sendPartialChunk(cfUri: string, part: Buffer, message: OutgoingMessage & { total: number }): Promise<string> {
    const socket = await this.#connected;
    const transactionId = newTransactionId();
    const head = this.#head(cfUri, transactionId, message.messageId, message.contentType ?? 'application/octet-stream', true, { start: 1, end: message.total, total: message.total }, message);
    socket.write(formatRequestHead(head));
    socket.write(part);
    return transactionId;
  }

  /** Raw bytes onto the connection (malformed input, say). */
  async writeRaw(bytes: Buffer | string): Promise<void> {
    (await this.#connected).write(bytes);
  }

  /** Resolves with the response to `transactionId`. */
  response(transactionId: string): Promise<MsrpResponse> {
    return this.until(() => this.responses.get(transactionId));
  }

  /**
   * Resolves with `probe()` once it is defined, checking after each frame the peer receives or its
   * close; with `ms`, rejects after that long naming `what`.
   */
  until<T>(probe: () => T | undefined, what = 'frame', ms?: number): Promise<T> {
    return this.#records.until(probe, what, ms);
  }

  /** Resolves when the connection has closed. */
  whenClosed(): Promise<true> {
    return this.until(() => (this.#closed ? true : undefined));
  }

  destroy(): void {
    this.#socket?.destroy();
    this.#server?.close();
  }

  #head(
    cfUri: string,
    transactionId: string,
    messageId: string,
    contentType: string | undefined,
    hasBody: boolean,
    byteRange: ByteRange,
    reports: Pick<OutgoingMessage, 'successReport' | 'failureReport'> = {},
  ): MsrpRequestHead {
    return {
      transactionId,
      method: 'SEND',
      headers: {
        toPath: [uriOf(cfUri)],
        fromPath: [uriOf(this.uri)],
        messageId,
        byteRange,
        ...(reports.successReport === undefined ? {} : { successReport: reports.successReport }),
        ...(reports.failureReport === undefined ? {} : { failureReport: reports.failureReport }),
        ...(contentType === undefined ? {} : { contentType }),
        extensions: [],
        mime: [],
      },
      hasBody,
    };
  }

  #adopt(socket: Socket): void {
    if (this.#socket !== undefined) {
      socket.destroy();
      return;
    }
    this.#socket = socket;
    const parser = new MsrpParser({
      onRequestHead: (head) => this.#onHead(head),
      onBody: (data) => this.#onBody(socket, data),
      onEnd: (end) => this.#onEnd(socket, end.flag),
      onResponse: (response) => {
        this.responses.set(response.transactionId, response);
        this.#notify();
      },
      onError: (error) => {
        this.errors.push(error);
        this.#notify();
      },
    });
    socket.on('data', (data: Buffer) => parser.write(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#closed = true;
      this.#notify();
    });
    this.#resolveConnected(socket);
  }

  #onHead(head: MsrpRequestHead): void {
    if (head.method === 'REPORT') {
      this.reports.push(head);
      this.#notify();
      return;
    }
    const messageId = head.headers.messageId ?? '';
    const chunk: ReceivedChunk = {
      transactionId: head.transactionId,
      messageId,
      byteRange: head.headers.byteRange,
      toPath: head.headers.toPath.map((u) => `${u.host}:${u.port}/${u.sessionId}`).join(' '),
      fromPath: head.headers.fromPath.map((u) => `${u.host}:${u.port}/${u.sessionId}`).join(' '),
      bodyBytes: 0,
      flag: undefined,
    };
    let message: ReceivedMessage | undefined;
    if (head.hasBody || this.messages.has(messageId)) {
      this.chunks.push(chunk);
      message = this.messages.get(messageId) ?? { messageId, hash: createHash('sha256'), bytes: 0, flag: undefined, sha256: undefined };
      this.messages.set(messageId, message);
    }
    this.#current = { chunk, message, head };
  }

  #onBody(socket: Socket, data: Buffer): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#behaviour.onBody?.(data);
    current.chunk.bodyBytes += data.length;
    if (current.message !== undefined) {
      current.message.hash.update(data);
      current.message.bytes += data.length;
    }
    this.#bodyBytes += data.length;
    const reset = this.#behaviour.resetAfterBytes;
    if (reset !== undefined && this.#bodyBytes >= reset) {
      socket.resetAndDestroy();
      return;
    }
    const throttle = this.#behaviour.throttle;
    if (throttle !== undefined) {
      this.#sinceThrottle += data.length;
      if (this.#sinceThrottle >= throttle.bytes) {
        this.#sinceThrottle = 0;
        socket.pause();
        setTimeout(() => socket.resume(), throttle.pauseMs);
      }
    }
  }

  #onEnd(socket: Socket, flag: ContinuationFlag): void {
    const current = this.#current;
    this.#current = undefined;
    if (current === undefined) return;
    current.chunk.flag = flag;
    if (current.message !== undefined) {
      current.message.flag = flag;
      if (flag === '$') current.message.sha256 = current.message.hash.digest('hex');
    }
    if (this.#behaviour.hold === true) this.held.push({ head: current.head, bodyBytes: current.chunk.bodyBytes });
    else {
      const status = current.head.hasBody ? (this.#behaviour.answer?.(current.head) ?? 200) : 200;
      const response = responseTo(current.head, uriOf(this.uri), status);
      if (response !== undefined && !socket.destroyed) socket.write(formatResponse(response));
    }
    this.#notify();
  }

  #notify(): void {
    this.#records.notify();
    this.#behaviour.onRecord?.();
  }
}

export function uriOf(text: string): MsrpUri {
  const uri = parseMsrpUri(text);
  if (!uri.ok) throw new Error(uri.reason);
  return uri.value;
}

function waitForDrain(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}
