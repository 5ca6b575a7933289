/**
 * A mixer input: decoded audio written as packets arrive, read one frame per media tick. The
 * two run on different clocks (the far end's and ours), so the FIFO starts reading only once
 * `primeFrames` are queued, goes back to priming after running dry, and drops the oldest audio
 * when more than `maxFrames` pile up (a burst, or a sender clock running fast). Fixed ring,
 * no allocation after construction.
 */
export class PcmFifo {
  readonly frameSamples: number;
  private readonly ring: Int16Array;
  private readonly mask: number;
  private readonly prime: number;
  private readonly max: number;
  private readIndex = 0;
  private writeIndex = 0;
  private primed = false;
  private readonly frame: Int16Array;
  /** Samples dropped because the FIFO overflowed. */
  dropped = 0;
  /** Reads that found less than a frame (after priming). */
  underruns = 0;

  constructor(frameSamples: number, primeFrames = 2, maxFrames = 8) {
    this.frameSamples = frameSamples;
    this.prime = frameSamples * primeFrames;
    this.max = frameSamples * maxFrames;
    let size = 1;
    while (size < this.max + frameSamples * 8) size <<= 1;
    this.ring = new Int16Array(size);
    this.mask = size - 1;
    this.frame = new Int16Array(frameSamples);
  }

  get queued(): number {
    return this.writeIndex - this.readIndex;
  }

  write(samples: Int16Array): void {
    const n = Math.min(samples.length, this.ring.length);
    const ring = this.ring;
    const mask = this.mask;
    let w = this.writeIndex;
    for (let i = 0; i < n; i++) ring[w++ & mask] = samples[i] as number;
    this.writeIndex = w;
    if (this.queued > this.max) {
      // Keep the newest audio, back down to the priming depth.
      const drop = this.queued - this.prime;
      this.readIndex += drop;
      this.dropped += drop;
    }
  }

  /** The next frame (reused by the next call), or undefined while priming or dry. */
  read(): Int16Array | undefined {
    const queued = this.queued;
    if (!this.primed) {
      if (queued < this.prime) return undefined;
      this.primed = true;
    }
    const n = this.frameSamples;
    if (queued < n) {
      this.primed = false;
      this.underruns++;
      if (queued === 0) return undefined;
    }
    const k = Math.min(n, queued);
    const ring = this.ring;
    const mask = this.mask;
    const out = this.frame;
    let r = this.readIndex;
    for (let i = 0; i < k; i++) out[i] = ring[r++ & mask] as number;
    if (k < n) out.fill(0, k);
    this.readIndex = r;
    return out;
  }

  clear(): void {
    this.readIndex = this.writeIndex = 0;
    this.primed = false;
  }
}
