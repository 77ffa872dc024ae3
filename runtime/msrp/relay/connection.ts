/**
 * One TCP connection of the relay, either way: the socket, its streaming parser, its send queue,
 * and the endpoints bound to it (RFC 4975 §5.4), of one session or of several that share it.
 * Requests are handed to the router one head at a time, and their body and end-line to the sink
 * the router returned; responses go to the bound endpoint whose URI their To-Path names (RFC 4975
 * §7.2: a response's To-Path is the first URI of the request's From-Path, the CF's own).
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { MsrpError } from '../errors.ts';
import type { MsrpEnd, MsrpRequestHead, MsrpResponse } from '../frame.ts';
import { MsrpParser } from '../parser.ts';
import { formatResponse, responseTo } from '../serializer.ts';
import type { MsrpUri } from '../uri.ts';
import type { RelayLogger } from './options.ts';
import { SendQueue } from './send-queue.ts';

/** Where the body and end-line of one request go. */
export interface FrameSink {
  onBody(chunk: Buffer): void;
  onEnd(end: MsrpEnd): void;
  /** The request will never end: its connection failed inside it. */
  onAbort(): void;
}

/** An endpoint bound to the connection: the originator's side or a member leg. */
export interface ConnectionUser {
  /** Returns true when the response answers one of this endpoint's transactions. */
  onResponse(response: MsrpResponse): boolean;
  onClose(): void;
  /** The socket's 'drain' after `awaitDrain(this)`. */
  onDrain?(): void;
}

export interface ConnectionRouter {
  /** Finds the request's session and endpoint; returns its sink, or undefined once it has answered it. */
  onRequest(connection: MsrpConnection, head: MsrpRequestHead): FrameSink | undefined;
  onClose(connection: MsrpConnection): void;
}

export interface ConnectionConfig {
  readonly maxHeadBytes: number;
  /** The From-Path of answers to requests that name no URI of the CF. */
  readonly fallbackUri: MsrpUri;
  /** How long an ended connection may take to flush before it is destroyed. */
  readonly closeGraceMs: number;
  readonly logger: RelayLogger;
}

let nextId = 1;

export class MsrpConnection {
  readonly id = nextId++;
  readonly socket: Socket;
  readonly sender: SendQueue;
  readonly #parser: MsrpParser;
  readonly #router: ConnectionRouter;
  readonly #config: ConnectionConfig;
  /** Each bound endpoint, with the session-id of its own URI. */
  readonly #users = new Map<ConnectionUser, string | undefined>();
  /** The bound endpoints by the session-id of their own URI, which responses carry in their To-Path. */
  readonly #byOwnSession = new Map<string, ConnectionUser>();
  /** The endpoints to tell of the socket's next 'drain'. */
  readonly #awaitingDrain = new Set<ConnectionUser>();
  /** The last endpoint has left: the connection is ending, and takes no new one. */
  #retiring = false;
  /** When the peer last sent anything (`performance.now()`). */
  #lastReceived = performance.now();
  #sink: FrameSink | undefined;
  #sinkTransaction: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(socket: Socket, router: ConnectionRouter, config: ConnectionConfig) {
    this.socket = socket;
    this.sender = new SendQueue(socket);
    this.#router = router;
    this.#config = config;
    this.#parser = new MsrpParser(
      {
        onRequestHead: (head) => this.#onRequestHead(head),
        onBody: (chunk) => this.#sink?.onBody(chunk),
        onEnd: (end) => this.#onEnd(end),
        onResponse: (response) => this.#onResponse(response),
        onError: (error) => this.#onParseError(error),
      },
      { maxHeadBytes: config.maxHeadBytes },
    );
    socket.on('data', (chunk: Buffer) => {
      this.#lastReceived = performance.now();
      if (!this.#parser.write(chunk)) socket.pause();
    });
    socket.on('end', () => this.#parser.end());
    socket.on('error', (error) => config.logger.debug({ connection: this.id, err: error }, 'MSRP connection error'));
    socket.on('drain', () => this.#onDrain());
    socket.on('close', () => this.#onClose());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Milliseconds since the peer last sent anything on the connection. */
  get quietMs(): number {
    return performance.now() - this.#lastReceived;
  }

  /** Endpoints bound now. */
  get userCount(): number {
    return this.#users.size;
  }

  /** Open, or opening, and not ending: another session may bind to it. */
  get reusable(): boolean {
    return !this.#closed && !this.#retiring && !this.socket.destroyed;
  }

  /** Binds `user`, whose own URI has session-id `ownSessionId`; responses addressed to that URI are its. */
  bind(user: ConnectionUser, ownSessionId: string | undefined): void {
    this.#users.set(user, ownSessionId);
    if (ownSessionId !== undefined) this.#byOwnSession.set(ownSessionId, user);
    this.#clearTimer();
  }

  /** Calls `user.onDrain()` at the socket's next 'drain' (one listener for all the connection's endpoints). */
  awaitDrain(user: ConnectionUser): void {
    this.#awaitingDrain.add(user);
  }

  /**
   * The endpoint is done with the connection; the last one to leave closes it: `end` after what
   * is queued (bounded by `closeGraceMs`), `destroy` at once, `reset` at once and with a TCP RST,
   * so that the kernel drops what the peer never read instead of keeping it for a broken peer.
   */
  unbind(user: ConnectionUser, how: 'end' | 'destroy' | 'reset'): void {
    if (!this.#forget(user) || this.#users.size > 0) return;
    this.#retiring = true;
    if (how === 'reset') this.socket.resetAndDestroy();
    else if (how === 'destroy') this.destroy();
    else {
      this.socket.end();
      this.#arm(this.#config.closeGraceMs, () => this.destroy());
    }
  }

  /** A connection that binds no session within `ms` is closed, so that idle peers cost nothing. */
  expireUnbound(ms: number): void {
    this.#arm(ms, () => {
      if (this.#users.size === 0) {
        this.#config.logger.debug({ connection: this.id }, 'closing MSRP connection that bound no session');
        this.destroy();
      }
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  /**
   * The peer failed for every session on the connection (it stopped reading it): reset at once, and
   * every bound endpoint hears `onClose()`.
   */
  reset(): void {
    this.#retiring = true;
    this.socket.resetAndDestroy();
  }

  /** Stops reading (the spool wants no more for now); `resumeReading()` picks up where it stopped. */
  pauseReading(): void {
    this.#parser.pause();
    this.socket.pause();
  }

  resumeReading(): void {
    if (this.#parser.resume() && !this.#closed) this.socket.resume();
  }

  /**
   * Answers a request with `status`, if its sender wants that answer. RFC 4975 §7.1.2: REPORTs
   * are never answered. RFC 4975 §7.2 (as read here): Failure-Report "no" asks for no response,
   * "partial" for error responses only.
   */
  answer(request: Pick<MsrpRequestHead, 'transactionId' | 'method' | 'headers'>, status: number, comment?: string): void {
    if (request.method === 'REPORT') return;
    const wanted = request.headers.failureReport ?? 'yes';
    if (wanted === 'no' || (wanted === 'partial' && status === 200)) return;
    // RFC 4975 §7.2: the response goes back one hop, from the URI the request was sent to.
    const response = responseTo(request, request.headers.toPath[0] ?? this.#config.fallbackUri, status, comment);
    if (response === undefined) {
      this.#config.logger.debug({ connection: this.id, transactionId: request.transactionId }, 'MSRP request without From-Path cannot be answered');
      return;
    }
    this.sender.sendFrame(formatResponse(response));
  }

  #onRequestHead(head: MsrpRequestHead): void {
    this.#sink = this.#router.onRequest(this, head);
    this.#sinkTransaction = this.#sink === undefined ? undefined : head.transactionId;
  }

  #onEnd(end: MsrpEnd): void {
    const sink = this.#sink;
    this.#sink = undefined;
    this.#sinkTransaction = undefined;
    sink?.onEnd(end);
  }

  #onResponse(response: MsrpResponse): void {
    const ownSessionId = response.headers.toPath[0]?.sessionId;
    const addressed = ownSessionId === undefined ? undefined : this.#byOwnSession.get(ownSessionId);
    if (addressed?.onResponse(response) === true) return;
    // A peer that addresses its response wrongly is still understood: transaction-ids are unique.
    for (const user of this.#users.keys()) if (user !== addressed && user.onResponse(response)) return;
    this.#config.logger.debug({ connection: this.id, transactionId: response.transactionId }, 'stray MSRP response ignored');
  }

  #onDrain(): void {
    const waiting = [...this.#awaitingDrain];
    this.#awaitingDrain.clear();
    for (const user of waiting) user.onDrain?.();
  }

  /** Whether `user` was bound. */
  #forget(user: ConnectionUser): boolean {
    const ownSessionId = this.#users.get(user);
    if (!this.#users.delete(user)) return false;
    if (ownSessionId !== undefined && this.#byOwnSession.get(ownSessionId) === user) this.#byOwnSession.delete(ownSessionId);
    this.#awaitingDrain.delete(user);
    return true;
  }

  #onParseError(error: MsrpError): void {
    this.#config.logger.debug({ connection: this.id, err: error }, 'MSRP parse error');
    if (error.frame !== undefined && error.frame.transactionId === this.#sinkTransaction) this.#abortSink();
    if (error.fatal) {
      this.destroy();
      return;
    }
    const frame = error.frame;
    if (frame?.method !== undefined && frame.headers !== undefined && error.status !== undefined) {
      this.answer({ transactionId: frame.transactionId, method: frame.method, headers: frame.headers }, error.status);
    }
  }

  #abortSink(): void {
    const sink = this.#sink;
    this.#sink = undefined;
    this.#sinkTransaction = undefined;
    sink?.onAbort();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearTimer();
    this.#abortSink();
    const users = [...this.#users.keys()];
    this.#users.clear();
    this.#byOwnSession.clear();
    this.#awaitingDrain.clear();
    for (const user of users) user.onClose();
    this.#router.onClose(this);
  }

  #arm(ms: number, fire: () => void): void {
    this.#clearTimer();
    this.#timer = setTimeout(fire, ms);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
