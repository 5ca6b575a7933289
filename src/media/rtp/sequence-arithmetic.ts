/**
 * Serial-number arithmetic for RTP's 16-bit sequence numbers and 32-bit timestamps
 * (both wrap; RFC 3550 5.1 and RFC 1982 style comparison).
 */

export const RTP_SEQ_MOD = 0x10000;

/** Signed distance a -> b for 16-bit sequence numbers, in [-32768, 32767]. */
export function sequenceDelta(from: number, to: number): number {
  return (((to - from) & 0xffff) << 16) >> 16;
}

/** Signed distance a -> b for 32-bit RTP timestamps, in [-2^31, 2^31). */
export function timestampDelta(from: number, to: number): number {
  return (to - from) | 0;
}

/** True when sequence number a comes before b (modulo 2^16). */
export function sequenceBefore(a: number, b: number): boolean {
  return sequenceDelta(a, b) > 0;
}
