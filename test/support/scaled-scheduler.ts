/**
 * A `TimerScheduler` that shortens the named session timers by `factor`, so that a test can see
 * RFC 4028's refresh and expiry (90 s at the least) happen; every other timer keeps its length.
 */
import type { TimerName } from '../../machines/effects.ts';
import type { TimerScheduler } from '../../runtime/timers.ts';

export function scaledScheduler(factor: number, timers: readonly TimerName[]): TimerScheduler {
  return {
    schedule: (timer, _leg, ms, fire) => {
      const handle = setTimeout(fire, timers.includes(timer) ? ms * factor : ms);
      return () => clearTimeout(handle);
    },
  };
}
