/**
 * One full garbage collection of a thread once its traffic has gone quiet: the main thread
 * when SIP stops, a media worker when commands stop. Call setups (and the endpoints of calls
 * that ended) leave their garbage in the old generation, and V8 collects it only when allocation
 * pushes the heap to its next limit: a server that set up 700 calls and then just relayed their
 * media kept ~100 MB of it for as long as the calls lasted (bench/RESULTS.md, media run 4).
 * Making V8 collect sooner everywhere (--heap-growing-percent) cost INVITE->200 latency under
 * load, so the collection runs only after a quiet spell, and only once nothing live is left to
 * disturb (`busy`): a full collection stops its thread for tens of ms at 700 calls (100 ms on the
 * main thread), and its parallel helpers take both cores from the media workers. Measured on the
 * wire, that one pause per quiet spell was most of the jitter the relay added at 700 calls
 * (bench/RESULTS.md, media run 7). While calls are up, V8's own incremental collections do.
 */
import { ActivityTicker } from './activity-ticker.js';
import type { Clock } from './clock.js';
import { exposedGc } from './exposed-gc.js';

export interface IdleCollectorOptions {
  clock: Clock;
  /** A count that moves with the thread's traffic (SIP messages received, media commands). */
  activity: () => number;
  /** A full collection of this thread's heap. */
  collect: () => void;
  /**
   * How long the traffic stays quiet before the collection, ms (default 1000: with nothing live
   * left to disturb, the sooner the better, before the next burst of calls piles on).
   */
  quietMs?: number;
  /** True while the thread serves something a pause would hurt (calls, media): the collection waits. */
  busy?: () => boolean;
}

export class IdleCollector extends ActivityTicker {
  /** Traffic since the last collection. */
  private dirty = false;

  constructor(private readonly opts: IdleCollectorOptions) {
    super(opts.clock, opts.activity, opts.quietMs ?? 1000);
  }

  protected onTick(moved: boolean): void {
    if (moved) {
      this.dirty = true;
    } else if (this.dirty && this.opts.busy?.() !== true) {
      this.dirty = false;
      this.opts.collect();
    }
  }
}

/** V8's full collection. */
export function fullCollection(): () => void {
  const gc = exposedGc();
  return () => gc();
}
