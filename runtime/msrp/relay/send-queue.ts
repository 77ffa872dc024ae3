/**
 * What the CF writes on one connection, frame by frame. Modelled on ws's Sender: a byte-counted
 * queue in front of the socket; the writer watches `bufferedBytes` and waits for 'drain'.
 *
 * A relayed chunk is written in pieces as the spool yields them (head, body pieces, end-line), and
 * a whole frame that comes up meanwhile (a response to the member's request, say) must not land
 * inside it: RFC 4975 §9 frames do not nest. Such frames wait in the queue until the streamed
 * frame's end-line is out.
 */
import type { Socket } from 'node:net';

export class SendQueue {
  readonly #socket: Socket;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #streaming = false;

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
    this.#write(frame);
  }

  /** Opens a streamed frame with its head. */
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

  /** Closes the streamed frame with its end-line, then lets the frames that waited go. */
  endFrame(endLine: Buffer): void {
    if (!this.#streaming) throw new Error('SendQueue.endFrame() outside a streamed frame: beginFrame() first');
    this.#streaming = false;
    this.#write(endLine);
    const waiting = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    for (const frame of waiting) this.#write(frame);
  }

  #write(bytes: Buffer): void {
    // A socket that is ended or destroyed takes nothing more; whoever wrote learns of the loss
    // from the connection's close, not from here.
    if (this.#socket.writable) this.#socket.write(bytes);
  }
}
