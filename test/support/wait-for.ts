/**
 * Waits for something a test peer records: polls `find` until it returns a value, which it resolves
 * with, or rejects after `ms` naming `what` was awaited. The tests' one way of waiting.
 */
export function waitFor<T>(find: () => T | undefined, what: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const poll = (): void => {
      const found = find();
      if (found !== undefined) resolve(found);
      else if (Date.now() > deadline) reject(new Error(`no ${what} within ${ms} ms`));
      else setTimeout(poll, 1);
    };
    poll();
  });
}

/**
 * The same wait for a peer that says when it recorded something: each waiter probes again on
 * `notify()` instead of every millisecond, so a test that waits thousands of times (the
 * properties over sockets) pays a round trip per wait, not a timer tick.
 */
export class Notifier {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Resolves with `find()` once it is defined; rejects after `ms` (never, when omitted) naming `what`. */
  until<T>(find: () => T | undefined, what: string, ms?: number): Promise<T> {
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = ms === undefined ? undefined : setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no ${what} within ${ms} ms`));
      }, ms);
      const check = (): void => {
        const found = find();
        if (found === undefined) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(found);
      };
      this.#waiters.add(check);
    });
  }
}
