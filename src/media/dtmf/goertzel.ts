/**
 * The Goertzel algorithm: the power of one frequency in a block of samples, in O(N) with
 * one multiply per sample. Used by the in-band DTMF detector and by tests that check tones.
 */

/** The recurrence coefficient 2*cos(2*pi*f/fs) for frequency `hz` at `sampleRate`. */
export function goertzelCoefficient(hz: number, sampleRate: number): number {
  return 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
}

/**
 * Power of `hz` in samples[start, start+length), scaled so a sinusoid of peak amplitude A
 * at that frequency gives about A^2/2 (its mean square), whatever the block length.
 */
export function goertzelPower(
  samples: ArrayLike<number>,
  start: number,
  length: number,
  hz: number,
  sampleRate: number,
): number {
  const coeff = goertzelCoefficient(hz, sampleRate);
  let s1 = 0;
  let s2 = 0;
  const end = Math.min(samples.length, start + length);
  for (let i = start; i < end; i++) {
    const s0 = (samples[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const n = end - start;
  return n > 0 ? goertzelFinish(s1, s2, coeff, n) : 0;
}

/** Turns the final recurrence state into power scaled as goertzelPower documents. */
export function goertzelFinish(s1: number, s2: number, coeff: number, n: number): number {
  return ((s1 * s1 + s2 * s2 - coeff * s1 * s2) * 2) / (n * n);
}

/** Mean square of samples[start, start+length). */
export function meanSquare(samples: ArrayLike<number>, start: number, length: number): number {
  const end = Math.min(samples.length, start + length);
  let sum = 0;
  for (let i = start; i < end; i++) {
    const x = samples[i] as number;
    sum += x * x;
  }
  return end > start ? sum / (end - start) : 0;
}
