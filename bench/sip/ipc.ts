/** Request and reply between the orchestrator and a forked bench process, never waiting unbounded. */
import type { ChildProcess } from 'node:child_process';

/**
 * Sends `message` (unless undefined) and resolves with the child's first reply that `accept`s;
 * rejects if the child exits first or `timeoutMs` passes.
 */
export function request<T>(child: ChildProcess, message: object | undefined, accept: (reply: unknown) => reply is T, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (reply: unknown): void => {
      if (!accept(reply)) return;
      done();
      resolve(reply);
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`bench process ${child.pid} exited (${code}) before it replied`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`bench process ${child.pid} did not reply within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message !== undefined) child.send(message);
  });
}

/** Resolves once the child has exited, or after `timeoutMs` (when it is killed). */
export async function exited(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The `type` of a reply, which tells the replies of a bench process apart. */
export function typeOf(reply: unknown): unknown {
  return typeof reply === 'object' && reply !== null ? (reply as { type?: unknown }).type : undefined;
}
