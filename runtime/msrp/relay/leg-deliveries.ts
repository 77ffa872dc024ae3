/**
 * One leg's bookkeeping of what the member has: the chunks awaiting its response, and, per
 * message, whether every chunk up to the last has been answered 200 (then the member has the
 * whole message, RFC 4975 §7.1.2).
 */
import type { ContinuationFlag } from '../frame.ts';

interface MessageProgress {
  unanswered: number;
  /** The flag of the chunk that ended the message, once sent. */
  ended: '$' | '#' | undefined;
}

export class LegDeliveries {
  readonly #pending = new Map<string, string>();
  readonly #messages = new Map<string, MessageProgress>();

  /** Chunks sent and not yet answered. */
  get unanswered(): number {
    return this.#pending.size;
  }

  sent(transactionId: string, messageId: string, flag: ContinuationFlag): void {
    this.#pending.set(transactionId, messageId);
    const progress = this.#messages.get(messageId) ?? { unanswered: 0, ended: undefined };
    progress.unanswered++;
    if (flag !== '+') progress.ended = flag;
    this.#messages.set(messageId, progress);
  }

  owns(transactionId: string): boolean {
    return this.#pending.has(transactionId);
  }

  /**
   * The member answered the chunk 200. Returns the Message-ID of the message it now has whole,
   * if this answer completes one.
   */
  answered(transactionId: string): string | undefined {
    const messageId = this.#pending.get(transactionId);
    if (messageId === undefined) return undefined;
    this.#pending.delete(transactionId);
    const progress = this.#messages.get(messageId);
    if (progress === undefined) return undefined;
    progress.unanswered--;
    if (progress.unanswered > 0 || progress.ended === undefined) return undefined;
    this.#messages.delete(messageId);
    return progress.ended === '$' ? messageId : undefined;
  }
}
