/**
 * Places a received stream's packets on the worker's media time (monotonic ms) from their RTP
 * timestamps, so a recorder lines up what a party said with what the other said, whatever the
 * network jitter. The mapping follows the fastest path seen (a packet that would land in the
 * future pulls the origin back), and starts over on a new SSRC, a new clock rate or a jump too
 * large to be jitter (a restarted sender, a long DTX gap whose timestamps did not follow).
 */

/** How far behind its arrival a packet's mapped time may fall before the mapping restarts. */
const MAX_LAG_MS = 300;

export class MediaTimeline {
  private ssrc = -1;
  private clockRate = 0;
  private baseTs = 0;
  private baseMs = 0;
  /** Times the mapping started over (the first packet included). */
  rebases = 0;

  /** Media time (ms) at which the packet's first sample was spoken. */
  timeOf(ssrc: number, timestamp: number, clockRate: number, arrivalMs: number): number {
    if (ssrc !== this.ssrc || clockRate !== this.clockRate) return this.rebase(ssrc, timestamp, clockRate, arrivalMs);
    // Signed 32-bit difference: wraps and slightly reordered packets come out right.
    const t = this.baseMs + (((timestamp - this.baseTs) | 0) * 1000) / clockRate;
    if (t > arrivalMs) {
      this.baseMs -= t - arrivalMs;
      return arrivalMs;
    }
    if (t < arrivalMs - MAX_LAG_MS) return this.rebase(ssrc, timestamp, clockRate, arrivalMs);
    return t;
  }

  private rebase(ssrc: number, timestamp: number, clockRate: number, arrivalMs: number): number {
    this.ssrc = ssrc;
    this.clockRate = clockRate;
    this.baseTs = timestamp >>> 0;
    this.baseMs = arrivalMs;
    this.rebases++;
    return arrivalMs;
  }
}
