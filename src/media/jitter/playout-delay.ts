/**
 * How long a jitter buffer holds packets: the playout delay that follows the network.
 *
 * Each packet's transit (arrival ms minus its RTP time in ms) is compared with the floor, the
 * smallest transit of the last one or two windows of packets (so the floor follows a sender
 * clock slower than ours, or a new route, within a fraction of a second). The RFC 3550 A.8
 * estimate J += (|D| - J) / 16 over successive transits gives the steady target
 *   wanted = clamp(k * J + one frame, min, max).
 * The target grows at once: to wanted, and on a spike that made a packet miss its turn (the
 * buffer reports it late) to cover that packet. A single late timer tick of the sender only
 * nudges J, so a continuous stream (no talkspurts) does not ratchet up to the maximum. It
 * shrinks only when that cuts no speech: at a talkspurt start (a marker packet after silence)
 * or when the caller drops a silent frame, by at most one step each time.
 */

export interface PlayoutDelayOptions {
  /** Lowest target (default 20 ms). */
  minDelayMs?: number;
  /** Highest target (default 200 ms). */
  maxDelayMs?: number;
  /** k in k * jitter + one frame (default 4). */
  jitterFactor?: number;
  /** Packets per floor window (default 16: about 0.3 s of 20 ms packets). */
  floorWindow?: number;
}

/** Largest cut of the target at one talkspurt start (ms). */
const TALKSPURT_STEP_MS = 20;

export class PlayoutDelay {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  private readonly k: number;
  private readonly window: number;
  /** Duration of one packet (ms), kept up to date by the buffer. */
  frameMs = 20;
  /** Delay the playout schedule applies now (ms). */
  targetMs: number;
  /** RFC 3550 A.8 interarrival jitter (ms). */
  jitterMs = 0;
  private prevTransit = Number.NaN;
  private windowMin = Number.POSITIVE_INFINITY;
  private previousMin = Number.POSITIVE_INFINITY;
  private inWindow = 0;

  constructor(options: PlayoutDelayOptions = {}) {
    this.minDelayMs = options.minDelayMs ?? 20;
    this.maxDelayMs = Math.max(this.minDelayMs, options.maxDelayMs ?? 200);
    this.k = options.jitterFactor ?? 4;
    this.window = Math.max(2, options.floorWindow ?? 16);
    this.targetMs = this.minDelayMs;
  }

  /** Smallest recent transit (ms): a packet with this transit is not delayed at all. */
  get floorMs(): number {
    return Math.min(this.windowMin, this.previousMin);
  }

  /** The target the jitter estimate asks for now (ms). */
  get wantedMs(): number {
    return this.clamp(this.k * this.jitterMs + this.frameMs);
  }

  /** True when the target is at least a frame above what the jitter asks for. */
  get shrinkable(): boolean {
    return this.targetMs >= this.wantedMs + this.frameMs;
  }

  /** Forgets the stream (a new source or timeline); the target stays where it was. */
  reset(): void {
    this.prevTransit = Number.NaN;
    this.windowMin = this.previousMin = Number.POSITIVE_INFINITY;
    this.inWindow = 0;
  }

  /** One packet's transit (ms); the target grows at once if the jitter asks for more. */
  observe(transitMs: number): void {
    if (!Number.isNaN(this.prevTransit)) {
      this.jitterMs += (Math.abs(transitMs - this.prevTransit) - this.jitterMs) / 16;
    }
    this.prevTransit = transitMs;
    if (transitMs < this.windowMin) this.windowMin = transitMs;
    if (++this.inWindow >= this.window) {
      this.previousMin = this.windowMin;
      this.windowMin = Number.POSITIVE_INFINITY;
      this.inWindow = 0;
    }
    const wanted = this.wantedMs;
    if (wanted > this.targetMs) this.targetMs = wanted;
  }

  /** A packet came after its turn (a spike): from now on the target covers such a delay. */
  observeLate(transitMs: number): void {
    this.observe(transitMs);
    const need = this.clamp(transitMs - this.floorMs + this.frameMs / 4);
    if (need > this.targetMs) this.targetMs = need;
  }

  /** A talkspurt starts: the target moves down towards wanted by one step; true if it moved. */
  shrinkAtTalkspurt(): boolean {
    const wanted = this.wantedMs;
    if (this.targetMs <= wanted) return false;
    this.targetMs = Math.max(wanted, this.targetMs - Math.max(TALKSPURT_STEP_MS, this.frameMs));
    return true;
  }

  /** The caller drops a silent frame: the target shrinks by that frame; true if it did. */
  shrinkByFrame(): boolean {
    if (!this.shrinkable) return false;
    this.targetMs -= this.frameMs;
    return true;
  }

  private clamp(ms: number): number {
    return ms < this.minDelayMs ? this.minDelayMs : ms > this.maxDelayMs ? this.maxDelayMs : ms;
  }
}
