/**
 * Test signals for the in-band detector (used by tests only, not exported): deterministic white
 * noise, speech-like audio (a glottal pitch with formants, fricatives and pauses) and music-like
 * chords with harmonics. Deterministic so a talk-off failure can be replayed.
 */
import { dbm0ToPeak } from './dbm0.js';

/** xorshift32 in [0, 1). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Gaussian-ish noise (sum of 4 uniforms) with RMS at `dbm0`. */
export function whiteNoise(samples: number, dbm0: number, seed = 1): Float64Array {
  const rnd = prng(seed);
  const rms = dbm0ToPeak(dbm0) / Math.SQRT2;
  const out = new Float64Array(samples);
  // Sum of 4 uniforms in [-0.5, 0.5) has variance 4/12.
  const scale = rms / Math.sqrt(4 / 12);
  for (let i = 0; i < samples; i++) out[i] = (rnd() + rnd() + rnd() + rnd() - 2) * scale;
  return out;
}

/** Speech-like audio: syllables of voiced sound with moving pitch and formants, fricatives, pauses. */
export function speechLike(seconds: number, sampleRate: number, seed = 7): Float64Array {
  const rnd = prng(seed);
  const n = Math.round(seconds * sampleRate);
  const out = new Float64Array(n);
  let i = 0;
  let phase = 0;
  while (i < n) {
    const len = Math.min(n - i, Math.round(((60 + rnd() * 180) * sampleRate) / 1000));
    const kind = rnd();
    const level = dbm0ToPeak(-25 + rnd() * 18);
    if (kind < 0.65) {
      const f0a = 85 + rnd() * 180;
      const f0b = f0a * (0.8 + rnd() * 0.4);
      const formants = [250 + rnd() * 600, 800 + rnd() * 1600, 2200 + rnd() * 900];
      for (let j = 0; j < len; j++) {
        const f0 = f0a + ((f0b - f0a) * j) / len;
        phase += (2 * Math.PI * f0) / sampleRate;
        let y = 0;
        for (let h = 1; h * f0 < Math.min(3600, sampleRate / 2); h++) {
          let gain = 0;
          for (const f of formants) gain += 1 / (1 + ((h * f0 - f) / 120) ** 2);
          y += (gain / h ** 0.7) * Math.sin(h * phase);
        }
        const env = Math.sin((Math.PI * j) / len);
        out[i + j] = 0.35 * level * env * y;
      }
    } else if (kind < 0.85) {
      const noise = whiteNoise(len, -30 + rnd() * 10, Math.floor(rnd() * 1e9));
      for (let j = 0; j < len; j++) out[i + j] = noise[j] as number;
    }
    i += len;
  }
  return out;
}

/** Music-like audio: chords of 1-3 equal-tempered notes with a few harmonics and decay. */
export function musicLike(seconds: number, sampleRate: number, seed = 11): Float64Array {
  const rnd = prng(seed);
  const n = Math.round(seconds * sampleRate);
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    const len = Math.min(n - i, Math.round(((150 + rnd() * 450) * sampleRate) / 1000));
    const notes = 1 + Math.floor(rnd() * 3);
    const level = dbm0ToPeak(-20 + rnd() * 10);
    for (let k = 0; k < notes; k++) {
      const midi = 48 + Math.floor(rnd() * 40); // C3 .. D#6
      const f = 440 * 2 ** ((midi - 69) / 12);
      for (let j = 0; j < len; j++) {
        const t = j / sampleRate;
        const env = Math.exp(-3 * t) * Math.min(1, j / 40);
        let y = 0;
        for (let h = 1; h <= 4 && h * f < sampleRate / 2; h++) y += Math.sin(2 * Math.PI * h * f * t) / h;
        out[i + j] = (out[i + j] as number) + (level / notes) * env * y;
      }
    }
    i += len;
  }
  return out;
}

/** Adds `b` into `a` (same length or shorter) and returns 16-bit PCM with clipping. */
export function toPcm(a: ArrayLike<number>, b?: ArrayLike<number>): Int16Array {
  const out = new Int16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const y = (a[i] as number) + (b && i < b.length ? (b[i] as number) : 0);
    out[i] = y > 32767 ? 32767 : y < -32768 ? -32768 : Math.round(y);
  }
  return out;
}
