/**
 * The network between the world and the CF: an action sent is in flight until the scheduler
 * releases it, so answers arrive late and in any order across connections — a member's 200 OK may
 * cross the CF's CANCEL, a SEND may overtake a member's BYE — while one connection stays in order.
 */
import { channelOf, describeAction, type WorldAction } from './world-actions.ts';

/**
 * Runs `arrive` when the action labelled `label` may arrive (`fc.scheduler`'s `scheduleSequence`),
 * and has the scheduler wait for it: a CF that takes an action over sockets has taken it before
 * the next command runs or the next arrival is chosen, so a run depends on its seed alone.
 */
export type Release = (label: string, arrive: () => Promise<void>) => void;

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
    this.#release(describeAction(action), () => this.#arrive(queue));
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

  /** Delivers the channel's oldest action after any delivery still running; never rejects (`drained` throws). */
  #arrive(queue: WorldAction[]): Promise<void> {
    const action = queue.shift();
    if (action === undefined) return Promise.resolve();
    const previous = this.#busy;
    let done: void | Promise<void>;
    try {
      done = previous === undefined ? this.#deliver(action) : previous.then(() => this.#deliver(action));
    } catch (error) {
      this.#fail(error);
      return Promise.resolve();
    }
    if (!(done instanceof Promise)) return Promise.resolve();
    const tracked: Promise<void> = done
      .catch((error: unknown) => this.#fail(error))
      .then(() => {
        if (this.#busy === tracked) this.#busy = undefined;
      });
    this.#busy = tracked;
    return tracked;
  }

  #fail(error: unknown): void {
    this.#failure ??= { error };
  }
}
