/**
 * Buffers laid end to end in spool positions, found by position (binary search) and dropped from
 * the front: the spool's in-memory parts.
 */
export class PieceList {
  readonly #pieces: Buffer[] = [];
  readonly #starts: number[] = [];
  /** Index of the first live piece; dropped ones are compacted away now and then. */
  #first = 0;
  #start: number;
  #end: number;

  /** An empty list whose first byte will sit at `start`. */
  constructor(start: number) {
    this.#start = start;
    this.#end = start;
  }

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#end;
  }

  get bytes(): number {
    return this.#end - this.#start;
  }

  /** Where the oldest piece ends, or undefined when the list is empty. */
  get firstEnd(): number | undefined {
    const piece = this.#pieces[this.#first];
    return piece === undefined ? undefined : this.#start + piece.length;
  }

  push(piece: Buffer): void {
    this.#pieces.push(piece);
    this.#starts.push(this.#end);
    this.#end += piece.length;
  }

  /** Up to `max` bytes from `position` (in `[start, end)`), as a view of one piece. */
  viewAt(position: number, max: number): Buffer {
    let low = this.#first;
    let high = this.#pieces.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.#starts[mid] as number) <= position) low = mid;
      else high = mid - 1;
    }
    const piece = this.#pieces[low] as Buffer;
    const offset = position - (this.#starts[low] as number);
    return piece.subarray(offset, Math.min(piece.length, offset + max));
  }

  dropFirst(): void {
    const piece = this.#pieces[this.#first];
    if (piece === undefined) return;
    this.#first++;
    this.#start += piece.length;
    // Compacting when half the array is dead keeps both drop and lookup cheap.
    if (this.#first > 64 && this.#first * 2 > this.#pieces.length) {
      this.#pieces.splice(0, this.#first);
      this.#starts.splice(0, this.#first);
      this.#first = 0;
    }
  }

  clear(): void {
    this.#pieces.length = 0;
    this.#starts.length = 0;
    this.#first = 0;
    this.#start = this.#end;
  }
}
