/**
 * NTP timestamps for RTCP (RFC 3550 4): seconds since 1900 and a 32-bit binary fraction.
 * Time comes in as milliseconds since the Unix epoch from the caller's Clock.
 */

/** Seconds from 1900-01-01 to 1970-01-01. */
export const NTP_UNIX_OFFSET_SECONDS = 2_208_988_800;
const TWO_32 = 0x1_0000_0000;

export interface NtpTimestamp {
  /** Seconds since 1900, modulo 2^32 (era 1 starts in 2036). */
  seconds: number;
  /** Fraction of a second in units of 2^-32 s. */
  fraction: number;
}

/** The NTP timestamp for `ms` since the Unix epoch. */
export function ntpFromMs(ms: number): NtpTimestamp {
  const wholeSeconds = Math.floor(ms / 1000);
  const fraction = Math.floor(((ms - wholeSeconds * 1000) / 1000) * TWO_32);
  return { seconds: (wholeSeconds + NTP_UNIX_OFFSET_SECONDS) % TWO_32, fraction: Math.min(fraction, TWO_32 - 1) };
}

/**
 * Milliseconds since the Unix epoch for an NTP timestamp. Seconds with the top bit clear are
 * read as era 1 (after 2036-02-07), the usual convention (RFC 4330 3).
 */
export function msFromNtp(seconds: number, fraction: number): number {
  const era = seconds < 0x8000_0000 ? TWO_32 : 0;
  return (seconds + era - NTP_UNIX_OFFSET_SECONDS) * 1000 + (fraction / TWO_32) * 1000;
}

/** The middle 32 bits of an NTP timestamp (16.16 fixed point), as LSR and RTT use them. */
export function ntpMiddle32(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/** The middle 32 bits of the NTP timestamp for `ms` since the Unix epoch. */
export function ntpMiddle32FromMs(ms: number): number {
  const t = ntpFromMs(ms);
  return ntpMiddle32(t.seconds, t.fraction);
}
