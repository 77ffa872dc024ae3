/**
 * What the CF writes on one connection, frame by frame. Modelled on ws's Sender: a byte-counted
 * queue in front of the socket; the writer watches `bufferedBytes` and waits for 'drain'.
 *
 * A relayed chunk is written in pieces as the spool yields them (head, body pieces, end-line), and
 * a whole frame that comes up meanwhile (a response to the member's request, say) must not land
 * inside it: RFC 4975 §9 frames do not nest. Such frames wait in the queue until the streamed
 * frame's end-line is out.
 *
 * For the same reason the member legs of several sessions that share a connection (RFC 4975 §5.4)
 * stream their copies in turns, one frame each: a leg asks `mayBegin()`, and one that must wait is
 * told `onTurn()` when the frame before it and the legs that asked before it are done.
 */
import type { Socket } from 'node:net';

/** A writer of streamed frames, waiting for its turn on a shared connection. */
export interface TurnTaker {
  onTurn(): void;
}

export class SendQueue {
  readonly #socket: Socket;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #streaming = false;
  /** Writers waiting to stream a frame, first come first served; the first is told when it may. */
  readonly #turns = new Set<TurnTaker>();
  /** The socket is corked until the event loop's check phase (see `#batch`). */
  #batching = false;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Bytes the CF holds for this connection: queued frames plus the socket's own buffer. */
  get bufferedBytes(): number {
    return this.#queuedBytes + this.#socket.writableLength;
  }

  /** True between `beginFrame()` and `endFrame()`. */
  get streaming(): boolean {
    return this.#streaming;
  }

  /** A whole frame (a response, a REPORT, a bodiless request): now, or after the frame being streamed. */
  sendFrame(frame: Buffer): void {
    if (this.#streaming) {
      this.#queue.push(frame);
      this.#queuedBytes += frame.length;
      return;
    }
    this.#batch();
    this.#write(frame);
  }

  /**
   * Whether `taker` may open a streamed frame now: no frame is being streamed and no other writer
   * asked first. If not, `taker` joins the turns and hears `onTurn()` when it may.
   */
  mayBegin(taker: TurnTaker): boolean {
    const first = this.#firstTurn();
    if (!this.#streaming && (first === undefined || first === taker)) {
      this.#turns.delete(taker);
      return true;
    }
    this.#turns.add(taker);
    return false;
  }

  /** `taker` no longer wants a turn (its leg is over); the next writer's turn comes if it was first. */
  leave(taker: TurnTaker): void {
    const wasFirst = this.#firstTurn() === taker;
    this.#turns.delete(taker);
    if (wasFirst && !this.#streaming) this.#firstTurn()?.onTurn();
  }

  /** Opens a streamed frame with its head (after `mayBegin()`). */
  beginFrame(head: Buffer): void {
    if (this.#streaming) throw new Error('SendQueue.beginFrame() inside a streamed frame: endFrame() it first');
    this.#streaming = true;
    this.#write(head);
  }

  /** A piece of the streamed frame's body. */
  writeBody(piece: Buffer): void {
    if (!this.#streaming) throw new Error('SendQueue.writeBody() outside a streamed frame: beginFrame() first');
    this.#write(piece);
  }

  /** Closes the streamed frame with its end-line, then lets the frames that waited go, and the next writer. */
  endFrame(endLine: Buffer): void {
    if (!this.#streaming) throw new Error('SendQueue.endFrame() outside a streamed frame: beginFrame() first');
    this.#streaming = false;
    this.#write(endLine);
    const waiting = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    for (const frame of waiting) this.#write(frame);
    this.#firstTurn()?.onTurn();
  }

  #firstTurn(): TurnTaker | undefined {
    for (const taker of this.#turns) return taker;
    return undefined;
  }

  /**
   * Holds whole frames in the socket until the I/O callbacks that are ready have run: the answers
   * to all the chunks one poll of the originator's socket brought then leave in one writev, not
   * one write each (each write on TCP is a system call and, on loopback, the peer's receive too).
   */
  #batch(): void {
    if (this.#batching) return;
    this.#batching = true;
    this.#socket.cork();
    setImmediate(() => {
      this.#batching = false;
      this.#socket.uncork();
    });
  }

  #write(bytes: Buffer): void {
    // A socket that is ended or destroyed takes nothing more; whoever wrote learns of the loss
    // from the connection's close, not from here.
    if (this.#socket.writable) this.#socket.write(bytes);
  }
}
