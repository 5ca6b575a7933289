/**
 * Adaptive jitter buffer in RTP time, for the paths that decode (recording, mixing, in-band
 * detection). Pure: arrival times and "now" are passed in (ms on the worker's monotonic clock).
 *
 * put() copies a packet's payload into a slot of a fixed ring indexed by the extended sequence
 * number; pop(now) hands back, in order, each frame whose playout time has come:
 *   playout(T) = floor transit + T in ms + target delay      (PlayoutDelay)
 * A packet missing at the cursor while a later one is held is a lost frame (kind 'lost', for
 * the caller to conceal) once that later packet's playout time has come (so a packet reordered
 * by up to a frame beyond the delay still plays); an empty buffer is a pause (DTX, or a late
 * packet) and produces nothing. Duplicates and packets behind the cursor are dropped
 * and counted; a burst beyond the ring drops the oldest. A new SSRC, a sequence jump (RFC 3550
 * A.1 limits) or a timestamp jump that real time did not follow starts over.
 *
 * Memory: the slot ring and the output frame are allocated once; a payload larger than a slot
 * grows the ring (warm-up), and a slot's payload view is rebuilt only when its length changes.
 */
import { transition, type JitterBufferEvent, type JitterBufferState } from './jitter-buffer-state.js';
import type { AdaptiveJitterBufferOptions, JitterBufferCounters, JitterBufferStats, JitterFrame, JitterPutResult } from './jitter-buffer-types.js';
import { PlayoutDelay } from './playout-delay.js';

const EMPTY = new Uint8Array(0);
// RFC 3550 A.1: farther than this (in sequence numbers) is a restarted sender, not loss.
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;
// Extended numbers start here so packets reordered before the first stay positive.
const EXT_ORIGIN = 1 << 20;

export class AdaptiveJitterBuffer {
  readonly counters: JitterBufferCounters = { received: 0, late: 0, duplicate: 0, lost: 0, concealed: 0, overflow: 0, resets: 0 };
  private readonly delay: PlayoutDelay;
  private clockRate: number;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly maxConceal: number;
  private readonly resyncMs: number;
  private readonly defaultFrameTs: number;
  private stateValue: JitterBufferState = 'empty';
  // The ring: per slot the extended sequence number, whether it is held (else played), etc.
  private slotBytes: number;
  private storage: Uint8Array;
  private readonly slotSeq: Float64Array;
  private readonly slotTs: Float64Array;
  private readonly slotArrival: Float64Array;
  private readonly slotLength: Uint32Array;
  private readonly slotMarker: Uint8Array;
  private readonly slotHeld: Uint8Array;
  private readonly slotView: Uint8Array[];
  private held = 0;
  // Unwrapping: the newest packet's wire numbers and extended values.
  private ssrc = -1;
  private newestSeq = 0;
  private newestTs = 0;
  private newestExtSeq = 0;
  private newestExtTs = 0;
  private frameTs: number;
  // Playout cursor: the next frame to hand out.
  private cursorSeq = 0;
  private cursorTs = 0;
  private readonly frame: JitterFrame = {
    kind: 'packet', sequenceNumber: 0, timestamp: 0, samples: 0, marker: false, ssrc: 0, arrivalMs: 0, nominalMs: 0,
    payload: EMPTY,
  };

  constructor(options: AdaptiveJitterBufferOptions) {
    this.clockRate = options.clockRate;
    this.delay = new PlayoutDelay(options);
    let capacity = 2;
    while (capacity < (options.capacity ?? 32)) capacity <<= 1;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxConceal = options.maxConcealFrames ?? 5;
    this.resyncMs = options.resyncMs ?? 1000;
    this.delay.frameMs = options.frameMs ?? 20;
    this.defaultFrameTs = Math.round((this.delay.frameMs * this.clockRate) / 1000);
    this.frameTs = this.defaultFrameTs;
    this.slotBytes = options.slotBytes ?? 256;
    this.storage = new Uint8Array(capacity * this.slotBytes);
    this.slotSeq = new Float64Array(capacity).fill(-1);
    this.slotTs = new Float64Array(capacity);
    this.slotArrival = new Float64Array(capacity);
    this.slotLength = new Uint32Array(capacity);
    this.slotMarker = new Uint8Array(capacity);
    this.slotHeld = new Uint8Array(capacity);
    this.slotView = Array.from({ length: capacity }, () => EMPTY);
  }

  get state(): JitterBufferState {
    return this.stateValue;
  }

  /** Packets held. */
  get size(): number {
    return this.held;
  }

  /** Slots in the ring (fixed). */
  get slots(): number {
    return this.capacity;
  }

  /** Bytes of payload storage (grows only for a payload larger than any before). */
  get storageBytes(): number {
    return this.storage.length;
  }

  /** The playout delay applied now (ms). */
  get targetDelayMs(): number {
    return this.delay.targetMs;
  }

  get jitterMs(): number {
    return this.delay.jitterMs;
  }

  /** Counters and the current delay, for stats. */
  stats(): JitterBufferStats {
    return { ...this.counters, targetDelayMs: Math.round(this.delay.targetMs * 10) / 10, jitterMs: Math.round(this.delay.jitterMs * 100) / 100 };
  }

  /** Drops everything held and starts over on the next packet; a new clock rate if given. */
  reset(clockRate?: number): void {
    if (clockRate !== undefined && clockRate !== this.clockRate) {
      this.clockRate = clockRate;
      this.frameTs = Math.round((this.delay.frameMs * clockRate) / 1000);
    }
    this.apply('reset');
  }

  /**
   * Queues one packet; `payload[offset, offset + length)` is copied. `arrivalMs` is when it came.
   */
  put(
    ssrc: number, seq: number, ts: number, marker: boolean,
    payload: Uint8Array, offset: number, length: number, arrivalMs: number,
  ): JitterPutResult {
    seq &= 0xffff;
    ts >>>= 0;
    let result: JitterPutResult = 'queued';
    if (this.ssrc === -1) {
      this.restart(ssrc, seq, ts);
    } else if (this.isJump(ssrc, seq, ts, arrivalMs)) {
      this.counters.resets++;
      this.apply('reset');
      this.restart(ssrc, seq, ts);
      result = 'reset';
    }
    const extSeq = this.newestExtSeq + ((((seq - this.newestSeq) & 0xffff) << 16) >> 16);
    const extTs = this.newestExtTs + ((ts - this.newestTs) | 0);
    const i = extSeq & this.mask;
    if (this.slotSeq[i] === extSeq && (this.slotHeld[i] === 1 || extSeq < this.cursorSeq)) {
      this.counters.duplicate++;
      return 'duplicate';
    }
    if (extSeq > this.newestExtSeq) {
      // Learn the packet duration from consecutive packets (not across a talkspurt's gap).
      const step = extTs - this.newestExtTs;
      if (extSeq === this.newestExtSeq + 1 && !marker && step > 0 && step <= this.clockRate * 0.12) this.setFrameTs(step);
      this.newestExtSeq = extSeq;
      this.newestSeq = seq;
      this.newestTs = ts;
      this.newestExtTs = extTs;
    }
    const transit = arrivalMs - this.msOf(extTs);
    if (this.stateValue === 'playing' && extSeq < this.cursorSeq) {
      // Its slot was concealed or skipped: too late. Still the clearest sign the delay is short.
      this.delay.observeLate(transit);
      this.counters.late++;
      return 'late';
    }
    if (this.stateValue === 'buffering' && extSeq < this.cursorSeq) {
      if (this.newestExtSeq - extSeq >= this.capacity) {
        this.counters.late++;
        return 'late';
      }
      // Reordered before playout started: begin at the lowest sequence number.
      this.cursorSeq = extSeq;
      this.cursorTs = extTs;
    }
    // A talkspurt after silence, with nothing queued: the schedule can move without a glitch.
    if (marker && this.held === 0) this.delay.shrinkAtTalkspurt();
    this.delay.observe(transit);
    const next = transition(this.stateValue, 'queued');
    if (next.effect === 'anchor') {
      this.cursorSeq = extSeq;
      this.cursorTs = extTs;
    }
    this.stateValue = next.next;
    if (extSeq - this.cursorSeq >= this.capacity) {
      if (this.dropBefore(extSeq - this.capacity + 1) && result === 'queued') result = 'overflow';
    }
    this.store(i, extSeq, extTs, marker, payload, offset, length, arrivalMs);
    this.counters.received++;
    return result;
  }

  /**
   * The next frame due at `nowMs` (a packet, or a lost frame to conceal), or undefined when
   * none is due. Call until undefined: after a stall several frames can be due at once.
   */
  pop(nowMs: number): JitterFrame | undefined {
    while (this.held > 0) {
      const i = this.cursorSeq & this.mask;
      if (this.slotHeld[i] === 1 && this.slotSeq[i] === this.cursorSeq) {
        const ts = this.slotTs[i]!;
        if (this.playoutOf(ts) > nowMs) return undefined;
        this.slotHeld[i] = 0;
        this.held--;
        const f = this.fill('packet', ts, this.frameTs, this.slotArrival[i]!);
        f.marker = this.slotMarker[i] === 1;
        f.payload = this.slotView[i]!;
        this.cursorSeq++;
        this.cursorTs = ts + this.frameTs;
        this.stateValue = transition(this.stateValue, 'played').next;
        return f;
      }
      // Missing at the cursor while a later packet is held: lost, once its time has come.
      const nextSeq = this.nextHeld();
      const nextTs = this.slotTs[nextSeq & this.mask]!;
      const missing = nextSeq - this.cursorSeq;
      const span = nextTs - this.cursorTs;
      if (span <= 0 || missing > this.maxConceal) {
        // No time to fill (a sequence gap only), or too long to conceal: skip to the next packet.
        this.counters.lost += missing;
        this.cursorSeq = nextSeq;
        this.cursorTs = nextTs;
        continue;
      }
      // Lost once the next packet held must play: a packet just late still gets that frame's time.
      if (this.playoutOf(nextTs) > nowMs) return undefined;
      const samples = Math.min(this.frameTs, span);
      const f = this.fill('lost', this.cursorTs, samples, this.slotArrival[nextSeq & this.mask]! - this.msOf(span));
      f.payload = EMPTY;
      this.counters.lost++;
      this.counters.concealed++;
      this.cursorSeq++;
      this.cursorTs += samples;
      return f;
    }
    return undefined;
  }

  /**
   * The caller found the frame it just took silent and will not play it: the target shrinks by
   * a frame if it is above what the jitter asks for. True if it did (drop the frame then).
   */
  dropSilence(): boolean {
    return this.delay.shrinkByFrame();
  }

  /** True while the delay is a frame or more above what the jitter asks for. */
  get canShrink(): boolean {
    return this.delay.shrinkable;
  }

  private apply(event: JitterBufferEvent): void {
    const t = transition(this.stateValue, event);
    if (t.effect === 'drop') {
      this.slotSeq.fill(-1);
      this.slotHeld.fill(0);
      this.held = 0;
      this.ssrc = -1;
      this.delay.reset();
    }
    this.stateValue = t.next;
  }

  private restart(ssrc: number, seq: number, ts: number): void {
    this.ssrc = ssrc;
    this.newestSeq = seq;
    this.newestTs = ts;
    this.newestExtSeq = EXT_ORIGIN + seq;
    this.newestExtTs = 0;
    this.cursorSeq = this.newestExtSeq;
    this.cursorTs = 0;
  }

  /** A new source, or a jump that is no jitter: sequence (RFC 3550 A.1) or time. */
  private isJump(ssrc: number, seq: number, ts: number, arrivalMs: number): boolean {
    if (ssrc !== this.ssrc) return true;
    const dSeq = (((seq - this.newestSeq) & 0xffff) << 16) >> 16;
    if (dSeq > MAX_DROPOUT || dSeq < -MAX_MISORDER) return true;
    const floor = this.delay.floorMs;
    if (!Number.isFinite(floor)) return false;
    const transit = arrivalMs - this.msOf(this.newestExtTs + ((ts - this.newestTs) | 0));
    return Math.abs(transit - floor) > this.resyncMs;
  }

  private store(
    i: number, extSeq: number, extTs: number, marker: boolean,
    payload: Uint8Array, offset: number, length: number, arrivalMs: number,
  ): void {
    if (length > this.slotBytes) this.grow(length);
    const at = i * this.slotBytes;
    const storage = this.storage;
    // A plain loop: subarray() would allocate a view per packet.
    for (let k = 0; k < length; k++) storage[at + k] = payload[offset + k]!;
    if (this.slotView[i]!.length !== length) this.slotView[i] = storage.subarray(at, at + length);
    this.slotSeq[i] = extSeq;
    this.slotTs[i] = extTs;
    this.slotArrival[i] = arrivalMs;
    this.slotLength[i] = length;
    this.slotMarker[i] = marker ? 1 : 0;
    this.slotHeld[i] = 1;
    this.held++;
  }

  /** Larger slots for a larger payload: copies what is held (warm-up only). */
  private grow(length: number): void {
    let bytes = this.slotBytes;
    while (bytes < length) bytes <<= 1;
    const storage = new Uint8Array(this.capacity * bytes);
    for (let i = 0; i < this.capacity; i++) {
      const from = i * this.slotBytes;
      storage.set(this.storage.subarray(from, from + this.slotLength[i]!), i * bytes);
      this.slotView[i] = storage.subarray(i * bytes, i * bytes + this.slotLength[i]!);
    }
    this.storage = storage;
    this.slotBytes = bytes;
  }

  /** Drops held packets before `extSeq` (a burst beyond the ring); true if any was held. */
  private dropBefore(extSeq: number): boolean {
    let dropped = 0;
    for (let s = this.cursorSeq; s < extSeq; s++) {
      const i = s & this.mask;
      if (this.slotHeld[i] === 1 && this.slotSeq[i] === s) {
        this.slotHeld[i] = 0;
        this.held--;
        dropped++;
      }
    }
    this.counters.overflow += dropped;
    this.counters.lost += extSeq - this.cursorSeq - dropped;
    this.cursorTs += (extSeq - this.cursorSeq) * this.frameTs;
    this.cursorSeq = extSeq;
    return dropped > 0;
  }

  private nextHeld(): number {
    for (let s = this.cursorSeq + 1; s <= this.newestExtSeq; s++) {
      const i = s & this.mask;
      if (this.slotHeld[i] === 1 && this.slotSeq[i] === s) return s;
    }
    return this.newestExtSeq; // not reached while something is held
  }

  private fill(kind: JitterFrame['kind'], extTs: number, samples: number, arrivalMs: number): JitterFrame {
    const f = this.frame;
    f.kind = kind;
    f.sequenceNumber = this.cursorSeq & 0xffff;
    f.timestamp = (this.newestTs + (extTs - this.newestExtTs)) >>> 0;
    f.samples = samples;
    f.marker = false;
    f.ssrc = this.ssrc;
    f.arrivalMs = arrivalMs;
    f.nominalMs = this.delay.floorMs + this.msOf(extTs);
    return f;
  }

  private setFrameTs(step: number): void {
    if (step === this.frameTs) return;
    this.frameTs = step;
    this.delay.frameMs = (step * 1000) / this.clockRate;
  }

  private msOf(extTs: number): number {
    return (extTs * 1000) / this.clockRate;
  }

  private playoutOf(extTs: number): number {
    return this.delay.floorMs + this.msOf(extTs) + this.delay.targetMs;
  }
}
