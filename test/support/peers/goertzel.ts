// Which tone crossed the media path: a PCM16 WAV reader and a Goertzel filter measuring how much
// of a recording's power sits at one frequency (e.g. the caller's 1000 Hz sine in the callee's
// decoded recording, and not the callee's own 440 Hz).
import { readFile } from 'node:fs/promises';

export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Mono samples in [-1, 1): channels are averaged, unless one channel was asked for. */
  samples: Float64Array;
}

export interface WavReadOptions {
  /** Read only this channel (0 = left) instead of the average of all. */
  channel?: number;
}

/** Parses a RIFF/WAVE file with 16-bit PCM data (format 1 or WAVE_FORMAT_EXTENSIBLE). */
export function parseWav(buf: Buffer, opts: WavReadOptions = {}): PcmAudio {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  let format = 0;
  let data: Buffer | undefined;
  for (let off = 12; off + 8 <= buf.length;) {
    const id = buf.toString('ascii', off, off + 4);
    const declared = buf.readUInt32LE(off + 4);
    const body = off + 8;
    // A recorder still writing (or killed) leaves the data size at 0 or 0xFFFFFFFF: take the rest.
    const size = id === 'data' && (declared === 0 || body + declared > buf.length) ? buf.length - body : declared;
    if (id === 'fmt ') {
      if (size < 16) throw new Error('fmt chunk too short');
      format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
      if (format === 0xfffe && size >= 26) format = buf.readUInt16LE(body + 24);
    } else if (id === 'data') {
      data = buf.subarray(body, body + size);
    }
    off = body + size + (size % 2);
  }
  if (format !== 1 || bits !== 16) throw new Error(`unsupported WAV: format ${format}, ${bits} bits (PCM16 only)`);
  if (channels < 1 || sampleRate < 1) throw new Error('WAV without channels or sample rate');
  if (data === undefined) throw new Error('WAV without data chunk');
  const frames = Math.floor(data.length / (2 * channels));
  const samples = new Float64Array(frames);
  const only = opts.channel;
  if (only !== undefined) {
    if (only < 0 || only >= channels) throw new Error(`WAV has ${channels} channel(s), no channel ${only}`);
    for (let i = 0; i < frames; i++) samples[i] = data.readInt16LE((i * channels + only) * 2) / 32768;
    return { sampleRate, channels, samples };
  }
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += data.readInt16LE((i * channels + c) * 2);
    samples[i] = sum / channels / 32768;
  }
  return { sampleRate, channels, samples };
}

export async function readWav(path: string, opts: WavReadOptions = {}): Promise<PcmAudio> {
  return parseWav(await readFile(path), opts);
}

/** Squared magnitude of the DFT of `samples` at `freq` (Goertzel; freq need not be a bin centre). */
export function goertzelPower(samples: ArrayLike<number>, sampleRate: number, freq: number): number {
  const w = (2 * Math.PI * freq) / sampleRate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

export interface ToneMeasure {
  /** Estimated amplitude of the sine at that frequency (1.0 = full scale). */
  amplitude: number;
  /** Fraction of the signal's power at that frequency: ~1 for a pure tone, ~0 when absent. */
  ratio: number;
  /** RMS of the whole analysed signal. */
  rms: number;
}

export interface ToneWindow { startS?: number; durationS?: number }

export function measureTone(audio: PcmAudio, freq: number, window: ToneWindow = {}): ToneMeasure {
  const start = Math.min(audio.samples.length, Math.round((window.startS ?? 0) * audio.sampleRate));
  const end = window.durationS === undefined ? audio.samples.length
    : Math.min(audio.samples.length, start + Math.round(window.durationS * audio.sampleRate));
  const part = audio.samples.subarray(start, end);
  const n = part.length;
  if (n === 0) return { amplitude: 0, ratio: 0, rms: 0 };
  let energy = 0;
  for (let i = 0; i < n; i++) energy += (part[i] ?? 0) ** 2;
  const meanSquare = energy / n;
  const amplitude = (2 * Math.sqrt(Math.max(0, goertzelPower(part, audio.sampleRate, freq)))) / n;
  const ratio = meanSquare === 0 ? 0 : Math.min(1, (amplitude * amplitude) / 2 / meanSquare);
  return { amplitude, ratio, rms: Math.sqrt(meanSquare) };
}

export async function measureToneInFile(path: string, freq: number, window: ToneWindow = {}, opts: WavReadOptions = {}): Promise<ToneMeasure> {
  return measureTone(await readWav(path, opts), freq, window);
}

/**
 * Which of `freqs` dominates each `frameMs` slice (more than `minRatio` of the slice's power),
 * with runs of the same tone collapsed: [700, 900, 1100] for three tones played one after another.
 */
export function toneSequence(audio: PcmAudio, freqs: readonly number[], frameMs = 40, minRatio = 0.5): number[] {
  const frame = Math.round((audio.sampleRate * frameMs) / 1000);
  const out: number[] = [];
  for (let start = 0; start + frame <= audio.samples.length; start += frame) {
    const window = { startS: start / audio.sampleRate, durationS: frameMs / 1000 };
    let best: number | undefined;
    let bestRatio = minRatio;
    for (const f of freqs) {
      const m = measureTone(audio, f, window);
      // Samples are -1..1: ignore slices quieter than about -50 dBFS.
      if (m.rms > 0.003 && m.ratio > bestRatio) {
        best = f;
        bestRatio = m.ratio;
      }
    }
    if (best !== undefined && out[out.length - 1] !== best) out.push(best);
  }
  return out;
}
