/**
 * Phase-continuous tone generation into 16-bit PCM frames: single or multi-frequency tones with
 * cadences (on/off segments, looping). Each frequency is a recursive oscillator (a phasor rotated
 * by a fixed angle per sample: four multiplies, no Math.sin in the loop), renormalized once per
 * frame so rounding never makes it drift. The generator keeps its state between frames, so a
 * tone cut into 20 ms frames is the same signal as one long buffer.
 */
import { dbm0ToPeak } from '../dtmf/index.js';

/** One cadence step: `frequencies` (none = silence) for `durationMs` (Infinity = forever). */
export interface ToneSegment {
  readonly frequencies: readonly number[];
  readonly durationMs: number;
  /** Level of each frequency in dBm0 (one number for all, or one per frequency). */
  readonly levelDbm0?: number | readonly number[];
  /** Played on the first pass only (Asterisk's "!"): a lead-in before the looping part. */
  readonly once?: boolean;
}

export interface ToneSpec {
  readonly segments: readonly ToneSegment[];
  /** Loop the cadence (default true). */
  readonly repeat?: boolean;
  /** Default level of each frequency, in dBm0. */
  readonly levelDbm0?: number;
}

/** Call progress tones' usual level per frequency. */
export const DEFAULT_TONE_LEVEL_DBM0 = -13;
const MAX_FREQUENCIES = 4;

interface CompiledSegment {
  samples: number; // Infinity for a continuous segment
  count: number;
  hz: Float64Array;
  cosStep: Float64Array;
  sinStep: Float64Array;
  amplitude: Float64Array;
  once: boolean;
}

export class ToneGenerator {
  readonly sampleRate: number;
  private readonly segments: CompiledSegment[];
  private readonly repeat: boolean;
  private index = 0;
  private position = 0; // samples played in the current segment
  private firstPass = true;
  private done = false;
  // Oscillator state per slot: the phasor (re, im) and the frequency it runs at.
  private readonly re = new Float64Array(MAX_FREQUENCIES).fill(1);
  private readonly im = new Float64Array(MAX_FREQUENCIES);
  private readonly runningHz = new Float64Array(MAX_FREQUENCIES);

  constructor(spec: ToneSpec, sampleRate: number) {
    if (!(sampleRate > 0)) throw new RangeError(`sample rate ${sampleRate}`);
    if (spec.segments.length === 0) throw new RangeError('a tone needs at least one segment');
    this.sampleRate = sampleRate;
    this.repeat = spec.repeat ?? true;
    this.segments = spec.segments.map((s) => compile(s, spec.levelDbm0 ?? DEFAULT_TONE_LEVEL_DBM0, sampleRate));
    if (this.repeat && this.segments.every((s) => s.once || s.samples === 0)) this.repeat = false;
    this.skipEmpty();
  }

  /** True once a non-repeating tone has played all its segments. */
  get finished(): boolean {
    return this.done;
  }

  /**
   * Writes the next frame.length samples (zeros after a non-repeating tone ends). Returns the
   * number of samples that belong to the tone (frame.length until the tone finishes).
   */
  fill(frame: Int16Array): number {
    let i = 0;
    while (i < frame.length && !this.done) {
      const seg = this.segments[this.index] as CompiledSegment;
      const n = Math.min(frame.length - i, seg.samples - this.position);
      this.render(seg, frame, i, n);
      i += n;
      this.position += n;
      if (this.position >= seg.samples) this.advance();
    }
    if (i < frame.length) frame.fill(0, i);
    this.renormalize();
    return i;
  }

  /** Starts the tone again from its first segment. */
  reset(): void {
    this.index = 0;
    this.position = 0;
    this.firstPass = true;
    this.done = false;
    this.re.fill(1);
    this.im.fill(0);
    this.runningHz.fill(0);
    this.skipEmpty();
  }

  private render(seg: CompiledSegment, frame: Int16Array, start: number, n: number): void {
    if (seg.count === 0) {
      frame.fill(0, start, start + n);
      return;
    }
    for (let k = 0; k < seg.count; k++) {
      // A slot keeps its phase while its frequency stays the same (phase continuity).
      if (this.runningHz[k] !== seg.hz[k]) {
        this.runningHz[k] = seg.hz[k] as number;
        this.re[k] = 1;
        this.im[k] = 0;
      }
    }
    const re = this.re;
    const im = this.im;
    for (let i = start; i < start + n; i++) {
      let y = 0;
      for (let k = 0; k < seg.count; k++) {
        const r = re[k] as number;
        const m = im[k] as number;
        y += (seg.amplitude[k] as number) * m;
        const c = seg.cosStep[k] as number;
        const s = seg.sinStep[k] as number;
        re[k] = r * c - m * s;
        im[k] = r * s + m * c;
      }
      frame[i] = y > 32767 ? 32767 : y < -32768 ? -32768 : Math.round(y);
    }
  }

  private renormalize(): void {
    for (let k = 0; k < MAX_FREQUENCIES; k++) {
      const r = this.re[k] as number;
      const m = this.im[k] as number;
      const mag = Math.sqrt(r * r + m * m);
      if (mag > 0) {
        this.re[k] = r / mag;
        this.im[k] = m / mag;
      }
    }
  }

  private advance(): void {
    this.position = 0;
    this.index++;
    this.skipEmpty();
  }

  // Moves to the next segment that plays on this pass, wrapping or finishing at the end.
  private skipEmpty(): void {
    for (let guard = 0; guard <= 2 * this.segments.length; guard++) {
      if (this.index >= this.segments.length) {
        if (!this.repeat) {
          this.done = true;
          return;
        }
        this.index = 0;
        this.firstPass = false;
      }
      const seg = this.segments[this.index] as CompiledSegment;
      if (seg.samples > 0 && !(seg.once && !this.firstPass)) return;
      this.index++;
    }
    this.done = true;
  }
}

function compile(seg: ToneSegment, defaultLevel: number, sampleRate: number): CompiledSegment {
  const freqs = seg.frequencies.filter((f) => f > 0);
  if (freqs.length > MAX_FREQUENCIES) throw new RangeError(`at most ${MAX_FREQUENCIES} frequencies per segment`);
  for (const f of freqs) if (f >= sampleRate / 2) throw new RangeError(`${f} Hz is above Nyquist at ${sampleRate} Hz`);
  const count = freqs.length;
  const out: CompiledSegment = {
    samples: seg.durationMs === Infinity ? Infinity : Math.max(0, Math.round((seg.durationMs * sampleRate) / 1000)),
    count,
    hz: new Float64Array(freqs),
    cosStep: new Float64Array(count),
    sinStep: new Float64Array(count),
    amplitude: new Float64Array(count),
    once: seg.once ?? false,
  };
  freqs.forEach((f, k) => {
    const w = (2 * Math.PI * f) / sampleRate;
    out.cosStep[k] = Math.cos(w);
    out.sinStep[k] = Math.sin(w);
    const lv = seg.levelDbm0;
    const level = typeof lv === 'number' ? lv : (lv?.[k] ?? defaultLevel);
    out.amplitude[k] = dbm0ToPeak(level);
  });
  return out;
}
