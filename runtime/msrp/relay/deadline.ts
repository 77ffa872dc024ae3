/**
 * A deadline that progress pushes back: once started, it expires when `ms` pass without a call to
 * `progress()`.
 *
 * A member leg notes progress on every answer and every 'drain', thousands of times a second in a
 * fan-out. `Timeout.refresh()` on each re-inserted the timer in Node's timer lists, and clearing
 * and arming a timer each time a leg went idle and busy again cost as much: together about a tenth
 * of the relay's CPU. Here progress only stamps the time; the one timer, when it fires, arms itself
 * again for whatever is left, and is kept (not cleared) across `stop()` and `start()`.
 */
import { performance } from 'node:perf_hooks';

export class Deadline {
  #ms = 0;
  /** Set while started. */
  #onExpire: (() => void) | undefined;
  #lastProgress = 0;
  #timer: NodeJS.Timeout | undefined;
  /** When the armed timer fires. */
  #due = 0;

  get started(): boolean {
    return this.#onExpire !== undefined;
  }

  /** Starts the countdown of `ms` from now, unless one is running already. */
  start(ms: number, onExpire: () => void): void {
    if (this.#onExpire !== undefined) return;
    const now = performance.now();
    this.#ms = ms;
    this.#onExpire = onExpire;
    this.#lastProgress = now;
    // A timer left armed by an earlier countdown is kept if it fires in time for this one.
    if (this.#timer === undefined || this.#due > now + ms) this.#arm(ms, now);
  }

  /** The countdown starts again from now (nothing happens when it is stopped). */
  progress(): void {
    this.#lastProgress = performance.now();
  }

  /** No expiry until the next `start()`; the timer, if armed, stays for that one. */
  stop(): void {
    this.#onExpire = undefined;
  }

  /** Stops for good: the timer goes too. */
  dispose(): void {
    this.#onExpire = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number, now: number): void {
    clearTimeout(this.#timer);
    this.#due = now + ms;
    this.#timer = setTimeout(Deadline.#fire, ms, this);
    this.#timer.unref();
  }

  /** The timer's callback, one for every deadline (the deadline comes as its argument): no closure per deadline. */
  static #fire(deadline: Deadline): void {
    deadline.#timer = undefined;
    const onExpire = deadline.#onExpire;
    if (onExpire === undefined) return;
    const now = performance.now();
    const left = deadline.#lastProgress + deadline.#ms - now;
    if (left > 0) {
      deadline.#arm(Math.ceil(left), now);
      return;
    }
    deadline.#onExpire = undefined;
    onExpire();
  }
}
