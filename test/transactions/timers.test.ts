import { describe, expect, it } from 'vitest';
import { T1, T2, T4, runsOver, timerDurations } from '../../machines/transactions/timers.ts';

describe('transaction timers (RFC 3261 Table 4, RFC 6026 §7)', () => {
  it('defaults T1 to 500 ms, T2 to 4 s and T4 to 5 s', () => {
    expect([T1, T2, T4]).toEqual([500, 4_000, 5_000]);
  });

  it('derives every timer from T1, T2 and T4 as Table 4 does, Timer D being at least 32 s', () => {
    expect(timerDurations()).toEqual({
      T2: 4_000,
      A: 500,
      B: 32_000,
      D: 32_000,
      E: 500,
      F: 32_000,
      G: 500,
      H: 32_000,
      I: 5_000,
      J: 32_000,
      K: 5_000,
      L: 32_000,
      M: 32_000,
    });
  });

  it('scales with the base values it is given, except Timer D, which is not based on T1', () => {
    expect(timerDurations({ t1: 250, t2: 2_000, t4: 2_500 })).toMatchObject({ T2: 2_000, A: 250, B: 16_000, D: 32_000, I: 2_500, L: 16_000 });
  });

  it('refuses base values that cannot be durations, saying what the RFC default is', () => {
    expect(() => timerDurations({ t1: 0 })).toThrow(/t1 must be a positive number of milliseconds, got 0; RFC 3261 §17 defaults it to 500/);
    expect(() => timerDurations({ t4: Number.NaN })).toThrow(RangeError);
    expect(() => timerDurations({ t1: 5_000, t2: 4_000 })).toThrow(/must not be below t1/);
  });

  it('starts no retransmission timer (A, E, G) and no zero-second timer (D, I, J, K) over a reliable transport', () => {
    const all = ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M'] as const;
    expect(all.filter((timer) => runsOver(timer, true))).toEqual(['B', 'F', 'H', 'L', 'M']);
    expect(all.filter((timer) => runsOver(timer, false))).toEqual(all);
  });
});
