/**
 * Runs one transaction machine of `machines/transactions/` on the clock: it walks the machine's
 * shared step graph (`transaction-steps.ts`), arms and disarms the timers the machine asks for
 * (`startTimer`/`cancelTimer`), turns each expiry into the machine's `TIMER_X` event and each
 * failed transmission into its `TRANSPORT_ERROR`, and hands every other effect to the transaction
 * that owns it. This is the only place a transaction touches `setTimeout`.
 */
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import type { TransactionEvent } from '../../machines/transactions/events.ts';
import type { TimerName } from '../../machines/transactions/timers.ts';
import type { Configuration, Step, StepGraph } from './transaction-steps.ts';

/** The transaction that owns the driver: it performs every effect but the timers. */
export interface EffectPerformer {
  perform(effect: Exclude<TransactionEffect, { type: 'startTimer' | 'cancelTimer' }>): void;
}

export class TransactionDriver {
  private at: Configuration | undefined;
  /** Made on the first timer: thousands of transactions linger at once, most with one timer or none. */
  private timers: Map<TimerName, NodeJS.Timeout> | undefined;
  private stopped = false;
  /**
   * Events sent while a step's effects are being performed (a TU answering from `passToTU`) wait
   * until all of them are, as an actor's mailbox makes them wait.
   */
  private processing = false;
  private queue: TransactionEvent[] | undefined;

  constructor(
    private readonly graph: StepGraph,
    private readonly owner: EffectPerformer,
  ) {}

  /**
   * Enters the initial state, whose entry actions are the first transmission or the request passed
   * to the TU. A TU answering at once from `passToTU` (the 200 to a CANCEL) is taken at once, before
   * whatever the TU does next, as a started actor would take it.
   */
  start(): void {
    this.take(this.graph.initial);
  }

  /** Delivers `event` unless the transaction is over: late input for a destroyed transaction is dropped. */
  send(event: TransactionEvent): void {
    if (this.stopped) return;
    if (this.processing) (this.queue ??= []).push(event);
    else this.run(event);
  }

  /**
   * Hands a message to the transport: a failure, at once or when the send settles, is the
   * transaction's TRANSPORT_ERROR (RFC 3261 §17.1.4, §17.2.4), taken after the step under way;
   * `failed` is told first (to log it).
   */
  transmit(send: () => Promise<void>, failed: (error: unknown) => void): void {
    let sent: Promise<void>;
    try {
      sent = send();
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.catch((error: unknown) => {
      failed(error);
      this.send(TRANSPORT_ERROR);
    });
  }

  /** Destroys the transaction at once (the layer is closing): its timers are disarmed and nothing more is emitted. */
  stop(): void {
    this.stopped = true;
    this.disarmAll();
  }

  /** Takes `first`, then whatever was sent meanwhile, one step at a time. */
  private run(first: TransactionEvent): void {
    this.processing = true;
    try {
      this.take(this.stepFor(first));
      for (let next = this.queue?.shift(); next !== undefined && !this.stopped; next = this.queue?.shift()) this.take(this.stepFor(next));
    } finally {
      this.processing = false;
      this.queue = undefined;
    }
  }

  private stepFor(event: TransactionEvent): Step | undefined {
    const from = this.at;
    return from === undefined || from.final ? undefined : this.graph.next(from, event);
  }

  private take(step: Step | undefined): void {
    if (step === undefined) return;
    this.at = step.to;
    for (const effect of step.effects) this.handle(effect);
  }

  /** Arms and disarms timers here; hands every other effect to the owner. */
  private handle(effect: TransactionEffect): void {
    switch (effect.type) {
      case 'startTimer': {
        const timers = (this.timers ??= new Map());
        clearTimeout(timers.get(effect.timer));
        timers.set(effect.timer, setTimeout(expire, effect.ms, this, effect.timer));
        return;
      }
      case 'cancelTimer':
        clearTimeout(this.timers?.get(effect.timer));
        this.timers?.delete(effect.timer);
        return;
      case 'terminated':
        // RFC 3261 §17.1.1.2 and others: "MUST be destroyed the instant it enters the Terminated state".
        this.stopped = true;
        this.disarmAll();
        this.owner.perform(effect);
        return;
      default:
        this.owner.perform(effect);
    }
  }

  /** Timer `timer` fired: it is no longer armed, and the machine gets its `TIMER_X`. */
  expired(timer: TimerName): void {
    this.timers?.delete(timer);
    this.send(TIMER_EVENTS[timer]);
  }

  private disarmAll(): void {
    for (const timer of this.timers?.values() ?? []) clearTimeout(timer);
    this.timers = undefined;
  }
}

/** One event per timer, shared: a closure and an event per armed timer would linger with it. */
const TIMER_EVENTS = Object.fromEntries(
  (['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M'] as const).map((timer) => [timer, Object.freeze({ type: `TIMER_${timer}` })]),
) as Record<TimerName, TransactionEvent>;

const TRANSPORT_ERROR: TransactionEvent = Object.freeze({ type: 'TRANSPORT_ERROR' });

function expire(driver: TransactionDriver, timer: TimerName): void {
  driver.expired(timer);
}
