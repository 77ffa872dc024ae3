/**
 * Collects a start-line or header line that arrives split across writes. Growth by doubling
 * keeps a line written one byte at a time linear; `capacity` (the head limit) caps it.
 */
const EMPTY = Buffer.alloc(0);
const MIN_CAPACITY = 128;

export class LineBuffer {
  readonly #capacity: number;
  #bytes = EMPTY;
  #length = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Whether no piece of a line is held. */
  get empty(): boolean {
    return this.#length === 0;
  }

  /** Copies `piece` in; the caller keeps the total within `capacity`. */
  append(piece: Buffer): void {
    const needed = this.#length + piece.length;
    if (needed > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.#capacity, Math.max(needed, 2 * this.#bytes.length, MIN_CAPACITY)));
      this.#bytes.copy(grown, 0, 0, this.#length);
      this.#bytes = grown;
    }
    piece.copy(this.#bytes, this.#length);
    this.#length = needed;
  }

  /**
   * The whole line once its last piece (ending in LF) has come: the collected bytes and that piece.
   * Empties the buffer. A line that arrives in one piece is read in place, without coming here.
   */
  complete(lastPiece: Buffer): Buffer {
    this.append(lastPiece);
    const line = this.#bytes.subarray(0, this.#length);
    this.clear();
    return line;
  }

  /** Drops what was collected and the memory behind it. */
  clear(): void {
    this.#bytes = EMPTY;
    this.#length = 0;
  }
}
