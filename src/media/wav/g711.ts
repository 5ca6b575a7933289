/**
 * Minimal G.711 for WAV files (ITU-T G.711, the classic Sun reference algorithms): decode by
 * 256-entry tables, encode by segment search. Kept here so the WAV code has no dependency on the
 * codec folder.
 */

function decodeMulaw(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 7;
  const sample = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return u & 0x80 ? -sample : sample;
}

function decodeAlaw(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const t = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? t : -t;
}

/** mu-law byte -> 16-bit linear. */
export const MULAW_TO_LINEAR: Int16Array = Int16Array.from({ length: 256 }, (_, i) => decodeMulaw(i));
/** A-law byte -> 16-bit linear. */
export const ALAW_TO_LINEAR: Int16Array = Int16Array.from({ length: 256 }, (_, i) => decodeAlaw(i));

/** 16-bit linear -> mu-law byte. */
export function linearToMulaw(sample: number): number {
  let x = sample;
  const sign = x < 0 ? 0x80 : 0;
  if (sign) x = -x;
  if (x > 32635) x = 32635;
  x += 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (x & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  return ~(sign | (exponent << 4) | ((x >> (exponent + 3)) & 0x0f)) & 0xff;
}

/** 16-bit linear -> A-law byte. */
export function linearToAlaw(sample: number): number {
  let x = sample >> 3; // 13-bit magnitude domain
  let mask: number;
  if (x >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    x = -x - 1;
  }
  let segment = 0;
  while (segment < 8 && x > (0x20 << segment) - 1) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  const mantissa = segment < 2 ? (x >> 1) & 0x0f : (x >> segment) & 0x0f;
  return ((segment << 4) | mantissa) ^ mask;
}
