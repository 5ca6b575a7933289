/**
 * Reception report blocks from our receive statistics, and round-trip time from the blocks
 * the far end sends back (RFC 3550 6.4.1, A.3, A.8). Times are passed in (ms since epoch).
 */
import { ntpMiddle32, ntpMiddle32FromMs } from './ntp-timestamp.js';
import type { RtcpReportBlock, RtcpSenderReport } from './rtcp-packet.js';

/** The receive statistics a report block is made from (RtpSequenceTracker has them). */
export interface ReceptionStatistics {
  takeFractionLost(): number;
  readonly cumulativeLost: number;
  readonly extendedHighest: number;
  readonly jitter: number;
}

/** What we remember of the last SR received from a source, for LSR and DLSR. */
export interface LastSenderReport {
  /** Middle 32 bits of the SR's NTP timestamp. */
  ntpMiddle: number;
  /** When it arrived (ms since epoch). */
  receivedAtMs: number;
}

/** Records an SR's arrival for later report blocks. */
export function lastSenderReportFrom(sr: RtcpSenderReport, receivedAtMs: number): LastSenderReport {
  return { ntpMiddle: ntpMiddle32(sr.ntpSeconds, sr.ntpFraction), receivedAtMs };
}

/**
 * A report block about `ssrc` from its tracker. Closes the tracker's reporting interval
 * (fraction lost counts from here on), so call it once per report sent.
 */
export function buildReportBlock(
  ssrc: number,
  tracker: ReceptionStatistics,
  lastSr: LastSenderReport | undefined,
  nowMs: number,
): RtcpReportBlock {
  const dlsr = lastSr ? Math.round(((nowMs - lastSr.receivedAtMs) * 65536) / 1000) : 0;
  return {
    ssrc: ssrc >>> 0,
    fractionLost: tracker.takeFractionLost(),
    // The field is signed 24 bits: clamp rather than wrap (RFC 3550 6.4.1).
    cumulativeLost: Math.max(-0x800000, Math.min(0x7fffff, tracker.cumulativeLost)),
    extendedHighestSequence: tracker.extendedHighest >>> 0,
    jitter: Math.min(tracker.jitter, 0xffffffff) >>> 0,
    lastSenderReport: lastSr ? lastSr.ntpMiddle : 0,
    delaySinceLastSenderReport: Math.max(0, Math.min(dlsr, 0xffffffff)),
  };
}

/**
 * Round-trip time in 1/65536 s from compact NTP values: A - LSR - DLSR (RFC 3550 6.4.1).
 * Undefined when the block carries no LSR; 0 if clocks make it negative.
 */
export function roundTripTimeCompact(arrivalNtpMiddle: number, lsr: number, dlsr: number): number | undefined {
  if (lsr === 0) return undefined;
  const rtt = (arrivalNtpMiddle - lsr - dlsr) | 0;
  return rtt < 0 ? 0 : rtt;
}

/** Round-trip time in ms from a report block about our stream, received at `arrivalMs`. */
export function roundTripTimeMs(block: RtcpReportBlock, arrivalMs: number): number | undefined {
  const rtt = roundTripTimeCompact(ntpMiddle32FromMs(arrivalMs), block.lastSenderReport, block.delaySinceLastSenderReport);
  return rtt === undefined ? undefined : (rtt * 1000) / 65536;
}
