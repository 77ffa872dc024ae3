/**
 * The transaction timers of RFC 3261 §17 (Table 4 of Appendix A) and RFC 6026 §7, named as the
 * RFCs name them. All values are milliseconds. The machines never read a clock: they emit
 * `startTimer`/`cancelTimer` and receive `TIMER_X` events, so these numbers only travel inside
 * the emitted effects.
 */

/** RFC 3261 §17.1.1.1: "T1 is an estimate of the round-trip time (RTT), and it defaults to 500 ms." */
export const T1 = 500;

/**
 * RFC 3261 §17.1.2.2: "The default value of T2 is 4s, and it represents the amount of time a
 * non-INVITE server transaction will take to respond to a request".
 */
export const T2 = 4_000;

/**
 * RFC 3261 §17.1.2.2: "T4 represents the amount of time the network will take to clear messages
 * between client and server transactions. The default value of T4 is 5s."
 */
export const T4 = 5_000;

/**
 * RFC 3261 §17.1.1.2: Timer D has "a value of at least 32 seconds for unreliable transports";
 * "the client transaction does not know the value of T1 in use by the server transaction, so an
 * absolute minimum of 32s is used instead of basing Timer D on T1."
 */
export const TIMER_D_MINIMUM = 32_000;

export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M';

/** The three base values a transport may tune; the other timers derive from them. */
export interface BaseTimers {
  t1?: number;
  t2?: number;
  t4?: number;
}

/** Every timer's (first) duration, plus T2, which caps the backoff of Timers E and G. */
export type TimerDurations = Readonly<Record<TimerName, number> & { T2: number }>;

/**
 * The retransmission timers: RFC 3261 §17.1.1.2 "If a reliable transport is being used, the
 * client transaction SHOULD NOT start timer A"; §17.1.2.2 "If an unreliable transport is in use,
 * the client transaction MUST set timer E"; §17.2.1 "timer G is set to fire in T1 seconds, and is
 * not set to fire for reliable transports".
 */
const RETRANSMISSION_TIMERS: ReadonlySet<TimerName> = new Set(['A', 'E', 'G']);

/**
 * The timers that absorb retransmissions and are zero on reliable transports (§17.1.1.2 D,
 * §17.2.1 I, §17.2.2 J, §17.1.2.2 K). A zero timer is not started: the state that would wait
 * for it is left at once, which is what firing after zero seconds means.
 */
const ZERO_ON_RELIABLE_TRANSPORTS: ReadonlySet<TimerName> = new Set(['D', 'I', 'J', 'K']);

/** Whether `timer` is ever started over a transport of this reliability. */
export function runsOver(timer: TimerName, reliable: boolean): boolean {
  return !reliable || !(RETRANSMISSION_TIMERS.has(timer) || ZERO_ON_RELIABLE_TRANSPORTS.has(timer));
}

/** Whether `timer` is a retransmission timer, whose duration backs off (see `TransactionContext.interval`). */
export function isRetransmissionTimer(timer: TimerName): boolean {
  return RETRANSMISSION_TIMERS.has(timer);
}

function checkPositive(name: string, value: number, recommended: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${name} must be a positive number of milliseconds, got ${value}; RFC 3261 §17 defaults it to ${recommended}`,
    );
  }
  return value;
}

/**
 * The durations of RFC 3261 Table 4 and RFC 6026 §7 for the given base values.
 *
 * @example
 * ```ts
 * timerDurations().B; // 32_000, i.e. 64*T1
 * timerDurations({ t1: 1_000 }).F; // 64_000
 * ```
 */
export function timerDurations({ t1 = T1, t2 = T2, t4 = T4 }: BaseTimers = {}): TimerDurations {
  checkPositive('t1', t1, T1);
  checkPositive('t2', t2, T2);
  checkPositive('t4', t4, T4);
  if (t2 < t1) {
    throw new RangeError(`t2 (${t2} ms) must not be below t1 (${t1} ms): T2 caps a backoff that starts at T1`);
  }
  return Object.freeze({
    T2: t2,
    A: t1,
    B: 64 * t1,
    D: TIMER_D_MINIMUM,
    E: t1,
    F: 64 * t1,
    G: t1,
    H: 64 * t1,
    I: t4,
    J: 64 * t1,
    K: t4,
    L: 64 * t1,
    M: 64 * t1,
  });
}
