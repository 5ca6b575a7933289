/**
 * A leg's end as the code waiting on it reads it: AbortSignal's shape, so a real AbortSignal
 * fits wherever an EndSignal is taken (a caller's own AbortController, a test's), while a leg's
 * own end is a LegEnd. A Node AbortController costs ~10 µs to create and its EventTarget
 * dispatch more to fire; with four per call they were ~5% of the main thread at 250 calls/s
 * (bench/RESULTS.md, SIP run 11).
 */
export interface EndSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class LegEnd implements EndSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  /** Called once, at the end; like an AbortSignal, nothing after the end (listeners run once anyway). */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
  }

  /** Ends it with `reason`; only the first call counts. */
  end(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) {
      try {
        listener();
      } catch (err) {
        // As an EventTarget does: the other listeners still run, and the error surfaces uncaught.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
