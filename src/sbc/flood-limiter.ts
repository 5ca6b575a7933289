/**
 * Per-source request limit like Kamailio's pike: at most `requests` per `windowSeconds`
 * window for each source address; the rest are dropped. A source over the limit in
 * `reportAfterWindows` consecutive windows is reported through `onFlood` (the edge policy
 * bans it). Trusted sources are exempt. Memory is bounded: entries are kept in order of
 * their window start, idle ones pruned from the front, and the oldest evicted past the cap.
 */
import type { Clock } from '../core/index.js';

export interface FloodLimits {
  /** Requests allowed per window; default 16. */
  requests: number;
  /** Window length; default 2. */
  windowSeconds: number;
  /** Consecutive over-limit windows before onFlood; 0 never reports. Default 5. */
  reportAfterWindows: number;
}

export const defaultFloodLimits: FloodLimits = { requests: 16, windowSeconds: 2, reportAfterWindows: 5 };

export interface FloodLimiterOptions extends Partial<FloodLimits> {
  clock: Clock;
  /** Cap on tracked sources; default 50,000. */
  maxTrackedSources?: number;
  /** A source kept flooding; called once per window from the threshold on. */
  onFlood?: (key: string, windows: number) => void;
}

interface Window {
  start: number;
  count: number;
  /** Consecutive windows over the limit, the current one included once it is over. */
  streak: number;
}

export class FloodLimiter {
  private limits: FloodLimits;
  private readonly clock: Clock;
  private readonly maxTrackedSources: number;
  private readonly onFlood: ((key: string, windows: number) => void) | undefined;
  private readonly windows = new Map<string, Window>();

  constructor(options: FloodLimiterOptions) {
    this.clock = options.clock;
    this.limits = { ...defaultFloodLimits, ...definedOnly(options) };
    this.maxTrackedSources = options.maxTrackedSources ?? 50_000;
    this.onFlood = options.onFlood;
  }

  configure(limits: Partial<FloodLimits>): void {
    this.limits = { ...this.limits, ...definedOnly(limits) };
  }

  /**
   * Counts one request from `key` (a canonical address; trusted sources should not be passed)
   * and tells whether it is within the limit.
   */
  hit(key: string): boolean {
    const now = this.clock.monotonic();
    const windowMs = this.limits.windowSeconds * 1000;
    let w = this.windows.get(key);
    if (w && now - w.start >= windowMs) {
      // A new window: the streak survives only if the window just ended was over and adjacent.
      const adjacent = now - w.start < 2 * windowMs;
      const streak = adjacent && w.count > this.limits.requests ? w.streak : 0;
      this.windows.delete(key);
      w = { start: now, count: 0, streak };
      this.windows.set(key, w);
    } else if (!w) {
      this.prune(now - 2 * windowMs);
      while (this.windows.size >= this.maxTrackedSources) {
        const first = this.windows.keys().next();
        if (first.done) break;
        this.windows.delete(first.value);
      }
      w = { start: now, count: 0, streak: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.limits.requests) return true;
    if (w.count === this.limits.requests + 1) {
      w.streak++;
      const after = this.limits.reportAfterWindows;
      if (after > 0 && w.streak >= after) this.onFlood?.(key, w.streak);
    }
    return false;
  }

  /** Forgets a source (e.g. once it is banned or trusted). */
  forget(key: string): void {
    this.windows.delete(key);
  }

  get trackedSources(): number {
    return this.windows.size;
  }

  /** Entries whose window started at or before `cutoff` are idle; they sit at the front. */
  private prune(cutoff: number): void {
    for (const [key, w] of this.windows) {
      if (w.start > cutoff) break;
      this.windows.delete(key);
    }
  }
}

function definedOnly(l: Partial<FloodLimits>): Partial<FloodLimits> {
  const out: Partial<FloodLimits> = {};
  if (l.requests !== undefined) out.requests = l.requests;
  if (l.windowSeconds !== undefined) out.windowSeconds = l.windowSeconds;
  if (l.reportAfterWindows !== undefined) out.reportAfterWindows = l.reportAfterWindows;
  return out;
}
