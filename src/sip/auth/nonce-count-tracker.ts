/**
 * Highest nonce-count seen per nonce (RFC 7616 section 3.4: "the server ... MUST reject a
 * request whose nc is not greater than the last one"), in a bounded LRU map so a flood of
 * fresh nonces cannot grow memory. A nonce pushed out while still valid cannot be checked
 * any more, so every nonce issued up to the newest evicted one is answered stale instead:
 * the client re-authenticates with a fresh nonce, and a replay never slips through.
 */
export type NonceCountVerdict = 'ok' | 'replay' | 'evicted';

interface Entry {
  issuedAt: number;
  highest: number;
}

export class NonceCountTracker {
  private readonly entries = new Map<string, Entry>();
  private evictedUpTo = -Infinity;
  private lastSweep = -Infinity;

  constructor(
    private readonly maxEntries: number,
    private readonly lifetimeMs: number,
  ) {}

  /** Records `nc` for `nonce` if it is higher than any seen; `now` is epoch ms, for pruning. */
  accept(nonce: string, issuedAt: number, nc: number, now: number): NonceCountVerdict {
    this.sweep(now);
    const entry = this.entries.get(nonce);
    if (!entry) {
      if (issuedAt <= this.evictedUpTo) return 'evicted';
      while (this.entries.size >= this.maxEntries) this.evictOldest();
      this.entries.set(nonce, { issuedAt, highest: nc });
      return 'ok';
    }
    if (nc <= entry.highest) return 'replay';
    entry.highest = nc;
    // Re-insert: Map order is the LRU order.
    this.entries.delete(nonce);
    this.entries.set(nonce, entry);
    return 'ok';
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    const first = this.entries.entries().next();
    if (first.done) return;
    const [nonce, entry] = first.value;
    this.entries.delete(nonce);
    this.evictedUpTo = Math.max(this.evictedUpTo, entry.issuedAt);
  }

  /** Drops expired nonces (they are answered stale anyway); a full pass at most once per quarter lifetime. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.lifetimeMs / 4) return;
    this.lastSweep = now;
    for (const [nonce, entry] of this.entries) {
      if (now - entry.issuedAt > this.lifetimeMs) this.entries.delete(nonce);
    }
  }
}
