/**
 * Adaptive jitter buffer in RTP time for the paths that decode (recording, mixing,
 * transcoding, tone detection). Packets go in with their arrival time; the decoder asks for
 * the frame due at its playout time and gets frames in sequence order, or a gap to conceal.
 *
 * Playout schedule: a packet with (unwrapped) timestamp T plays at
 *   floorTransit + T / rate + playoutDelay
 * where floorTransit is the smallest transit seen (arrival - T / rate, drifting up slowly so a
 * sender clock running slow is followed) and playoutDelay follows the target: the recent peak
 * of (transit - floorTransit), clamped to [minDelayMs, maxDelayMs]. Increases apply at once;
 * decreases 1 ms per frame, or at once at a talkspurt start with nothing queued.
 */
import { sequenceDelta, timestampDelta } from './sequence-arithmetic.js';

export interface JitterBufferOptions {
  clockRate: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Packets held at most (default 64: 200 ms of 10 ms packets with room to spare). */
  capacity?: number;
  /** Transit change that means a new timeline rather than jitter (default 2000 ms). */
  resyncThresholdMs?: number;
}

export type JitterPushResult = 'queued' | 'late' | 'duplicate' | 'resync' | 'overflow';

/** One output step; the same object is reused by every pop (copy what must outlive it). */
export interface JitterBufferFrame {
  /** 'frame': a received packet; 'gap': a lost packet the decoder should conceal. */
  kind: 'frame' | 'gap';
  sequenceNumber: number;
  timestamp: number;
  /** Samples the frame covers: exact for gaps between known packets, else the stream's usual step. */
  samples: number;
  marker: boolean;
  /** Empty for a gap. */
  payload: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const PEAK_DECAY = 0.998; // per packet: a burst is remembered for several seconds
const FLOOR_RISE = 1 / 4096; // per packet: follows a slow sender clock, ignores jitter

export class JitterBuffer {
  private readonly clockRate: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly capacity: number;
  private readonly resyncThresholdMs: number;
  // Ring of slots indexed by extended sequence number.
  private readonly slotSeq: Float64Array;
  private readonly slotTs: Float64Array;
  private readonly slotMarker: Uint8Array;
  private readonly slotPayload: (Uint8Array | undefined)[];
  private count = 0;
  // Unwrapping: the newest packet's wire numbers and their extended values.
  private started = false;
  private ssrc = -1;
  private lastSeq = 0;
  private lastTs = 0;
  private lastExtTs = 0;
  private newestExtSeq = 0;
  // Playout cursor.
  private playing = false;
  private cursorSeq = 0;
  private cursorTs = 0;
  private frameSamples: number;
  // Delay estimation (ms).
  private floorTransit = 0;
  private peakSpread = 0;
  private jitter = 0;
  private prevTransit = Number.NaN;
  private target: number;
  private delay: number;
  private readonly frame: JitterBufferFrame = {
    kind: 'frame',
    sequenceNumber: 0,
    timestamp: 0,
    samples: 0,
    marker: false,
    payload: EMPTY,
  };
  /** Counters since creation. */
  readonly stats = { received: 0, late: 0, duplicates: 0, gaps: 0, resyncs: 0, overflows: 0 };

  constructor(options: JitterBufferOptions) {
    this.clockRate = options.clockRate;
    this.minDelayMs = options.minDelayMs ?? 20;
    this.maxDelayMs = options.maxDelayMs ?? 200;
    this.capacity = options.capacity ?? 64;
    this.resyncThresholdMs = options.resyncThresholdMs ?? 2000;
    this.slotSeq = new Float64Array(this.capacity).fill(-1);
    this.slotTs = new Float64Array(this.capacity);
    this.slotMarker = new Uint8Array(this.capacity);
    this.slotPayload = new Array<Uint8Array | undefined>(this.capacity).fill(undefined);
    this.frameSamples = Math.round(this.clockRate / 50);
    this.target = this.minDelayMs;
    this.delay = this.minDelayMs;
  }

  /** Packets waiting. */
  get size(): number {
    return this.count;
  }
  /** Delay the buffer aims for (ms). */
  get targetDelayMs(): number {
    return this.target;
  }
  /** Delay applied to the playout schedule now (ms). */
  get playoutDelayMs(): number {
    return this.delay;
  }
  /** RFC 3550 A.8 style interarrival jitter (ms). */
  get jitterMs(): number {
    return this.jitter;
  }

  /**
   * Queues a packet. The payload is kept by reference until popped (do not reuse its memory).
   * `ssrc` (when known) lets a source change resynchronise the buffer.
   */
  push(seq: number, ts: number, payload: Uint8Array, arrivalMs: number, marker = false, ssrc = -1): JitterPushResult {
    seq &= 0xffff;
    ts >>>= 0;
    let result: JitterPushResult = 'queued';
    if (!this.started) this.reset(seq, ts, ssrc);
    let extSeq = this.newestExtSeq + sequenceDelta(this.lastSeq, seq);
    let extTs = this.lastExtTs + timestampDelta(this.lastTs, ts);
    const otherSource = ssrc !== -1 && this.ssrc !== -1 && ssrc !== this.ssrc;
    const farSeq = Math.abs(extSeq - this.newestExtSeq) > this.capacity;
    const farTime =
      !Number.isNaN(this.prevTransit) &&
      Math.abs(arrivalMs - this.tsToMs(extTs) - this.floorTransit) > this.resyncThresholdMs;
    if (otherSource || farSeq || farTime) {
      // Frames still queued belong to the old timeline and are dropped.
      this.reset(seq, ts, ssrc);
      this.stats.resyncs++;
      extSeq = this.newestExtSeq;
      extTs = this.lastExtTs;
      result = 'resync';
    }
    if (this.ssrc === -1) this.ssrc = ssrc;

    if (extSeq > this.newestExtSeq) {
      // Learn the usual packet duration from consecutive packets (not across a talkspurt).
      const step = extTs - this.lastExtTs;
      if (extSeq === this.newestExtSeq + 1 && !marker && step > 0 && step <= this.clockRate * 0.12) {
        this.frameSamples = step;
      }
      this.newestExtSeq = extSeq;
      this.lastSeq = seq;
      this.lastTs = ts;
      this.lastExtTs = extTs;
    }

    if (extSeq < this.cursorSeq && (this.playing || this.newestExtSeq - extSeq >= this.capacity)) {
      // Too late to play, but the clearest sign the delay is too short.
      this.observeDelay(arrivalMs - this.tsToMs(extTs), false);
      this.stats.late++;
      return 'late';
    }
    const i = this.index(extSeq);
    if (this.slotSeq[i] === extSeq) {
      this.stats.duplicates++;
      return 'duplicate';
    }
    if (this.count === 0 && !this.playing) {
      this.cursorSeq = extSeq;
      this.cursorTs = extTs;
    } else if (extSeq < this.cursorSeq) {
      // Reordered before playout starts: begin at the lowest sequence number.
      this.cursorSeq = extSeq;
      this.cursorTs = extTs;
    } else if (extSeq - this.cursorSeq >= this.capacity) {
      // A packet too far ahead of the cursor: drop the oldest to make room.
      this.dropUntil(extSeq - this.capacity + 1);
      if (result === 'queued') result = 'overflow';
      this.stats.overflows++;
    }
    this.slotSeq[i] = extSeq;
    this.slotTs[i] = extTs;
    this.slotMarker[i] = marker ? 1 : 0;
    this.slotPayload[i] = payload;
    this.count++;
    this.stats.received++;
    this.observeDelay(arrivalMs - this.tsToMs(extTs), marker);
    return result;
  }

  /**
   * The next frame due at `nowMs` (a packet or a gap), or undefined when nothing is due yet.
   * Call again until undefined: after a stall several frames can be due at once.
   */
  pop(nowMs: number): JitterBufferFrame | undefined {
    if (this.count === 0) return undefined;
    const i = this.index(this.cursorSeq);
    const f = this.frame;
    if (this.slotSeq[i] === this.cursorSeq) {
      const ts = this.slotTs[i]!;
      if (this.playoutMs(ts) > nowMs) return undefined;
      f.kind = 'frame';
      f.sequenceNumber = this.cursorSeq & 0xffff;
      f.timestamp = this.wireTs(ts);
      f.samples = this.frameSamples;
      f.marker = this.slotMarker[i] === 1;
      f.payload = this.slotPayload[i]!;
      this.clearSlot(i);
      this.cursorTs = ts + this.frameSamples;
    } else {
      // Missing: size the gap from the next packet held, then wait until its slot is due.
      const next = this.nextHeld();
      const nextTs = this.slotTs[this.index(next)]!;
      const missing = next - this.cursorSeq;
      const span = nextTs - this.cursorTs;
      const samples = span > 0 ? Math.max(1, Math.round(span / missing)) : this.frameSamples;
      if (this.playoutMs(this.cursorTs) > nowMs) return undefined;
      f.kind = 'gap';
      f.sequenceNumber = this.cursorSeq & 0xffff;
      f.timestamp = this.wireTs(this.cursorTs);
      f.samples = samples;
      f.marker = false;
      f.payload = EMPTY;
      this.cursorTs += samples;
      this.stats.gaps++;
    }
    this.playing = true;
    this.cursorSeq++;
    // Shrink the delay gently: at most 1 ms per frame played.
    if (this.delay > this.target) this.delay = Math.max(this.target, this.delay - 1);
    return f;
  }

  private reset(seq: number, ts: number, ssrc: number): void {
    for (let i = 0; i < this.capacity; i++) this.clearSlot(i);
    this.count = 0;
    this.started = true;
    this.ssrc = ssrc;
    this.lastSeq = seq;
    this.lastTs = ts;
    // Extended numbers start high enough that reordering at the start stays positive.
    this.newestExtSeq = 0x10000 + seq;
    this.lastExtTs = 0;
    this.playing = false;
    this.cursorSeq = this.newestExtSeq;
    this.cursorTs = 0;
    this.prevTransit = Number.NaN;
    this.peakSpread = 0;
  }

  private observeDelay(transit: number, marker: boolean): void {
    if (Number.isNaN(this.prevTransit)) {
      this.floorTransit = transit;
    } else {
      this.jitter += (Math.abs(transit - this.prevTransit) - this.jitter) / 16;
      if (transit < this.floorTransit) this.floorTransit = transit;
      else this.floorTransit += (transit - this.floorTransit) * FLOOR_RISE;
    }
    this.prevTransit = transit;
    this.peakSpread = Math.max(transit - this.floorTransit, this.peakSpread * PEAK_DECAY);
    this.target = Math.min(this.maxDelayMs, Math.max(this.minDelayMs, this.peakSpread));
    if (this.target > this.delay) this.delay = this.target;
    // A talkspurt starting with nothing else queued: the schedule can jump without a glitch.
    else if (marker && this.count === 1) this.delay = this.target;
  }

  private nextHeld(): number {
    for (let s = this.cursorSeq + 1; s <= this.newestExtSeq; s++) {
      if (this.slotSeq[this.index(s)] === s) return s;
    }
    return this.newestExtSeq; // not reached while count > 0
  }

  private dropUntil(extSeq: number): void {
    for (let s = this.cursorSeq; s < extSeq; s++) {
      const i = this.index(s);
      if (this.slotSeq[i] === s) this.clearSlot(i);
    }
    this.cursorTs += (extSeq - this.cursorSeq) * this.frameSamples;
    this.cursorSeq = extSeq;
  }

  private clearSlot(i: number): void {
    if (this.slotSeq[i] !== -1) {
      this.slotSeq[i] = -1;
      this.slotPayload[i] = undefined;
      this.count--;
    }
  }

  private index(extSeq: number): number {
    return extSeq % this.capacity;
  }

  private tsToMs(extTs: number): number {
    return (extTs * 1000) / this.clockRate;
  }

  private playoutMs(extTs: number): number {
    return this.floorTransit + this.tsToMs(extTs) + this.delay;
  }

  /** Back to the 32-bit wire timestamp. */
  private wireTs(extTs: number): number {
    return (this.lastTs + (extTs - this.lastExtTs)) >>> 0;
  }
}
