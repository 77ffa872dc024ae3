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
