import { describe, expect, it } from 'vitest';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, linearToAlaw, linearToMulaw } from './g711.js';

describe('G.711 (local, for WAV)', () => {
  it('decodes reference values', () => {
    expect([MULAW_TO_LINEAR[0xff], MULAW_TO_LINEAR[0x7f], MULAW_TO_LINEAR[0x00], MULAW_TO_LINEAR[0x80]]).toEqual([0, 0, -32124, 32124]);
    expect([ALAW_TO_LINEAR[0xd5], ALAW_TO_LINEAR[0x55], ALAW_TO_LINEAR[0xaa], ALAW_TO_LINEAR[0x2a]]).toEqual([8, -8, 32256, -32256]);
  });

  it('encodes every decoded value back to a code with the same value', () => {
    for (let b = 0; b < 256; b++) {
      expect(MULAW_TO_LINEAR[linearToMulaw(MULAW_TO_LINEAR[b]!)]).toBe(MULAW_TO_LINEAR[b]);
      expect(linearToAlaw(ALAW_TO_LINEAR[b]!)).toBe(b);
    }
  });

  it('quantizes to the middle of the interval holding the sample, monotonically, over the whole 16-bit range', () => {
    // Plain checks collected into one assertion: 65,536 expect() calls take seconds.
    const bad: string[] = [];
    let prevU = -Infinity;
    let prevA = -Infinity;
    for (let x = -32768; x <= 32767; x++) {
      const cu = linearToMulaw(x);
      const ca = linearToAlaw(x);
      const u = MULAW_TO_LINEAR[cu]!;
      const a = ALAW_TO_LINEAR[ca]!;
      if (u < prevU || a < prevA) bad.push(`not monotonic at ${x}`);
      prevU = u;
      prevA = a;
      if (Math.abs(x) < 32000) {
        // mu-law interval width is 8 << exponent; A-law works on 13 bits, width 16 << max(segment-1, 0).
        const e = (~cu >> 4) & 7;
        if (Math.abs(u - x) > (8 << e) / 2) bad.push(`mu-law ${x} -> ${u}`);
        const sgm = ((ca ^ 0x55) >> 4) & 7;
        if (Math.abs(a - x) > (16 << Math.max(sgm - 1, 0)) / 2 + 8) bad.push(`A-law ${x} -> ${a}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
