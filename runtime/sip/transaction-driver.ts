/**
 * Runs one transaction machine of `machines/transactions/` on the clock: it arms and disarms the
 * timers the machine asks for (`startTimer`/`cancelTimer`), turns each expiry into the machine's
 * `TIMER_X` event, and hands every other effect to the transaction that owns it. This is the only
 * place a transaction touches `setTimeout`, so a cheaper engine can replace the actor behind the
 * same two calls (`send`, `stop`) if a benchmark points here.
 */
import { createActor, type Actor, type AnyStateMachine } from 'xstate';
import type { TransactionEffect } from '../../machines/transactions/effects.ts';
import type { TransactionEvent } from '../../machines/transactions/events.ts';
import type { TransactionInput } from '../../machines/transactions/transaction-setup.ts';
import type { TimerName } from '../../machines/transactions/timers.ts';

export type EffectHandler = (effect: Exclude<TransactionEffect, { type: 'startTimer' | 'cancelTimer' }>) => void;

export class TransactionDriver {
  private readonly actor: Actor<AnyStateMachine>;
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();
  private stopped = false;
  private starting: TransactionEffect[] | undefined;

  constructor(machine: AnyStateMachine, input: TransactionInput, private readonly onEffect: EffectHandler) {
    this.actor = createActor(machine, { input });
    this.actor.on('*', (effect: TransactionEffect) => {
      if (this.starting === undefined) this.perform(effect);
      else this.starting.push(effect);
    });
  }

  /**
   * Starts the machine, which runs the entry actions of its initial state (RFC 3261 §17: the first
   * transmission, or the request passed to the TU). Their effects are performed once the actor
   * runs: an actor queues what it is sent while it starts, so a TU answering at once from
   * `passToTU` would otherwise have its response overtaken by whatever it did next.
   */
  start(): void {
    const effects: TransactionEffect[] = [];
    this.starting = effects;
    this.actor.start();
    this.starting = undefined;
    for (const effect of effects) this.perform(effect);
  }

  /** Delivers `event` unless the transaction is over: late input for a destroyed transaction is dropped. */
  send(event: TransactionEvent): void {
    if (!this.stopped) this.actor.send(event);
  }

  /** Destroys the transaction at once (the layer is closing): its timers are disarmed and nothing more is emitted. */
  stop(): void {
    this.stopped = true;
    this.disarmAll();
    this.actor.stop();
  }

  private perform(effect: TransactionEffect): void {
    switch (effect.type) {
      case 'startTimer': {
        clearTimeout(this.timers.get(effect.timer));
        const event = { type: `TIMER_${effect.timer}` } as TransactionEvent;
        this.timers.set(effect.timer, setTimeout(() => {
          this.timers.delete(effect.timer);
          this.send(event);
        }, effect.ms));
        return;
      }
      case 'cancelTimer':
        clearTimeout(this.timers.get(effect.timer));
        this.timers.delete(effect.timer);
        return;
      case 'terminated':
        // RFC 3261 §17.1.1.2 and others: "MUST be destroyed the instant it enters the Terminated state".
        this.stopped = true;
        this.disarmAll();
        this.onEffect(effect);
        return;
      default:
        this.onEffect(effect);
    }
  }

  private disarmAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
