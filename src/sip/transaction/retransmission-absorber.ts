/**
 * The Completed state of non-INVITE server transactions over UDP, reduced to what it does
 * (RFC 3261 17.2.2): for Timer J (64*T1) after the final response, a retransmitted request gets
 * that response again. A whole ServerTransaction kept for those 32 s (runner, timers, slim
 * request, ~2.6 KB) was most of the live heap at thousands of REGISTERs a second, and most of
 * what the young generation copied; here each is a map entry holding the bytes sent.
 * Every entry lives the same time, so they expire in the order they came: one timer, armed for
 * the oldest.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { PreparedResponse } from '../transport/types.js';

interface Absorbed {
  readonly response: PreparedResponse;
  readonly expiresAt: number;
}

export class RetransmissionAbsorber {
  private readonly entries = new Map<string, Absorbed>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    /** Timer J: how long a final response answers retransmissions. */
    private readonly lifetimeMs: number,
    /** Sends the response again (its failures are the absorber's to ignore: the peer retries). */
    private readonly resend: (response: PreparedResponse) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The transaction `key` sent its final response: retransmissions get it until Timer J. */
  add(key: string, response: PreparedResponse): void {
    this.entries.delete(key);
    this.entries.set(key, { response, expiresAt: this.clock.monotonic() + this.lifetimeMs });
    if (this.timer === undefined) this.arm();
  }

  /** True when `key` is a completed transaction: its response went out again. */
  absorb(key: string): boolean {
    const entry = this.entries.get(key);
    if (entry === undefined) return false;
    if (entry.expiresAt <= this.clock.monotonic()) {
      this.entries.delete(key);
      return false;
    }
    this.resend(entry.response);
    return true;
  }

  close(): void {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.entries.clear();
  }

  private arm(): void {
    const oldest = this.entries.values().next();
    if (oldest.done === true) return;
    const delay = Math.max(0, oldest.value.expiresAt - this.clock.monotonic());
    this.timer = this.clock.setTimer(delay, () => this.expire());
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.clock.monotonic();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
    this.arm();
  }
}
