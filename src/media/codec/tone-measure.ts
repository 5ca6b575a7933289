// Measurements of a known tone in PCM: Goertzel power, and a least-squares fit of a sinusoid at
// the tone's frequency whose residual gives the SNR without knowing the delay or phase. Used by
// codec tests and benchmarks; cheap enough for checks on live audio.

/** A sine of `frequency` Hz, `length` samples at `sampleRate`, peak `amplitude`. */
export function sineWave(frequency: number, sampleRate: number, length: number, amplitude = 10000, startSample = 0): Int16Array {
  const out = new Int16Array(length);
  const w = (2 * Math.PI * frequency) / sampleRate;
  for (let i = 0; i < length; i++) out[i] = Math.round(amplitude * Math.sin(w * (i + startSample)));
  return out;
}

/** Goertzel power of `frequency` over samples[start, end), normalised to amplitude^2 / 4. */
export function goertzelPower(samples: ArrayLike<number>, sampleRate: number, frequency: number, start = 0, end = samples.length): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const n = end - start;
  return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / (n * n);
}

/** Amplitude and SNR (dB) of the best-fitting sinusoid at `frequency` in samples[start, end). */
export function fitTone(samples: ArrayLike<number>, sampleRate: number, frequency: number, start = 0, end = samples.length): { amplitude: number; snrDb: number } {
  const w = (2 * Math.PI * frequency) / sampleRate;
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let i = start; i < end; i++) {
    const s = Math.sin(w * i);
    const c = Math.cos(w * i);
    const y = samples[i]!;
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += y * s;
    yc += y * c;
  }
  // Solve the 2x2 normal equations for y ~ A sin + B cos.
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  let signal = 0;
  let noise = 0;
  for (let i = start; i < end; i++) {
    const fitted = a * Math.sin(w * i) + b * Math.cos(w * i);
    const residual = samples[i]! - fitted;
    signal += fitted * fitted;
    noise += residual * residual;
  }
  return { amplitude: Math.hypot(a, b), snrDb: 10 * Math.log10(signal / Math.max(noise, 1e-9)) };
}
