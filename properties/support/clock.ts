/**
 * The CF's clock, simulated: it learns of timers from the `timer.start` / `timer.cancel` effects
 * and, when told to tick, jumps to the earliest deadline and fires that timer. Time is a number the
 * world advances, never the wall clock, so a run depends on its seed alone.
 */
import type { CfEffect, TimerName } from '../../machines/effects.ts';
import type { LegIndex } from '../../machines/types.ts';

export interface PendingTimer {
  timer: TimerName;
  leg: LegIndex | null;
  due: number;
  /** Start order, so that timers due at the same instant fire in the order they were started. */
  seq: number;
}

const keyOf = (timer: TimerName, leg: LegIndex | null) => `${timer}/${leg ?? '-'}`;

export class SimulatedClock {
  #now = 0;
  #seq = 0;
  readonly #pending = new Map<string, PendingTimer>();

  observe(effect: CfEffect): void {
    if (effect.type === 'timer.start') {
      // Starting a running timer re-arms it (RFC 4028 §10 refreshes do).
      this.#pending.set(keyOf(effect.timer, effect.leg), { timer: effect.timer, leg: effect.leg, due: this.#now + effect.ms, seq: this.#seq++ });
    } else if (effect.type === 'timer.cancel') {
      this.#pending.delete(keyOf(effect.timer, effect.leg));
    }
  }

  /** The timer that fires next, if any. */
  next(): PendingTimer | undefined {
    let first: PendingTimer | undefined;
    for (const t of this.#pending.values()) if (first === undefined || t.due < first.due || (t.due === first.due && t.seq < first.seq)) first = t;
    return first;
  }

  /** Moves time to the deadline of a pending timer and forgets it: the caller then delivers its expiry. */
  expire(timer: TimerName, leg: LegIndex | null): void {
    const key = keyOf(timer, leg);
    const pending = this.#pending.get(key);
    if (pending === undefined) throw new Error(`clock: ${key} is not pending; only a started timer can fire`);
    this.#now = Math.max(this.#now, pending.due);
    this.#pending.delete(key);
  }

  pendingTimers(): PendingTimer[] {
    return [...this.#pending.values()];
  }
}
