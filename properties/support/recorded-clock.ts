/**
 * The CF's clock in a run over sockets: timers fire only when the world's clock ticks
 * (`ManualScheduler`), and each timer the session arms or disarms is recorded as the effect the
 * session performed (`timer.start`, `timer.cancel`), so that the world knows what may fire.
 */
import { cancelTimer, startTimer, type CfEffect, type TimerName } from '../../machines/effects.ts';
import type { LegIndex } from '../../machines/types.ts';
import { ManualScheduler } from '../../test/support/manual-scheduler.ts';

export class RecordedClock extends ManualScheduler {
  constructor(private readonly record: (effect: CfEffect) => void) {
    super();
  }

  override schedule(timer: TimerName, leg: LegIndex | null, ms: number, fire: () => void): () => void {
    this.record(startTimer(timer, leg, ms));
    const disarm = super.schedule(timer, leg, ms, fire);
    return () => {
      this.record(cancelTimer(timer, leg));
      disarm();
    };
  }
}
