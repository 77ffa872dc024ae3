/**
 * A `TimerScheduler` whose timers fire only when the test says, as the machines' paths deliver
 * `TIMER` events. A test replaying one session after another starts each with `begin()`: from then
 * on only that session's timers are listed and fired (those of earlier sessions stay armed, silent).
 */
import type { TimerName } from '../../machines/effects.ts';
import type { LegIndex } from '../../machines/types.ts';
import type { TimerScheduler } from '../../runtime/timers.ts';

interface Armed {
  readonly timer: TimerName;
  readonly leg: LegIndex | null;
  readonly ms: number;
  readonly epoch: number;
  readonly fire: () => void;
}

export class ManualScheduler implements TimerScheduler {
  private armed = new Set<Armed>();
  private epoch = 0;

  schedule(timer: TimerName, leg: LegIndex | null, ms: number, fire: () => void): () => void {
    const entry = { timer, leg, ms, epoch: this.epoch, fire };
    this.armed.add(entry);
    return () => this.armed.delete(entry);
  }

  /** The next timers armed belong to a new session. */
  begin(): void {
    this.epoch++;
  }

  /** The current session's armed timers, as `timer:leg:ms`, sorted. */
  current(): string[] {
    return [...this.armed].filter((a) => a.epoch === this.epoch).map((a) => `${a.timer}:${a.leg ?? '-'}:${a.ms}`).sort();
  }

  /** Fires the current session's armed `timer` of `leg`; false when none is armed. */
  fire(timer: TimerName, leg: LegIndex | null): boolean {
    const entry = [...this.armed].find((a) => a.epoch === this.epoch && a.timer === timer && a.leg === leg);
    if (entry === undefined) return false;
    this.armed.delete(entry);
    entry.fire();
    return true;
  }
}
