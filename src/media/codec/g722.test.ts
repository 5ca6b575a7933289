import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { G722Decoder } from './g722-decoder.js';
import { G722Encoder } from './g722-encoder.js';
import { fitTone, goertzelPower, sineWave } from './tone-measure.js';

const RATE = 16000;
const FRAME = 320; // 20 ms at 16 kHz

/** Encodes and decodes `pcm` 20 ms at a time, as RTP would carry it; returns all bytes and audio. */
function roundTrip(pcm: Int16Array): { bytes: Uint8Array[]; audio: Int16Array } {
  const encoder = new G722Encoder();
  const decoder = new G722Decoder();
  const audio = new Int16Array(pcm.length);
  const bytes: Uint8Array[] = [];
  for (let at = 0; at + FRAME <= pcm.length; at += FRAME) {
    const payload = encoder.encode(pcm.subarray(at, at + FRAME));
    bytes.push(payload);
    audio.set(decoder.decode(payload), at);
  }
  return { bytes, audio };
}

describe('G.722 64 kbit/s', () => {
  it('codes 20 ms of 16 kHz audio in 160 bytes', () => {
    const { bytes } = roundTrip(sineWave(1000, RATE, FRAME * 5));
    expect(bytes).toHaveLength(5);
    for (const payload of bytes) expect(payload.length).toBe(160);
  });

  for (const frequency of [1000, 5000]) {
    it(`keeps a ${frequency} Hz tone at its frequency with SNR above 20 dB`, () => {
      const input = sineWave(frequency, RATE, RATE, 10000);
      const { audio } = roundTrip(input);
      // Skip the first 100 ms: the ADPCM scale factors adapt and the QMF pair adds 23 samples of delay.
      const start = 1600;
      const fit = fitTone(audio, RATE, frequency, start, audio.length);
      expect(fit.snrDb).toBeGreaterThan(20);
      expect(fit.amplitude).toBeGreaterThan(8000);
      expect(fit.amplitude).toBeLessThan(12000);
      // The energy is at the input frequency, not elsewhere (e.g. mirrored around 4 kHz by the QMF).
      const at = goertzelPower(audio, RATE, frequency, start);
      const mirrored = goertzelPower(audio, RATE, 8000 - frequency, start);
      const offBin = goertzelPower(audio, RATE, frequency + 700, start);
      expect(at).toBeGreaterThan(100 * mirrored);
      expect(at).toBeGreaterThan(100 * offBin);
    });
  }

  it('has a group delay of 22 samples through the QMF pair and matches the input once aligned', () => {
    // Pseudo-random noise: unlike a sine its autocorrelation has a single peak.
    let seed = 1;
    const input = Int16Array.from({ length: RATE }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return ((seed >>> 16) & 0x7fff) - 16384 >> 2;
    });
    const { audio } = roundTrip(input);
    let bestLag = -1;
    let best = -Infinity;
    for (let lag = 0; lag < 64; lag++) {
      let corr = 0;
      for (let i = 2000; i < 14000; i++) corr += input[i]! * audio[i + lag]!;
      if (corr > best) {
        best = corr;
        bestLag = lag;
      }
    }
    expect(bestLag).toBe(22);
    let signal = 0;
    let noise = 0;
    for (let i = 2000; i < 14000; i++) {
      signal += input[i]! ** 2;
      noise += (audio[i + bestLag]! - input[i]!) ** 2;
    }
    // White noise puts half its energy in the 2-bit high band.
    expect(10 * Math.log10(signal / noise)).toBeGreaterThan(8);
  });

  it('codes silence as a stable idle pattern that decodes to near silence', () => {
    const silence = new Int16Array(FRAME * 500); // 10 s
    const first = roundTrip(silence);
    const second = roundTrip(silence);
    expect(first.bytes.map((b) => Buffer.from(b).toString('hex'))).toEqual(second.bytes.map((b) => Buffer.from(b).toString('hex')));
    const codes = new Set<number>();
    for (const payload of first.bytes.slice(5)) for (const code of payload) codes.add(code);
    // Only the smallest quantizer steps are used: the scale factors stay at their minimum.
    for (const code of codes) expect(code >> 6).toBe(3);
    expect(codes.size).toBeLessThan(40);
    let peak = 0;
    for (let i = FRAME * 5; i < first.audio.length; i++) peak = Math.max(peak, Math.abs(first.audio[i]!));
    expect(peak).toBeLessThan(16);
  });

  it('is bit-exact with an independent implementation (FFmpeg 5.1 g722, trellis off)', () => {
    // Input: 1 kHz at 9000 plus 5.3 kHz at 4000 (from sample 7), one second. The hashes are of
    // `ffmpeg -f s16le -ar 16000 -i in.raw -c:a g722 -f g722` and of FFmpeg decoding that stream.
    const a = sineWave(1000, RATE, RATE, 9000);
    const b = sineWave(5300, RATE, RATE, 4000, 7);
    const input = a.map((v, i) => v + b[i]!);
    const { bytes, audio } = roundTrip(input);
    const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
    expect(sha256(Buffer.concat(bytes))).toBe('c91dbb29423f4f1f3c2fbd5c589cd070fee4ae2615f0f9f61f605a0ed78d4cb7');
    expect(sha256(new Uint8Array(audio.buffer))).toBe('39f4f593e5307d487024c0dadaf6533a85c57012722eb97a998c54c68f6fe26f');
  });

  it('writes into passed buffers', () => {
    const encoder = new G722Encoder();
    const decoder = new G722Decoder();
    const out = new Uint8Array(400);
    const payload = encoder.encode(sineWave(1000, RATE, FRAME), out);
    expect(payload.buffer).toBe(out.buffer);
    expect(payload.length).toBe(160);
    const pcm = new Int16Array(640);
    expect(decoder.decode(payload, pcm).buffer).toBe(pcm.buffer);
  });

  it('decoder survives arbitrary bytes with saturated output', () => {
    const decoder = new G722Decoder();
    const noise = Uint8Array.from({ length: 8000 }, (_, i) => (i * 131 + 7) & 0xff);
    const out = decoder.decode(noise);
    expect(out.length).toBe(16000);
    for (const v of out) expect(Number.isInteger(v) && v >= -32768 && v <= 32767).toBe(true);
  });
});
