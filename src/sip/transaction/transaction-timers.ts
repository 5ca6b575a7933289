/** The named timers of one transaction, run on the injected Clock. */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { TimerName } from './types.js';

export class TransactionTimers {
  private readonly handles = new Map<TimerName, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly fire: (timer: TimerName, delayMs: number) => void,
  ) {}

  /** (Re)starts a timer; a running one of the same name is replaced. */
  start(timer: TimerName, delayMs: number): void {
    this.stop(timer);
    const handle = this.clock.setTimer(delayMs, () => {
      this.handles.delete(timer);
      this.fire(timer, delayMs);
    });
    this.handles.set(timer, handle);
  }

  stop(timer: TimerName): void {
    const handle = this.handles.get(timer);
    if (handle === undefined) return;
    this.clock.clearTimer(handle);
    this.handles.delete(timer);
  }

  clear(): void {
    for (const handle of this.handles.values()) this.clock.clearTimer(handle);
    this.handles.clear();
  }

  get size(): number {
    return this.handles.size;
  }
}
