/** The named timers of one transaction, run on the injected Clock. */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { TimerName } from './types.js';

interface RunningTimer {
  readonly timer: TimerName;
  readonly handle: TimerHandle;
  /** Clock.monotonic() when it fires. */
  readonly dueAt: number;
}

export class TransactionTimers {
  // At most three run at once (e.g. E, F and Trying): a short list is smaller than a Map, and
  // tens of thousands of transactions linger with theirs.
  private readonly running: RunningTimer[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly fire: (timer: TimerName, delayMs: number) => void,
  ) {}

  /** (Re)starts a timer; a running one of the same name is replaced. */
  start(timer: TimerName, delayMs: number): void {
    this.stop(timer);
    const handle = this.clock.setTimer(delayMs, () => {
      this.stop(timer); // clearing a timer that already fired is a no-op
      this.fire(timer, delayMs);
    });
    this.running.push({ timer, handle, dueAt: this.clock.monotonic() + delayMs });
  }

  /** Milliseconds until `timer` fires, or undefined when it is not running. */
  remaining(timer: TimerName): number | undefined {
    const running = this.running.find((r) => r.timer === timer);
    return running === undefined ? undefined : running.dueAt - this.clock.monotonic();
  }

  stop(timer: TimerName): void {
    const i = this.running.findIndex((r) => r.timer === timer);
    if (i < 0) return;
    this.clock.clearTimer(this.running[i]!.handle);
    this.running.splice(i, 1);
  }

  clear(): void {
    for (const r of this.running) this.clock.clearTimer(r.handle);
    this.running.length = 0;
  }

  get size(): number {
    return this.running.length;
  }
}
