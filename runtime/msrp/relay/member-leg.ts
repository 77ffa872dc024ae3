/**
 * The CF towards one member (SEND-1): opens or awaits its connection and binds it (RFC 4975 §5.4),
 * then copies the session's spool to it chunk by chunk with the leg's own To-Path, From-Path and
 * transaction-ids, never holding more than a window of bytes for it, and reports back what the
 * member has (`onMemberCaughtUp`, `onMemberDelivered`) or that the leg is lost (`onMemberFailed`).
 *
 * The connection may be shared with other sessions' legs towards the same member authority
 * (`ConnectionPool`): the legs then stream their copies in turns, a frame each (`SendQueue`),
 * share the window, and a member that stops reading or answering on it fails them all.
 */
import assert from 'node:assert';
import type { LegIndex, MsrpMedia } from '../../../machines/types.ts';
import type { MediaEvents } from '../../media.ts';
import type { MsrpRequestHead, MsrpResponse } from '../frame.ts';
import { formatEndLine, newTransactionId } from '../serializer.ts';
import type { MsrpUri } from '../uri.ts';
import type { ConnectionUser, FrameSink, MsrpConnection } from './connection.ts';
import { Deadline } from './deadline.ts';
import { bindingSend, RelayedHeads } from './frames.ts';
import { LegDeliveries } from './leg-deliveries.ts';
import type { RelayConfig } from './options.ts';
import { parsePathOf } from './path.ts';
import { RelayError } from './relay-errors.ts';
import type { TurnTaker } from './send-queue.ts';
import type { Spool } from './spool.ts';

/**
 * What a member leg needs of its session: one object that every leg of the session shares, so that
 * a leg holds no closure of its own (each costs ~300 bytes under tsx, whose `keepNames` gives every
 * function a property dictionary, and a held session has one leg per member).
 */
export interface MemberLegHost {
  readonly spool: Spool;
  readonly config: RelayConfig;
  readonly events: Pick<MediaEvents, 'onMemberConnected' | 'onMemberFailed' | 'onMemberCaughtUp' | 'onMemberDelivered'>;
  connect(uri: MsrpUri): MsrpConnection;
  /** A leg moved on through the spool, or stopped copying: the originator may be read again. */
  changed(): void;
}

type LegState = 'awaiting' | 'connecting' | 'connected' | 'failed' | 'closed';

/** Bytes asked of the spool file at once (the window bounds it too): few reads, each a thread-pool round trip. */
const MAX_FILE_READ = 1024 * 1024;

export class MemberLeg implements ConnectionUser, TurnTaker {
  readonly #host: MemberLegHost;
  readonly #index: LegIndex;
  /** The CF's URI for this leg (`focusMsrpUri(focus, leg)`). */
  readonly #ownUri: MsrpUri;
  /** The member's SDP answer, whose a=path the copies go to; the leg's machine keeps it anyway. */
  readonly #answer: MsrpMedia;
  #state: LegState;
  #connection: MsrpConnection | undefined;
  /**
   * The heads of this leg's copies (`#headsOfCopies`), built at its first copy of a chunk, not when
   * it connects: a leg of a held session in which nobody sends keeps none.
   */
  #heads: RelayedHeads | undefined;
  #bindingTransaction: string | undefined;
  /** Between `relay()` and catching up. */
  #relaying = false;
  #aborted = false;
  /** The spool chunk being copied, how much of its body is out, and the copy's transaction-id once its head is. */
  #chunkIndex = 0;
  #sent = 0;
  #frameTransaction: string | undefined;
  #reading = false;
  #blocked = false;
  #scheduled = false;
  readonly #deliveries = new LegDeliveries();
  /** Connecting: the binding must be done in time. Connected: the member must make progress in time. */
  readonly #deadline = new Deadline();

  private constructor(host: MemberLegHost, index: LegIndex, ownUri: MsrpUri, answer: MsrpMedia, state: LegState) {
    this.#host = host;
    this.#index = index;
    this.#ownUri = ownUri;
    this.#answer = answer;
    this.#state = state;
  }

  /** RFC 4975 §8.1: the CF, offerer towards the member, connects to its a=path and binds. */
  static connect(host: MemberLegHost, index: LegIndex, ownUri: MsrpUri, answer: MsrpMedia): MemberLeg {
    const leg = new MemberLeg(host, index, ownUri, answer, 'connecting');
    const path = parsePathOf(answer);
    if (!path.ok) {
      leg.#failLater(path.error);
      return leg;
    }
    const connection = host.connect(path.value[0]);
    leg.#attach(connection);
    leg.#bindingTransaction = newTransactionId();
    connection.sender.sendFrame(bindingSend(leg.#bindingTransaction, path.value, ownUri));
    leg.#expireIn(host.config.connectTimeoutMs, () => new RelayError('CPM_ERR_MSRP_CONNECT_FAILED', 'the member did not answer the binding SEND in time'));
    return leg;
  }

  /** RFC 6135 §4: the member answered a=setup:active; it connects to the CF and binds with a SEND. */
  static await(host: MemberLegHost, index: LegIndex, ownUri: MsrpUri, answer: MsrpMedia): MemberLeg {
    const leg = new MemberLeg(host, index, ownUri, answer, 'awaiting');
    const path = parsePathOf(answer);
    if (!path.ok) {
      leg.#failLater(path.error);
      return leg;
    }
    leg.#expireIn(host.config.connectTimeoutMs, () => new RelayError('CPM_ERR_MSRP_CONNECT_FAILED', 'the member did not connect and bind in time'));
    return leg;
  }

  /** Copying the spool now (between `relay()` and catching up). */
  get relaying(): boolean {
    return this.#relaying && this.#state === 'connected';
  }

  /** How far into the spool the leg has copied. */
  get position(): number {
    const chunk = this.#host.spool.chunks[this.#chunkIndex];
    return chunk === undefined ? this.#host.spool.length : chunk.start + this.#sent;
  }

  /** A request whose To-Path names this leg. */
  accept(connection: MsrpConnection, head: MsrpRequestHead): FrameSink | undefined {
    if (this.#state === 'failed' || this.#state === 'closed') {
      connection.answer(head, 481);
      return undefined;
    }
    // RFC 4975 §10: 506, the leg is bound to another connection.
    if (this.#connection !== undefined && this.#connection !== connection) {
      connection.answer(head, 506);
      return undefined;
    }
    // RFC 4975 §7.1.2: REPORTs are not answered; the CF asks members for none and drops any.
    if (head.method !== 'SEND') return undefined;
    // RFC 4975 §5.4: the active side's first SEND binds the connection to the session.
    const binds = this.#state === 'awaiting';
    if (binds) this.#attach(connection);
    if (head.hasBody) {
      // Large Message Mode carries the originator's message only; a member's own content is refused.
      const refusal = new RelayError('CPM_ERR_MSRP_MEMBER_SENDS', `member leg ${this.#index} sent a SEND with a body`);
      this.#host.config.logger.debug({ err: refusal }, 'MSRP request refused');
      connection.answer(head, 403);
    } else {
      connection.answer(head, 200);
    }
    if (binds) this.#connected();
    return undefined;
  }

  /** SEND-1: copy the spool from where the leg stands; `onMemberCaughtUp` once all of it is answered. */
  relay(): void {
    if (this.#state === 'failed' || this.#state === 'closed' || this.#aborted) return;
    this.#relaying = true;
    this.#schedule();
  }

  /** The spool grew: a leg waiting for bytes goes on. */
  wake(): void {
    this.#schedule();
  }

  /** Open question 9: the drain timer ran out; the copy in flight ends with "#" and nothing more is sent. */
  abort(): void {
    this.#aborted = true;
    this.#relaying = false;
    const connection = this.#connection;
    if (this.#state !== 'connected' || connection === undefined) return;
    this.#interruptFrame(connection);
    // A leg waiting for its turn on a shared connection waits no more.
    connection.sender.leave(this);
  }

  /** The leg is over: the connection ends after what is queued (the "#" of an abort, say). */
  close(): void {
    this.#leave('end');
  }

  /** The session is released: the connection goes at once. */
  release(): void {
    this.#leave('destroy');
  }

  onResponse(response: MsrpResponse): boolean {
    const { transactionId, status } = response;
    if (transactionId === this.#bindingTransaction) {
      this.#bindingTransaction = undefined;
      if (status === 200) this.#connected();
      else this.#fail(new RelayError('CPM_ERR_MSRP_MEMBER_REFUSED', `member answered the binding SEND with ${status}`));
      return true;
    }
    if (!this.#deliveries.owns(transactionId)) return false;
    // RFC 4975 §7.2: any status but 200 means the member did not take the chunk.
    if (status !== 200) {
      this.#fail(new RelayError('CPM_ERR_MSRP_MEMBER_REFUSED', `member answered a chunk with ${status}`));
      return true;
    }
    const delivered = this.#deliveries.answered(transactionId);
    this.#deadline.progress();
    this.#watch();
    if (delivered !== undefined) this.#host.events.onMemberDelivered(this.#index, delivered);
    this.#schedule();
    return true;
  }

  /** Another session's frame on the shared connection has ended: this leg's copy may go. */
  onTurn(): void {
    this.#schedule();
  }

  /** The connection's socket drained after `#block()`: the window has room again. */
  onDrain(): void {
    this.#blocked = false;
    if (this.#state === 'connected') this.#deadline.progress();
    this.#schedule();
  }

  onClose(): void {
    this.#detach();
    this.#fail(new RelayError('CPM_ERR_MSRP_CONNECTION_LOST', 'the member connection closed'));
  }

  /** The session cannot serve the leg any more (its spool failed). */
  drop(error: RelayError): void {
    this.#fail(error);
  }

  #connected(): void {
    if (this.#state !== 'connecting' && this.#state !== 'awaiting') return;
    this.#state = 'connected';
    this.#deadline.stop();
    this.#host.events.onMemberConnected(this.#index);
    this.#schedule();
  }

  /**
   * Pumps once the event loop has run the I/O callbacks that are ready (setImmediate): every read of
   * the originator's socket that came in meanwhile (libuv reads up to 32 in a row) and the members'
   * answers then leave in one writev per leg, not one per read, and each writev carries more bytes.
   */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(MemberLeg.#pumpScheduled, this);
  }

  /** `#schedule()`'s callback, one for every leg (the leg comes as its argument): no closure per leg. */
  static #pumpScheduled(leg: MemberLeg): void {
    leg.#scheduled = false;
    leg.#pump();
  }

  /** Writes what the spool has for this leg until it is out of bytes, out of window, or caught up. */
  #pump(): void {
    const connection = this.#connection;
    if (this.#state !== 'connected' || connection === undefined || !this.#relaying || this.#reading || this.#blocked) return;
    const { spool, config } = this.#host;
    const from = this.position;
    // Head, body pieces and end-line of this burst leave in one writev, not one syscall each.
    connection.socket.cork();
    try {
      this.#copy(connection, spool, config.windowBytes);
    } finally {
      connection.socket.uncork();
    }
    if (this.position !== from) this.#host.changed();
  }

  #copy(connection: MsrpConnection, spool: Spool, windowBytes: number): void {
    const sender = connection.sender;
    for (;;) {
      const chunk = spool.chunks[this.#chunkIndex];
      if (chunk === undefined) {
        if (this.#deliveries.unanswered === 0) this.#caughtUp();
        return;
      }
      if (this.#frameTransaction === undefined) {
        if (!sender.mayBegin(this)) return;
        this.#frameTransaction = newTransactionId();
        sender.beginFrame(this.#headsOfCopies().of(this.#frameTransaction, chunk));
      }
      const position = chunk.start + this.#sent;
      const readable = chunk.start + chunk.length - position;
      if (readable > 0) {
        const room = windowBytes - connection.socket.writableLength;
        if (room <= 0) return this.#block();
        const data = spool.read(position, Math.min(readable, room, MAX_FILE_READ), (error, read) => this.#onRead(error, read));
        if (data === undefined) {
          this.#reading = true;
          return;
        }
        this.#sent += data.length;
        sender.writeBody(data);
        continue;
      }
      if (chunk.flag === undefined || this.#sent < chunk.length) return;
      const transactionId = this.#frameTransaction;
      this.#frameTransaction = undefined;
      this.#chunkIndex++;
      this.#sent = 0;
      sender.endFrame(formatEndLine({ transactionId, hasBody: chunk.hasBody }, chunk.flag));
      this.#deliveries.sent(transactionId, chunk.messageId, chunk.flag);
      this.#watch();
    }
  }

  /** The a=path is read again rather than kept parsed: a leg keeps nothing of it until it copies. */
  #headsOfCopies(): RelayedHeads {
    if (this.#heads !== undefined) return this.#heads;
    const path = parsePathOf(this.#answer);
    // `connect` and `await` fail a leg whose a=path is unusable before it can be connected.
    assert(path.ok, 'a connected leg has a usable a=path');
    this.#heads = new RelayedHeads(path.value, this.#ownUri);
    return this.#heads;
  }

  #onRead(error: RelayError | undefined, data: Buffer): void {
    this.#reading = false;
    if (this.#state !== 'connected' || this.#aborted || this.#frameTransaction === undefined) return;
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    this.#sent += data.length;
    this.#connection?.sender.writeBody(data);
    this.#host.changed();
    this.#schedule();
  }

  #caughtUp(): void {
    this.#relaying = false;
    this.#watch();
    this.#host.changed();
    this.#host.events.onMemberCaughtUp(this.#index);
  }

  /**
   * The window is full: wait for 'drain'. A full window (at least Node's 16 KiB high-water mark)
   * means some `write()` returned false, so 'drain' will come once the member reads.
   */
  #block(): void {
    this.#blocked = true;
    this.#connection?.awaitDrain(this);
    this.#watch();
  }

  /**
   * While the leg waits on the member (answers due, or a full window) a deadline runs, pushed back
   * by each answer and each drain; a member that makes no progress for `transactionTimeoutMs`
   * is dropped (RFC 4975: a transaction without a response in time has failed).
   */
  #watch(): void {
    if (this.#state !== 'connected') return;
    const waiting = this.#blocked || this.#deliveries.unanswered > 0;
    if (!waiting) this.#deadline.stop();
    else if (!this.#deadline.started) this.#expireIn(this.#host.config.transactionTimeoutMs, () => new RelayError('CPM_ERR_MSRP_TRANSACTION_TIMEOUT', 'the member made no progress in time'));
  }

  #fail(error: RelayError): void {
    if (this.#state === 'failed' || this.#state === 'closed') return;
    this.#state = 'failed';
    this.#relaying = false;
    this.#deadline.dispose();
    this.#host.config.logger.warn({ leg: this.#index, err: error }, 'member leg dropped');
    const connection = this.#connection;
    // A member that has stopped reading the connection, or has sent nothing on it all the while the
    // leg waited, has failed every session that shares it, not only this one.
    const memberGone =
      error.code === 'CPM_ERR_MSRP_TRANSACTION_TIMEOUT' && connection !== undefined && (this.#blocked || connection.quietMs >= this.#host.config.transactionTimeoutMs);
    this.#leaveConnection('reset');
    if (memberGone && connection.userCount > 0) connection.reset();
    this.#host.changed();
    this.#host.events.onMemberFailed(this.#index);
  }

  /** A failure found while a host call is still running is told after it returns. */
  #failLater(error: RelayError): void {
    queueMicrotask(() => this.#fail(error));
  }

  #leave(how: 'end' | 'destroy'): void {
    this.#state = 'closed';
    this.#relaying = false;
    this.#deadline.dispose();
    this.#leaveConnection(how);
    this.#host.changed();
  }

  /**
   * Unbinds from the connection, which closes `how` if no other session uses it. If others do, a
   * copy in flight is ended first with "#" (RFC 4975 §7.1), so that their frames can follow it.
   */
  #leaveConnection(how: 'end' | 'destroy' | 'reset'): MsrpConnection | undefined {
    const connection = this.#connection;
    if (connection === undefined) return undefined;
    if (connection.userCount > 1) this.#interruptFrame(connection);
    this.#detach();
    connection.unbind(this, how);
    return connection;
  }

  /** RFC 4975 §7.1: "#" ends the copy in flight where its bytes stopped, and says its message was aborted. */
  #interruptFrame(connection: MsrpConnection): void {
    const transactionId = this.#frameTransaction;
    const chunk = this.#host.spool.chunks[this.#chunkIndex];
    if (transactionId === undefined || chunk === undefined) return;
    this.#frameTransaction = undefined;
    connection.sender.endFrame(formatEndLine({ transactionId, hasBody: chunk.hasBody }, '#'));
    this.#deliveries.sent(transactionId, chunk.messageId, '#');
  }

  #attach(connection: MsrpConnection): void {
    this.#connection = connection;
    connection.bind(this, this.#ownUri.sessionId);
  }

  #detach(): void {
    this.#connection?.sender.leave(this);
    this.#connection = undefined;
  }

  /** Fails the leg with `error()` unless the deadline is stopped or pushed back within `ms`. */
  #expireIn(ms: number, error: () => RelayError): void {
    this.#deadline.start(ms, () => this.#fail(error()));
  }
}
