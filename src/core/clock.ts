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

/** A SystemClock timer: the handle carries its Timeout, so clearing it needs no lookup. */
class SystemTimer implements TimerHandle {
  timeout: NodeJS.Timeout | undefined;
  constructor(readonly id: number) {}
}

/**
 * The real clock, backed by Date.now and setTimeout. It keeps no table of its timers: every
 * transaction arms some, and a Map of tens of thousands of them, rehashed as they came and
 * went, was a steady source of large young-generation survivors.
 */
export class SystemClock implements Clock {
  private live = 0;
  private nextId = 1;

  now(): number {
    return Date.now();
  }

  monotonic(): number {
    return performance.now();
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const timer = new SystemTimer(this.nextId++);
    const t = setTimeout(() => {
      timer.timeout = undefined;
      this.live--;
      fire();
    }, Math.max(0, delayMs));
    // Timers never keep the process alive on their own: sockets do.
    t.unref();
    timer.timeout = t;
    this.live++;
    return timer;
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!(handle instanceof SystemTimer) || handle.timeout === undefined) return;
    clearTimeout(handle.timeout);
    handle.timeout = undefined;
    this.live--;
  }

  /** Number of pending timers (scenario tests assert it returns to zero). */
  get pending(): number {
    return this.live;
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
