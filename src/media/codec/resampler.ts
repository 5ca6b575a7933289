// Sample rate conversion between the telephony rates (8, 16 and 48 kHz: integer ratios 2, 3
// and 6) with a polyphase FIR: a Kaiser-windowed sinc low-pass at 0.45 of the lower rate, so
// nothing above the lower rate's Nyquist frequency folds back. The filter's history is kept
// across calls, so audio cut into 20 ms frames comes out as if converted in one piece.

/** The sample rates the media engine works at. */
export type SampleRate = 8000 | 16000 | 48000;

/** Filter settings; the defaults give about 65 dB of stopband. */
export interface ResamplerOptions {
  /** Taps per polyphase branch; the filter has ratio * tapsPerPhase taps. Default 24. */
  tapsPerPhase?: number;
  /** Kaiser window beta; default 6. */
  kaiserBeta?: number;
}

/** Zeroth-order modified Bessel function of the first kind (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/** Low-pass FIR of `taps` taps with cutoff `cutoff` (fraction of the sample rate), unity DC gain. */
function designLowPass(taps: number, cutoff: number, beta: number): Float64Array {
  const h = new Float64Array(taps);
  const middle = (taps - 1) / 2;
  const denominator = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const t = n - middle;
    const sinc = t === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * t) / (Math.PI * t);
    const ratio = t / middle;
    const window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / denominator;
    h[n] = sinc * window;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n]! /= sum;
  return h;
}

function clamp16(value: number): number {
  const rounded = Math.round(value);
  return rounded > 32767 ? 32767 : rounded < -32768 ? -32768 : rounded;
}

/** Stateful converter from one telephony rate to another; one per stream direction. */
export class Resampler {
  /** Samples of delay the filter adds, at the output rate. */
  readonly delay: number;
  private readonly up: number;
  private readonly down: number;
  // Polyphase coefficients for interpolation (phase-major, each branch reversed in time), or
  // the whole filter (reversed) for decimation.
  private readonly coefficients: Float64Array;
  private readonly taps: number;
  private readonly historyLength: number;
  private buffer: Float64Array;
  private output: Int16Array;
  private view: Int16Array;
  // Decimation: offset (0..down-1) of the next output's input sample past the history.
  private skip = 0;

  constructor(readonly fromRate: SampleRate, readonly toRate: SampleRate, options: ResamplerOptions = {}) {
    const tapsPerPhase = options.tapsPerPhase ?? 24;
    const beta = options.kaiserBeta ?? 6;
    const high = Math.max(fromRate, toRate);
    const low = Math.min(fromRate, toRate);
    const ratio = high / low;
    if (!Number.isInteger(ratio)) throw new RangeError(`no integer ratio between ${fromRate} and ${toRate} Hz`);
    this.up = toRate > fromRate ? ratio : 1;
    this.down = fromRate > toRate ? ratio : 1;
    this.taps = ratio * tapsPerPhase;
    const prototype = ratio === 1 ? Float64Array.of(1) : designLowPass(this.taps, (0.45 * low) / high, beta);
    if (this.up > 1) {
      // Branch p holds up * h[p + k*up] for k = K-1 .. 0, so a forward dot product with the
      // history (oldest first) applies it.
      this.coefficients = new Float64Array(this.taps);
      for (let p = 0; p < this.up; p++) {
        for (let k = 0; k < tapsPerPhase; k++) {
          this.coefficients[p * tapsPerPhase + (tapsPerPhase - 1 - k)] = this.up * prototype[p + k * this.up]!;
        }
      }
      this.historyLength = tapsPerPhase - 1;
    } else {
      this.coefficients = prototype.slice().reverse();
      this.historyLength = ratio === 1 ? 0 : this.taps - 1;
    }
    this.delay = ratio === 1 ? 0 : this.up > 1 ? (this.taps - 1) / 2 : (this.taps - 1) / 2 / this.down;
    this.buffer = new Float64Array(this.historyLength + 960);
    this.output = new Int16Array(960);
    this.view = this.output;
  }

  /** Output samples the next process() call yields for `inputLength` input samples. */
  outputLength(inputLength: number): number {
    if (this.up > 1) return inputLength * this.up;
    if (this.down === 1) return inputLength;
    return inputLength > this.skip ? Math.ceil((inputLength - this.skip) / this.down) : 0;
  }

  /**
   * Converts the next chunk of the stream. Writes into `out` (at least outputLength() samples)
   * when given; otherwise returns a view of a buffer reused by the next call.
   */
  process(input: Int16Array, out?: Int16Array): Int16Array {
    const count = this.outputLength(input.length);
    let target: Int16Array;
    if (out) target = out;
    else {
      if (this.output.length < count) this.output = new Int16Array(count);
      target = this.output;
    }
    if (this.up === 1 && this.down === 1) target.set(input);
    else {
      const needed = this.historyLength + input.length;
      if (this.buffer.length < needed) {
        const grown = new Float64Array(needed);
        grown.set(this.buffer.subarray(0, this.historyLength));
        this.buffer = grown;
      }
      const buffer = this.buffer;
      buffer.set(input, this.historyLength);
      if (this.up > 1) this.interpolate(input.length, target);
      else this.decimate(input.length, target);
      buffer.copyWithin(0, input.length, input.length + this.historyLength);
    }
    if (target !== this.output) return target.length === count ? target : target.subarray(0, count);
    if (this.view.length !== count || this.view.buffer !== this.output.buffer) this.view = this.output.subarray(0, count);
    return this.view;
  }

  /** Clears the filter history, as for a new stream. */
  reset(): void {
    this.buffer.fill(0);
    this.skip = 0;
  }

  private interpolate(inputLength: number, target: Int16Array): void {
    const up = this.up;
    const branch = this.historyLength + 1;
    const c = this.coefficients;
    const buffer = this.buffer;
    for (let q = 0; q < inputLength; q++) {
      for (let p = 0; p < up; p++) {
        let sum = 0;
        const base = p * branch;
        for (let k = 0; k < branch; k++) sum += c[base + k]! * buffer[q + k]!;
        target[q * up + p] = clamp16(sum);
      }
    }
  }

  private decimate(inputLength: number, target: Int16Array): void {
    const c = this.coefficients;
    const taps = this.taps;
    const buffer = this.buffer;
    let produced = 0;
    let t = this.skip; // window start: buffer[t .. t + taps) ends at the output's input sample
    for (; t < inputLength; t += this.down) {
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += c[k]! * buffer[t + k]!;
      target[produced++] = clamp16(sum);
    }
    this.skip = t - inputLength;
  }
}
