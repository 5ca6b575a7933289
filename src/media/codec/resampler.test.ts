import { describe, expect, it } from 'vitest';
import { Resampler, type SampleRate } from './resampler.js';
import { fitTone, goertzelPower, sineWave } from './tone-measure.js';

/** Runs `input` through `resampler` in chunks of `chunk` samples; returns the joined output. */
function inChunks(resampler: Resampler, input: Int16Array, chunk: number): Int16Array {
  const parts: Int16Array[] = [];
  for (let at = 0; at < input.length; at += chunk) parts.push(Int16Array.from(resampler.process(input.subarray(at, at + chunk))));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const rates: SampleRate[] = [8000, 16000, 48000];

describe('Resampler', () => {
  for (const from of rates) {
    for (const to of rates) {
      it(`keeps a 1 kHz tone from ${from} to ${to} Hz in 20 ms frames`, () => {
        const resampler = new Resampler(from, to);
        const out = inChunks(resampler, sineWave(1000, from, from, 10000), from / 50);
        expect(out.length).toBe(to);
        const fit = fitTone(out, to, 1000, to / 10);
        expect(fit.snrDb).toBeGreaterThan(50);
        expect(Math.abs(20 * Math.log10(fit.amplitude / 10000))).toBeLessThan(0.2);
      });
    }
  }

  it('carries a 1 kHz tone through 8k -> 48k -> 8k', () => {
    const up = new Resampler(8000, 48000);
    const down = new Resampler(48000, 8000);
    const input = sineWave(1000, 8000, 8000, 12000);
    const out = new Int16Array(8000);
    for (let at = 0; at < 8000; at += 160) out.set(down.process(up.process(input.subarray(at, at + 160))), at);
    const fit = fitTone(out, 8000, 1000, 800);
    expect(fit.snrDb).toBeGreaterThan(45);
    expect(fit.amplitude).toBeGreaterThan(11700);
    expect(fit.amplitude).toBeLessThan(12300);
    // The total delay is the two filters' delays, in 8 kHz samples.
    expect(up.delay / 6 + down.delay).toBeCloseTo((143 / 2) / 6 + (143 / 2) / 6, 5);
  });

  it('attenuates a 6 kHz tone strongly when going from 16 kHz to 8 kHz', () => {
    const down = new Resampler(16000, 8000);
    const input = sineWave(6000, 16000, 16000, 16000);
    const out = inChunks(down, input, 320);
    let energy = 0;
    for (let i = 800; i < out.length; i++) energy += out[i]! ** 2;
    const rms = Math.sqrt(energy / (out.length - 800));
    const inputRms = 16000 / Math.SQRT2;
    expect(20 * Math.log10(rms / inputRms)).toBeLessThan(-55);
    // Folded, it would have appeared at 2 kHz.
    expect(goertzelPower(out, 8000, 2000, 800)).toBeLessThan(1);
  });

  it('passes the telephone band (3 kHz) going down to 8 kHz within 1 dB', () => {
    const out = inChunks(new Resampler(48000, 8000), sineWave(3000, 48000, 48000, 10000), 960);
    const fit = fitTone(out, 8000, 3000, 800);
    expect(Math.abs(20 * Math.log10(fit.amplitude / 10000))).toBeLessThan(1);
  });

  it('produces the same samples whatever the frame cut (no clicks at frame boundaries)', () => {
    for (const [from, to] of [[8000, 48000], [48000, 8000], [16000, 8000], [48000, 16000]] as const) {
      const input = sineWave(700, from, from / 2, 9000);
      const whole = Int16Array.from(new Resampler(from, to).process(input));
      const cut = inChunks(new Resampler(from, to), input, 37);
      expect(cut.length).toBe(whole.length);
      expect(Array.from(cut)).toEqual(Array.from(whole));
    }
  });

  it('writes into a passed buffer and reuses its own between calls', () => {
    const up = new Resampler(8000, 16000);
    const out = new Int16Array(400);
    const result = up.process(new Int16Array(160), out);
    expect(result.buffer).toBe(out.buffer);
    expect(result.length).toBe(320);
    const a = up.process(new Int16Array(160));
    const b = up.process(new Int16Array(160));
    expect(a).toBe(b);
    expect(up.outputLength(160)).toBe(320);
    expect(new Resampler(48000, 8000).outputLength(960)).toBe(160);
  });

  it('rejects rates without an integer ratio', () => {
    expect(() => new Resampler(8000, 12000 as SampleRate)).toThrow(RangeError);
  });
});
