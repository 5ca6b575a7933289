/** Time source for every layer: real time in production, a manual clock in tests. */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds, for durations. */
  monotonic(): number;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
}

/** The real clock, backed by Date.now and setTimeout. */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  now(): number {
    return Date.now();
  }

  monotonic(): number {
    return performance.now();
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fire();
    }, Math.max(0, delayMs));
    // Timers never keep the process alive on their own: sockets do.
    t.unref();
    this.timers.set(id, t);
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t) {
      clearTimeout(t);
      this.timers.delete(handle.id);
    }
  }

  /** Number of pending timers (scenario tests assert it returns to zero). */
  get pending(): number {
    return this.timers.size;
  }
}

interface ManualTimer {
  id: number;
  at: number;
  fire: () => void;
}

/** A clock moved by hand: RFC timers are tested without sleeping. */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Map<number, ManualTimer>();
  private nextId = 1;

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + Math.max(0, delayMs), fire });
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (handle) this.timers.delete(handle.id);
  }

  /** Moves time forward, firing due timers in order (timers set while firing are honoured). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.timers.values()) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      }
      if (!next) break;
      this.timers.delete(next.id);
      this.current = next.at;
      next.fire();
    }
    this.current = target;
  }

  get pending(): number {
    return this.timers.size;
  }
}

export const systemClock: Clock = new SystemClock();
