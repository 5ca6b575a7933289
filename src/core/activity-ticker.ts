/**
 * A timer that looks at a thread's traffic every `periodMs` and says whether it moved since the
 * last look: the shared base of what runs only while the traffic is quiet (IdleCollector,
 * YoungGenerationTrim).
 */
import type { Clock, TimerHandle } from './clock.js';

export abstract class ActivityTicker {
  private timer: TimerHandle | undefined;
  private lastSeen: number;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    /** A count that moves with the thread's traffic (SIP messages received, media commands). */
    private readonly activity: () => number,
    private readonly periodMs: number,
  ) {
    this.lastSeen = activity();
  }

  start(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.clock.setTimer(this.periodMs, () => this.tick());
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** Called every period: `moved` when there was traffic since the previous call. */
  protected abstract onTick(moved: boolean): void;

  private tick(): void {
    this.timer = undefined;
    if (this.closed) return;
    const seen = this.activity();
    const moved = seen !== this.lastSeen;
    this.lastSeen = seen;
    this.onTick(moved);
    this.start();
  }
}
