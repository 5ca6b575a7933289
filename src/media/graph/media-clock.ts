/**
 * The worker's one 20 ms media clock. Tick n is due at origin + n * frameMs on the monotonic
 * clock, and each wake-up schedules the next tick from that grid (not from "now + 20"), so timer
 * lateness never accumulates into drift. A late wake-up runs the ticks it missed, at most
 * `maxCatchUp` of them; beyond that the missed ones are skipped (counted) rather than bursting
 * seconds of audio at once. Each tick gets its nominal time on the grid.
 */
import type { Clock, TimerHandle } from '../../core/index.js';

export interface MediaClockOptions {
  clock: Clock;
  onTick: (tickMs: number) => void;
  /** Tick period (default 20 ms). */
  frameMs?: number;
  /** Ticks run back to back after a late wake-up, at most (default 3). */
  maxCatchUp?: number;
}

export class MediaClock {
  private readonly clock: Clock;
  private readonly onTick: (tickMs: number) => void;
  readonly frameMs: number;
  private readonly maxCatchUp: number;
  private timer: TimerHandle | undefined;
  private origin = 0;
  private done = 0;
  /** Ticks run since creation. */
  ticks = 0;
  /** Ticks skipped because the worker woke up too late to catch up. */
  skipped = 0;
  /** Ticks whose handler threw (contained). */
  errors = 0;

  constructor(options: MediaClockOptions) {
    this.clock = options.clock;
    this.onTick = options.onTick;
    this.frameMs = options.frameMs ?? 20;
    this.maxCatchUp = Math.max(1, options.maxCatchUp ?? 3);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Starts ticking (first tick one period from now); no-op when running. */
  start(): void {
    if (this.timer) return;
    this.origin = this.clock.monotonic();
    this.done = 0;
    this.schedule();
  }

  /** Stops ticking; safe to call twice. */
  stop(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const next = this.origin + (this.done + 1) * this.frameMs;
    this.timer = this.clock.setTimer(next - this.clock.monotonic(), this.fire);
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.clock.monotonic();
    let due = Math.floor((now - this.origin) / this.frameMs) - this.done;
    if (due > this.maxCatchUp) {
      this.skipped += due - this.maxCatchUp;
      this.done += due - this.maxCatchUp;
      due = this.maxCatchUp;
    }
    // Mark as running while ticking so a handler calling start() does not arm a second timer.
    this.timer = RUNNING;
    for (let i = 0; i < due && this.timer === RUNNING; i++) {
      this.done++;
      this.ticks++;
      try {
        this.onTick(this.origin + this.done * this.frameMs);
      } catch {
        this.errors++;
      }
    }
    if (this.timer === RUNNING) this.schedule();
  };
}

// A placeholder handle: clearTimer ignores unknown ids, and stop() replaces it with undefined.
const RUNNING: TimerHandle = { id: -1 };
