/**
 * The session timers the machines ask for (`timer.start` / `timer.cancel`, keyed by timer and leg):
 * each is armed on a scheduler and, on expiry, becomes the session's `TIMER` event. The scheduler is
 * the one seam where time enters a session, so an operator's clock (or a test's) can be put there.
 */
import type { TimerName } from '../machines/effects.ts';
import type { LegIndex } from '../machines/types.ts';

/** Arms `fire` after `ms` for `timer` of `leg` (null: the session's own); the returned function disarms it. */
export interface TimerScheduler {
  schedule(timer: TimerName, leg: LegIndex | null, ms: number, fire: () => void): () => void;
}

export const realScheduler: TimerScheduler = {
  schedule: (_timer, _leg, ms, fire) => {
    const handle = setTimeout(fire, ms);
    return () => clearTimeout(handle);
  },
};

export interface PendingTimer {
  readonly timer: TimerName;
  readonly leg: LegIndex | null;
}

export class SessionTimers {
  private readonly pending = new Map<string, { timer: PendingTimer; disarm: () => void }>();

  constructor(
    private readonly scheduler: TimerScheduler,
    private readonly onExpiry: (timer: TimerName, leg: LegIndex | null) => void,
  ) {}

  /** Arms the timer; arming one that runs re-arms it. */
  start(timer: TimerName, leg: LegIndex | null, ms: number): void {
    const key = `${timer}:${leg ?? ''}`;
    this.pending.get(key)?.disarm();
    const disarm = this.scheduler.schedule(timer, leg, ms, () => {
      this.pending.delete(key);
      this.onExpiry(timer, leg);
    });
    this.pending.set(key, { timer: { timer, leg }, disarm });
  }

  cancel(timer: TimerName, leg: LegIndex | null): void {
    const key = `${timer}:${leg ?? ''}`;
    this.pending.get(key)?.disarm();
    this.pending.delete(key);
  }

  /** The timers armed now, for a shutdown that cannot wait for them. */
  armed(): PendingTimer[] {
    return [...this.pending.values()].map((p) => p.timer);
  }

  /** Disarms every timer (the session is released). */
  clear(): void {
    for (const { disarm } of this.pending.values()) disarm();
    this.pending.clear();
  }
}
