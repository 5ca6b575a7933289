import { describe, expect, it } from 'vitest';
import {
  A_TO_MU_LAW, MU_TO_A_LAW, aLawToLinear, decodeALaw, decodeMuLaw, encodeALaw, encodeMuLaw,
  linearToALaw, linearToMuLaw, mapG711, muLawToLinear,
} from './g711.js';

describe('G.711 mu-law', () => {
  it('decodes the ITU-T reference values', () => {
    expect(muLawToLinear(0xff)).toBe(0);
    expect(muLawToLinear(0x7f)).toBe(0);
    expect(muLawToLinear(0x00)).toBe(-32124);
    expect(muLawToLinear(0x80)).toBe(32124);
    expect(muLawToLinear(0xfe)).toBe(8);
    expect(muLawToLinear(0x7e)).toBe(-8);
    expect(muLawToLinear(0xef)).toBe(132); // first code of segment 1
  });

  it('encodes zero, the extremes and clipping', () => {
    expect(linearToMuLaw(0)).toBe(0xff);
    expect(linearToMuLaw(32767)).toBe(0x80);
    expect(linearToMuLaw(-32768)).toBe(0x00);
    expect(linearToMuLaw(8)).toBe(0xfe);
    expect(linearToMuLaw(-8)).toBe(0x7e);
  });

  it('re-encodes every decoded code word to itself (but negative zero)', () => {
    for (let c = 0; c < 256; c++) {
      if (c === 0x7f) continue;
      expect(linearToMuLaw(muLawToLinear(c))).toBe(c);
    }
  });

  it('round-trips every 16-bit sample within the segment step and monotonically', () => {
    // Truncation to the quantized bits adds up to 3 (mu) or 7 (A) to the half step.
    let previous = -Infinity;
    let outOfBound = 0;
    let notMonotonic = 0;
    for (let s = -32768; s <= 32767; s++) {
      const back = muLawToLinear(linearToMuLaw(s));
      if (Math.abs(s) <= 32124 && Math.abs(back - s) > Math.max(12, Math.abs(s) / 12)) outOfBound++;
      if (back < previous) notMonotonic++;
      previous = back;
    }
    expect(outOfBound).toBe(0);
    expect(notMonotonic).toBe(0);
  });
});

describe('G.711 A-law', () => {
  it('decodes the ITU-T reference values', () => {
    expect(aLawToLinear(0xd5)).toBe(8);
    expect(aLawToLinear(0x55)).toBe(-8);
    expect(aLawToLinear(0xaa)).toBe(32256);
    expect(aLawToLinear(0x2a)).toBe(-32256);
  });

  it('encodes zero and the extremes', () => {
    expect(linearToALaw(0)).toBe(0xd5);
    expect(linearToALaw(-1)).toBe(0x55);
    expect(linearToALaw(32767)).toBe(0xaa);
    expect(linearToALaw(-32768)).toBe(0x2a);
  });

  it('re-encodes every decoded code word to itself', () => {
    for (let c = 0; c < 256; c++) expect(linearToALaw(aLawToLinear(c))).toBe(c);
  });

  it('round-trips every 16-bit sample within the segment step and monotonically', () => {
    // Truncation to the quantized bits adds up to 3 (mu) or 7 (A) to the half step.
    let previous = -Infinity;
    let outOfBound = 0;
    let notMonotonic = 0;
    for (let s = -32768; s <= 32767; s++) {
      const back = aLawToLinear(linearToALaw(s));
      if (Math.abs(s) <= 32256 && Math.abs(back - s) > Math.max(12, Math.abs(s) / 12)) outOfBound++;
      if (back < previous) notMonotonic++;
      previous = back;
    }
    expect(outOfBound).toBe(0);
    expect(notMonotonic).toBe(0);
  });
});

describe('G.711 buffers', () => {
  const pcm = Int16Array.from({ length: 160 }, (_, i) => Math.round(12000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)));

  it('writes into a passed buffer without allocating a new one and trims to the input', () => {
    const out = new Uint8Array(320);
    const encoded = encodeMuLaw(pcm, out);
    expect(encoded.buffer).toBe(out.buffer);
    expect(encoded.length).toBe(160);
    const samples = new Int16Array(160);
    const decoded = decodeMuLaw(encoded, samples);
    expect(decoded).toBe(samples);
    for (let i = 0; i < 160; i++) expect(Math.abs(decoded[i]! - pcm[i]!)).toBeLessThanOrEqual(Math.max(8, Math.abs(pcm[i]!) / 16));
  });

  it('keeps a sine at about 38 dB SNR in both laws', () => {
    for (const [enc, dec] of [[encodeMuLaw, decodeMuLaw], [encodeALaw, decodeALaw]] as const) {
      const back = dec(enc(pcm));
      let signal = 0;
      let noise = 0;
      for (let i = 0; i < pcm.length; i++) {
        signal += pcm[i]! ** 2;
        noise += (back[i]! - pcm[i]!) ** 2;
      }
      expect(10 * Math.log10(signal / noise)).toBeGreaterThan(33);
    }
  });

  it('maps PCMU to PCMA directly, matching decode then encode', () => {
    const mu = encodeMuLaw(pcm);
    const a = mapG711(mu, MU_TO_A_LAW);
    expect(Array.from(a)).toEqual(Array.from(encodeALaw(decodeMuLaw(mu))));
    const muAgain = mapG711(a, A_TO_MU_LAW);
    const drift = decodeMuLaw(muAgain).reduce((m, v, i) => Math.max(m, Math.abs(v - pcm[i]!)), 0);
    expect(drift).toBeLessThan(800);
  });
});
