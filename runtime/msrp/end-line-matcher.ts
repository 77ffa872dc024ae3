/**
 * Finds the end of a body: the CRLF-prefixed end-line of one transaction, in a byte stream that
 * arrives in arbitrary pieces. Searches with `Buffer.indexOf` (native), never byte by byte.
 *
 * RFC 4975 §7.1: "If a body is present, the end-line MUST be preceded by a CRLF that is not
 * part of the body." The pattern is therefore CRLF "-------" transact-id flag CRLF; anything
 * short of the whole pattern (another transaction's id, no CRLF before, no flag, no CRLF
 * after) is body data.
 */
import assert from 'node:assert';
import { END_LINE_HYPHENS, isContinuationFlag } from './frame.ts';
import type { ContinuationFlag } from './frame.ts';

const CR = 0x0d;
const LF = 0x0a;
const DOLLAR = 0x24;
const PLUS = 0x2b;
const HASH = 0x23;

export class EndLineMatcher {
  /** Bytes in a full match: CRLF, seven hyphens, the transaction-id, the flag, CRLF. */
  readonly window: number;
  /** CRLF "-------" transact-id: the part of the pattern that does not vary. */
  readonly #prefix: Buffer;

  constructor(transactionId: string) {
    this.#prefix = Buffer.from(`\r\n${END_LINE_HYPHENS}${transactionId}`, 'latin1');
    this.window = this.#prefix.length + 3;
  }

  /**
   * The first index at or after `from` where the end-line starts in `buf`, or where it may
   * start with `buf` ending before it does (then `index + window > buf.length` and the caller
   * must keep `buf.subarray(index)` to decide once more bytes arrive); -1 if neither.
   *
   * A full match always comes before a partial one, since a partial one runs to the end.
   */
  find(buf: Buffer, from: number): number {
    const prefix = this.#prefix;
    for (let at = buf.indexOf(prefix, from); at !== -1; at = buf.indexOf(prefix, at + 1)) {
      if (this.#agreesAt(buf, at)) return at;
    }
    // Candidates holding the whole prefix were all seen above. What is left is a buffer
    // ending inside the prefix: that starts, at a CR, in its last prefix.length - 1 bytes, so
    // this loop looks at a bounded number of positions whatever the buffer's size.
    for (let at = buf.indexOf(CR, Math.max(from, buf.length - prefix.length + 1)); at !== -1; at = buf.indexOf(CR, at + 1)) {
      if (this.#agreesAt(buf, at)) return at;
    }
    return -1;
  }

  /** The continuation flag of a full match found at `at`. */
  flagAt(buf: Buffer, at: number): ContinuationFlag {
    const flag = String.fromCharCode(buf[at + this.#prefix.length] ?? 0);
    assert(isContinuationFlag(flag), 'flagAt is only called where find() saw a full match');
    return flag;
  }

  /** Whether `buf` from `at` to its end agrees with the pattern, as far as `buf` goes. */
  #agreesAt(buf: Buffer, at: number): boolean {
    const prefix = this.#prefix;
    const available = buf.length - at;
    const n = Math.min(prefix.length, available);
    if (buf.compare(prefix, 0, n, at, at + n) !== 0) return false;
    const flagAt = at + prefix.length;
    if (available > prefix.length) {
      const flag = buf[flagAt];
      if (flag !== DOLLAR && flag !== PLUS && flag !== HASH) return false;
    }
    if (available > prefix.length + 1 && buf[flagAt + 1] !== CR) return false;
    return available <= prefix.length + 2 || buf[flagAt + 2] === LF;
  }
}
