/**
 * Walks one request's body across written chunks: hands out body data as zero-copy views and
 * stops at the end-line, keeping back only the few bytes that may begin it.
 */
import { EndLineMatcher } from './end-line-matcher.ts';
import type { ContinuationFlag } from './frame.ts';

/** One step through the body; `next` is where reading of the chunk resumes. */
export type BodyStep =
  | { readonly kind: 'data'; readonly data: Buffer; readonly next: number }
  | { readonly kind: 'end'; readonly flag: ContinuationFlag; readonly next: number }
  | { readonly kind: 'held'; readonly next: number };

export class BodyReader {
  readonly #matcher: EndLineMatcher;
  /** Copied tail bytes that may start the end-line; fewer than `matcher.window`. */
  #held: Buffer | undefined;

  constructor(transactionId: string) {
    this.#matcher = new EndLineMatcher(transactionId);
  }

  /** Bytes kept back while undecided; under `2 + 7 + transactionId.length + 1 + 2`. */
  get heldBytes(): number {
    return this.#held?.length ?? 0;
  }

  /**
   * Reads `chunk` from `offset` (which is below `chunk.length`): either some body data, or
   * the end-line, or nothing yet because all that is left may be the start of the end-line.
   */
  read(chunk: Buffer, offset: number): BodyStep {
    if (this.#held !== undefined) return this.#readAcrossHeld(this.#held, chunk, offset);
    const matcher = this.#matcher;
    const at = matcher.find(chunk, offset);
    if (at === -1) return { kind: 'data', data: chunk.subarray(offset), next: chunk.length };
    if (at + matcher.window <= chunk.length) {
      if (at > offset) return { kind: 'data', data: chunk.subarray(offset, at), next: at };
      return { kind: 'end', flag: matcher.flagAt(chunk, at), next: at + matcher.window };
    }
    // The chunk ends inside what may be the end-line: keep those few bytes, as a copy so a
    // large chunk is not pinned in memory by a small view of it.
    this.#held = Buffer.from(chunk.subarray(at));
    if (at > offset) return { kind: 'data', data: chunk.subarray(offset, at), next: chunk.length };
    return { kind: 'held', next: chunk.length };
  }

  /**
   * Looks for the end-line starting in the held bytes, using only the first `window - 1` bytes
   * of the new chunk, so the join costs a few dozen bytes whatever the chunk size.
   */
  #readAcrossHeld(held: Buffer, chunk: Buffer, offset: number): BodyStep {
    const matcher = this.#matcher;
    const joint = Buffer.concat([held, chunk.subarray(offset, offset + matcher.window - 1)]);
    const at = matcher.find(joint, 0);
    if (at === -1 || at >= held.length) {
      this.#held = undefined;
      return { kind: 'data', data: held, next: offset };
    }
    if (at + matcher.window <= joint.length) {
      if (at > 0) {
        this.#held = held.subarray(at);
        return { kind: 'data', data: held.subarray(0, at), next: offset };
      }
      this.#held = undefined;
      return { kind: 'end', flag: matcher.flagAt(joint, 0), next: offset + matcher.window - held.length };
    }
    // Still undecided; the candidate can only run to the joint's end if the joint took in
    // the whole rest of the chunk.
    this.#held = joint.subarray(at);
    if (at > 0) return { kind: 'data', data: held.subarray(0, at), next: chunk.length };
    return { kind: 'held', next: chunk.length };
  }
}
