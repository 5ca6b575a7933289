/**
 * The Completed state of non-INVITE server transactions over UDP, reduced to what it does
 * (RFC 3261 17.2.2): for Timer J (64*T1) after the final response, a retransmitted request gets
 * that response again. A whole ServerTransaction kept for those 32 s (runner, timers, slim
 * request, ~2.6 KB) was most of the live heap at thousands of REGISTERs a second, and most of
 * what the young generation copied; here each is a map entry holding the bytes sent.
 */
import type { Clock } from '../../core/clock.js';
import type { PreparedResponse } from '../transport/types.js';
import { ExpiringEntries } from './expiring-entries.js';
import { ownedResponse } from './owned-response.js';

export class RetransmissionAbsorber {
  private readonly entries: ExpiringEntries<PreparedResponse>;

  constructor(
    clock: Clock,
    /** Timer J: how long a final response answers retransmissions. */
    private readonly lifetimeMs: number,
    /** Sends the response again (its failures are the absorber's to ignore: the peer retries). */
    private readonly resend: (response: PreparedResponse) => void,
  ) {
    this.entries = new ExpiringEntries(clock);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The transaction `key` sent its final response: retransmissions get it (a copy: ownedResponse) until Timer J. */
  add(key: string, response: PreparedResponse): void {
    this.entries.set(key, ownedResponse(response), this.lifetimeMs);
  }

  /** True when `key` is a completed transaction: its response went out again. */
  absorb(key: string): boolean {
    const response = this.entries.get(key);
    if (response === undefined) return false;
    this.resend(response);
    return true;
  }

  close(): void {
    this.entries.close();
  }
}
