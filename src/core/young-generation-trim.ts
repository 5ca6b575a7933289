/**
 * Gives a thread's young generation back once its traffic has gone quiet. V8 grows the young
 * generation (two semi-spaces of up to 16 MB) during a burst of call setups and keeps it resident
 * afterwards, mostly empty: at 700 held calls the main thread's held 29-31 MB, ~42 KB per call
 * (bench/RESULTS.md, media run 12). V8 shrinks it at a young-generation collection (a scavenge)
 * once its own estimate of the allocation rate is low, which takes ~5 s of quiet, and a quiet
 * thread makes no scavenge of its own. So while the traffic stays quiet: one scavenge a second
 * until the young generation is small. A scavenge of a nearly empty young generation takes a
 * millisecond or two and leaves the old generation alone (with the optimized code that depends on
 * its objects, unlike the full collection of IdleCollector), so it runs while calls are up too.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { ActivityTicker } from './activity-ticker.js';
import type { Clock } from './clock.js';
import { exposedGc } from './exposed-gc.js';

export interface YoungGenerationTrimOptions {
  clock: Clock;
  /** A count that moves with the thread's traffic (SIP messages received). */
  activity: () => number;
  /** A young-generation collection of this thread's heap. */
  scavenge: () => void;
  /** Bytes the young generation holds now. */
  size: () => number;
  /** Small enough: no more scavenges until the traffic comes back (default 4 MiB). */
  floorBytes?: number;
  /** Quiet before the first scavenge, and between the next ones, ms (default 1000). */
  everyMs?: number;
  /** Scavenges per quiet spell at most (default 30): V8 may keep judging the rate too high to shrink. */
  maxAttempts?: number;
}

export class YoungGenerationTrim extends ActivityTicker {
  private readonly floorBytes: number;
  private readonly maxAttempts: number;
  private attempts = 0;
  /** Traffic since the young generation was last found small. */
  private grown = false;

  constructor(private readonly opts: YoungGenerationTrimOptions) {
    super(opts.clock, opts.activity, opts.everyMs ?? 1000);
    this.floorBytes = opts.floorBytes ?? 4 * 1024 * 1024;
    this.maxAttempts = opts.maxAttempts ?? 30;
  }

  protected onTick(moved: boolean): void {
    if (moved) {
      this.grown = true;
      this.attempts = 0;
      return;
    }
    if (!this.grown) return;
    if (this.opts.size() <= this.floorBytes || this.attempts >= this.maxAttempts) {
      this.grown = false;
      return;
    }
    this.attempts++;
    this.opts.scavenge();
  }
}

/** V8's young-generation collection (a scavenge). */
export function youngCollection(): () => void {
  const gc = exposedGc();
  return () => gc({ type: 'minor' });
}

/** Bytes of memory the young generation (new space) holds. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0;
}
