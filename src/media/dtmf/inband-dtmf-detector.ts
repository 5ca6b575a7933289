/**
 * In-band DTMF detection on 16-bit PCM at 8 or 16 kHz, after spandsp and ITU-T Q.24.
 *
 * Samples are cut into 12.75 ms blocks (102 samples at 8 kHz), the block length spandsp uses:
 * it resolves the four row tones (about 75 Hz apart) while staying short enough for 40 ms digits.
 * Per block the eight Q.23 frequencies are measured with Goertzel, and a block "hits" a digit when
 * - the strongest row and the strongest column are each above the level threshold;
 * - twist is within limits: the row (low) tone at most 8 dB above the column tone ("normal"
 *   twist) and the column at most 4 dB above the row ("reverse" twist);
 * - each of the two is well above every other frequency of its group (relative peak);
 * - the two tones hold at least 80% of the block's energy (spandsp's ratio; speech and music
 *   spread theirs over many harmonics).
 * A digit is reported once it hits two consecutive blocks (so any tone of 40 ms or more is seen,
 * and tones under about 25 ms are not), and it ends after two consecutive blocks without it,
 * which is also the shortest inter-digit pause: one noisy block does not split a key press.
 */
import { dtmfDigitAt, DTMF_COLUMN_HZ, DTMF_ROW_HZ, type DtmfDigit } from './dtmf-event.js';
import { dbm0ToPeak } from './dbm0.js';
import { goertzelCoefficient, goertzelFinish } from './goertzel.js';

export interface InbandDtmfDetectorOptions {
  /** 8000 or 16000. */
  sampleRate: number;
  /** Quietest tone accepted, per frequency, in dBm0. */
  minToneLevelDbm0?: number;
  /** Row (low) tone may exceed the column tone by this much. */
  normalTwistDb?: number;
  /** Column (high) tone may exceed the row tone by this much. */
  reverseTwistDb?: number;
  /** Each detected tone must exceed the other tones of its group by this much. */
  relativePeakDb?: number;
  /** Share of the block's energy the two tones must hold (0..1). */
  minToneEnergyShare?: number;
  /** Consecutive hit blocks before a digit is reported. */
  minOnBlocks?: number;
  /** Consecutive non-hit blocks that end a digit (and must separate two equal digits). */
  minOffBlocks?: number;
}

/** A detected digit; `startMs` is when its first hit block began, in the caller's time base. */
export interface InbandDigit {
  readonly digit: DtmfDigit;
  readonly startMs: number;
}

const NONE = -1;
const NO_DIGITS: readonly InbandDigit[] = Object.freeze([]);
const dbToRatio = (db: number): number => 10 ** (db / 10);

export class InbandDtmfDetector {
  readonly sampleRate: number;
  readonly blockSize: number;
  private readonly coeff = new Float64Array(8);
  private readonly s1 = new Float64Array(8);
  private readonly s2 = new Float64Array(8);
  private readonly power = new Float64Array(8);
  private energy = 0;
  private filled = 0;
  private blockStartMs = 0;

  private readonly threshold: number;
  private readonly normalTwist: number;
  private readonly reverseTwist: number;
  private readonly relativePeak: number;
  private readonly energyShare: number;
  private readonly minOn: number;
  private readonly minOff: number;

  private candidate = NONE; // digit index row*4+col hit by the latest blocks
  private candidateBlocks = 0;
  private candidateStartMs = 0;
  private current = NONE; // digit being reported (key still down)
  private offBlocks = 0;

  constructor(opts: InbandDtmfDetectorOptions) {
    if (opts.sampleRate !== 8000 && opts.sampleRate !== 16000) {
      throw new RangeError(`in-band DTMF detection supports 8000 and 16000 Hz, not ${opts.sampleRate}`);
    }
    this.sampleRate = opts.sampleRate;
    this.blockSize = Math.round(opts.sampleRate * 0.01275);
    const freqs = [...DTMF_ROW_HZ, ...DTMF_COLUMN_HZ];
    freqs.forEach((hz, i) => (this.coeff[i] = goertzelCoefficient(hz, opts.sampleRate)));
    const peak = dbm0ToPeak(opts.minToneLevelDbm0 ?? -32);
    this.threshold = (peak * peak) / 2;
    this.normalTwist = dbToRatio(opts.normalTwistDb ?? 8);
    this.reverseTwist = dbToRatio(opts.reverseTwistDb ?? 4);
    this.relativePeak = dbToRatio(opts.relativePeakDb ?? 8);
    this.energyShare = opts.minToneEnergyShare ?? 0.8;
    this.minOn = opts.minOnBlocks ?? 2;
    this.minOff = opts.minOffBlocks ?? 2;
  }

  /**
   * Feeds one frame whose first sample is at `frameStartMs`; returns digits whose detection
   * completed in this frame (usually none). Frames may have any length.
   */
  process(frame: Int16Array, frameStartMs: number): readonly InbandDigit[] {
    let found: InbandDigit[] | undefined;
    const msPerSample = 1000 / this.sampleRate;
    const coeff = this.coeff;
    const s1 = this.s1;
    const s2 = this.s2;
    for (let i = 0; i < frame.length; ) {
      if (this.filled === 0) this.blockStartMs = frameStartMs + i * msPerSample;
      const end = i + Math.min(frame.length - i, this.blockSize - this.filled);
      this.filled += end - i;
      let energy = this.energy;
      for (; i < end; i++) {
        const x = frame[i] as number;
        energy += x * x;
        for (let k = 0; k < 8; k++) {
          const s0 = x + (coeff[k] as number) * (s1[k] as number) - (s2[k] as number);
          s2[k] = s1[k] as number;
          s1[k] = s0;
        }
      }
      this.energy = energy;
      if (this.filled === this.blockSize) {
        const digit = this.onBlock(this.classifyBlock());
        if (digit !== undefined) (found ??= []).push(digit);
        this.s1.fill(0);
        this.s2.fill(0);
        this.energy = 0;
        this.filled = 0;
      }
    }
    return found ?? NO_DIGITS;
  }

  /** Forgets any partial block and digit in progress (e.g. after hold or a stream change). */
  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.energy = 0;
    this.filled = 0;
    this.candidate = NONE;
    this.candidateBlocks = 0;
    this.current = NONE;
    this.offBlocks = 0;
  }

  /** The digit index (row*4+column) a full block holds, or NONE. */
  private classifyBlock(): number {
    const n = this.blockSize;
    const p = this.power;
    for (let k = 0; k < 8; k++) p[k] = goertzelFinish(this.s1[k] as number, this.s2[k] as number, this.coeff[k] as number, n);
    let row = 0;
    let col = 4;
    for (let k = 1; k < 4; k++) if ((p[k] as number) > (p[row] as number)) row = k;
    for (let k = 5; k < 8; k++) if ((p[k] as number) > (p[col] as number)) col = k;
    const rowP = p[row] as number;
    const colP = p[col] as number;
    if (rowP < this.threshold || colP < this.threshold) return NONE;
    if (rowP > colP * this.normalTwist || colP > rowP * this.reverseTwist) return NONE;
    for (let k = 0; k < 8; k++) {
      if (k === row || k === col) continue;
      if ((p[k] as number) * this.relativePeak > (k < 4 ? rowP : colP)) return NONE;
    }
    if (rowP + colP < this.energyShare * (this.energy / n)) return NONE;
    return row * 4 + (col - 4);
  }

  /** Advances the on/off debouncing by one block; returns a digit when one is recognized. */
  private onBlock(hit: number): InbandDigit | undefined {
    if (hit === this.candidate) {
      this.candidateBlocks++;
    } else {
      this.candidate = hit;
      this.candidateBlocks = 1;
      this.candidateStartMs = this.blockStartMs;
    }
    if (this.current !== NONE) {
      if (hit === this.current) {
        this.offBlocks = 0;
        return undefined;
      }
      if (++this.offBlocks < this.minOff) return undefined;
      this.current = NONE;
    }
    if (this.candidate === NONE || this.candidateBlocks < this.minOn) return undefined;
    this.current = this.candidate;
    this.offBlocks = 0;
    const digit = dtmfDigitAt(this.candidate >> 2, this.candidate & 3);
    return digit === undefined ? undefined : { digit, startMs: this.candidateStartMs };
  }
}
