/**
 * Turning a decoded WAV into what a player streams: mono (channels averaged) at the endpoint's
 * rate. Resampling runs in chunks so the Resampler's work buffer stays small for long files,
 * and the filter's delay is removed (zeros pushed through, the first `delay` samples dropped)
 * so a prompt starts on its first sample instead of after a few silent ones.
 */
import { Resampler, type SampleRate } from '../codec/index.js';

const CHUNK = 4800;

/** The telephony rate equal to `rate`, if it is one. */
export function telephonyRate(rate: number): SampleRate | undefined {
  return rate === 8000 || rate === 16000 || rate === 48000 ? rate : undefined;
}

/** Interleaved samples of `channels` channels averaged into one. */
export function mixToMono(samples: Int16Array, channels: number): Int16Array {
  if (channels === 1) return samples;
  const frames = Math.floor(samples.length / channels);
  const out = new Int16Array(frames);
  for (let f = 0, o = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[o++] as number;
    out[f] = Math.round(sum / channels);
  }
  return out;
}

/** Mono samples converted from `from` to `to` Hz, aligned (no filter delay), same duration. */
export function convertRate(samples: Int16Array, from: SampleRate, to: SampleRate): Int16Array {
  if (from === to) return samples;
  const resampler = new Resampler(from, to);
  const expected = Math.round((samples.length * to) / from);
  const lead = Math.round(resampler.delay);
  // Enough trailing zeros to push the last real sample out past the filter delay.
  const padInput = Math.ceil(((lead + 2) * from) / to) + 1;
  const total = new Int16Array(resampler.outputLength(samples.length + padInput) + CHUNK * 6 + lead);
  let written = 0;
  for (let i = 0; i < samples.length; i += CHUNK) {
    const chunk = samples.subarray(i, Math.min(samples.length, i + CHUNK));
    const n = resampler.outputLength(chunk.length);
    resampler.process(chunk, total.subarray(written, written + n));
    written += n;
  }
  const pad = new Int16Array(padInput);
  const n = resampler.outputLength(pad.length);
  resampler.process(pad, total.subarray(written, written + n));
  written += n;
  return total.slice(lead, Math.min(written, lead + expected));
}
