/**
 * The network between the world and the CF: an action sent is in flight until the scheduler
 * releases it, so answers arrive late and in any order across connections — a member's 200 OK may
 * cross the CF's CANCEL, a SEND may overtake a member's BYE — while one connection stays in order.
 */
import { channelOf, describeAction, type WorldAction } from './world-actions.ts';

/** Resolves when the action labelled `label` may arrive (`fc.scheduler`'s `schedule`). */
export type Release = (label: string) => PromiseLike<unknown>;

export class Network {
  readonly #deliver: (action: WorldAction) => void | Promise<void>;
  readonly #release: Release;
  readonly #queues = new Map<string, WorldAction[]>();
  /** An asynchronous delivery still running: later ones wait for it, so the CF sees one at a time. */
  #busy: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(deliver: (action: WorldAction) => void | Promise<void>, release: Release) {
    this.#deliver = deliver;
    this.#release = release;
  }

  send(action: WorldAction): void {
    const channel = channelOf(action) ?? 'local';
    const queue = this.#queues.get(channel) ?? [];
    this.#queues.set(channel, queue);
    queue.push(action);
    // Each send schedules one arrival; whichever is released, the channel's oldest action arrives.
    // The side effect comes after the release, not inside the scheduled task (fast-check notes).
    Promise.resolve(this.#release(describeAction(action)))
      .then(() => this.#arrive(queue))
      .catch((error: unknown) => this.#fail(error));
  }

  /** Nothing is in flight on `channel`. */
  idle(channel: string): boolean {
    return (this.#queues.get(channel)?.length ?? 0) === 0;
  }

  /** Resolves once every released action has reached the CF; throws what a delivery threw. */
  async drained(): Promise<void> {
    while (this.#busy !== undefined) await this.#busy;
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  #arrive(queue: WorldAction[]): void {
    const action = queue.shift();
    if (action === undefined) return;
    const previous = this.#busy;
    const done = previous === undefined ? this.#deliver(action) : previous.then(() => this.#deliver(action));
    if (done instanceof Promise) {
      const tracked: Promise<void> = done
        .catch((error: unknown) => this.#fail(error))
        .then(() => {
          if (this.#busy === tracked) this.#busy = undefined;
        });
      this.#busy = tracked;
    }
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
  }
}
