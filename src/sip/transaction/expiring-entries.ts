/**
 * Keys that each live until a deadline: what is left of transactions whose only remaining work is
 * to absorb retransmissions. Tens of thousands live at once at hundreds of calls a second, so an
 * entry is one map slot, and one timer, armed for the oldest entry, serves them all.
 *
 * Entries expire in insertion order. When lifetimes are equal (Timer J, I or K started as the
 * entry goes in) that is deadline order. When they are not (Timer L or M started at the 2xx, the
 * entry added when the call ends), an entry whose deadline passed while an older one still runs
 * counts as gone on lookup and leaves the map when the walk reaches it, at most one lifetime late.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class ExpiringEntries<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private timer: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  /** Entries held (an expired one may count until the walk reaches it: see the class comment). */
  get size(): number {
    return this.entries.size;
  }

  /** Holds `value` under `key` for `forMs`, replacing (and moving to the end) any entry for it. */
  set(key: string, value: V, forMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock.monotonic() + forMs });
    if (this.timer === undefined) this.arm();
  }

  /** The value for `key` until its deadline. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.clock.monotonic()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
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
