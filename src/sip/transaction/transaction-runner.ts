/**
 * Executes a pure transaction machine: feeds it events one at a time (events raised while
 * effects run, e.g. by a TU callback, are queued so every transition's effects finish
 * first), runs timer effects on the Clock and hands every other effect to its owner.
 */
import type { Clock } from '../../core/clock.js';
import { TransactionTimers } from './transaction-timers.js';
import type { TimerEvent, TimerName, TransactionContext, TransactionEffect, TransactionMachine } from './types.js';

export class TransactionRunner<S extends string, E extends { type: string }> {
  private current: S;
  private readonly timers: TransactionTimers;
  private readonly queue: (E | TimerEvent)[] = [];
  private running = false;
  private terminated = false;

  constructor(
    private readonly machine: TransactionMachine<S, E | TimerEvent>,
    private readonly ctx: TransactionContext,
    clock: Clock,
    /** Runs every effect except timers; `terminate` arrives after the timers are cleared. */
    private readonly execute: (effect: TransactionEffect) => void,
  ) {
    this.current = machine.initial;
    this.timers = new TransactionTimers(clock, (timer, delayMs) => this.dispatch({ type: 'timer', timer, delayMs }));
  }

  get state(): S {
    return this.current;
  }

  get isTerminated(): boolean {
    return this.terminated;
  }

  /** Pending timers, for tests and leak checks. */
  get timerCount(): number {
    return this.timers.size;
  }

  dispatch(event: E | TimerEvent): void {
    if (this.terminated) return;
    this.queue.push(event);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined && !this.terminated; next = this.queue.shift()) {
        const { state, effects } = this.machine.transition(this.current, next, this.ctx);
        this.current = state;
        for (const effect of effects) this.apply(effect);
      }
    } finally {
      this.running = false;
      this.queue.length = 0;
    }
  }

  /** Milliseconds until `timer` fires, or undefined when it is not running. */
  timerRemaining(timer: TimerName): number | undefined {
    return this.timers.remaining(timer);
  }

  /** Stops every timer without running effects (the layer is closing). */
  close(): void {
    this.terminated = true;
    this.timers.clear();
  }

  private apply(effect: TransactionEffect): void {
    switch (effect.type) {
      case 'startTimer':
        this.timers.start(effect.timer, effect.delayMs);
        return;
      case 'stopTimer':
        this.timers.stop(effect.timer);
        return;
      case 'terminate':
        this.terminated = true;
        this.timers.clear();
        this.execute(effect);
        return;
      default:
        this.execute(effect);
    }
  }
}
