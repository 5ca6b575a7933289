import { describe, expect, it } from 'vitest';
import { RtpSequenceTracker } from '../rtp/index.js';
import { msFromNtp, ntpFromMs } from './ntp-timestamp.js';
import type { RtcpSenderReport } from './rtcp-packet.js';
import { parseRtcpCompound } from './rtcp-parse.js';
import { serializeRtcpCompound } from './rtcp-serialize.js';
import {
  buildReportBlock,
  lastSenderReportFrom,
  roundTripTimeCompact,
  roundTripTimeMs,
} from './report-block.js';
import type { ReceptionStatistics } from './report-block.js';

const T0 = Date.UTC(2024, 0, 1);

describe('buildReportBlock', () => {
  it('fills every field from the tracker and the last SR', () => {
    const tracker = new RtpSequenceTracker({ clockRate: 8000, minSequential: 1 });
    // 65530..65545 (wrapping) with 65535 and 3 lost; one packet 16 ms late for jitter.
    let i = 0;
    for (let seq = 65530; seq <= 65545; seq++, i++) {
      if (seq === 65535 || seq === 65536 + 3) continue;
      tracker.receive(seq & 0xffff, i * 160, i * 20 + (seq === 65540 ? 16 : 0));
    }
    const lastSr = { ntpMiddle: 0x12345678, receivedAtMs: T0 };
    const block = buildReportBlock(0xcafe, tracker, lastSr, T0 + 1500);
    expect(block).toEqual({
      ssrc: 0xcafe,
      fractionLost: Math.floor((2 * 256) / 16),
      cumulativeLost: 2,
      extendedHighestSequence: 65545, // one wrap: 65536 + 9
      jitter: tracker.jitter,
      lastSenderReport: 0x12345678,
      delaySinceLastSenderReport: 1.5 * 65536,
    });
    expect(block.jitter).toBeGreaterThan(0);
    // The interval closed: the next block reports no new loss.
    expect(buildReportBlock(0xcafe, tracker, lastSr, T0 + 6500).fractionLost).toBe(0);
  });

  it('sends LSR and DLSR as zero before any SR', () => {
    const tracker = new RtpSequenceTracker({ clockRate: 8000 });
    const block = buildReportBlock(1, tracker, undefined, T0);
    expect([block.lastSenderReport, block.delaySinceLastSenderReport]).toEqual([0, 0]);
  });

  it('clamps cumulative loss to 24-bit signed', () => {
    const stats = (lost: number): ReceptionStatistics => ({
      takeFractionLost: () => 255, cumulativeLost: lost, extendedHighest: 0x1_0000_0005, jitter: 3,
    });
    expect(buildReportBlock(1, stats(20_000_000), undefined, T0).cumulativeLost).toBe(0x7fffff);
    expect(buildReportBlock(1, stats(-20_000_000), undefined, T0).cumulativeLost).toBe(-0x800000);
    // The extended highest sequence number is a 32-bit field.
    expect(buildReportBlock(1, stats(0), undefined, T0).extendedHighestSequence).toBe(5);
  });
});

describe('round-trip time (RFC 3550 6.4.1)', () => {
  it('computes the RFC example: A 46864.500 - LSR 46853.125 - DLSR 5.250 = 6.125 s', () => {
    expect(roundTripTimeCompact(0xb7108000, 0xb7052000, 0x00054000)).toBe(0x00062000);
    const arrivalMs = msFromNtp(0xe2c4b710, 0x80000000);
    const block = {
      ssrc: 1, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 0, jitter: 0,
      lastSenderReport: 0xb7052000, delaySinceLastSenderReport: 0x00054000,
    };
    expect(roundTripTimeMs(block, arrivalMs)).toBe(6125);
  });

  it('is undefined without an LSR and never negative', () => {
    expect(roundTripTimeCompact(0x1000, 0, 0)).toBeUndefined();
    expect(roundTripTimeCompact(0x1000, 0x2000, 0)).toBe(0);
  });

  it('measures 80 ms through an SR, a report block built from it, and its arrival', () => {
    // We send an SR at T0; it takes 40 ms; the far end answers 1 s later; 40 ms back.
    const ntp = ntpFromMs(T0);
    const sr: RtcpSenderReport = {
      type: 'sr', ssrc: 5, ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: 0,
      packetCount: 0, octetCount: 0, reports: [],
    };
    const [received] = parseRtcpCompound(serializeRtcpCompound([sr])) as RtcpSenderReport[];
    const farTracker = new RtpSequenceTracker({ clockRate: 8000 });
    const block = buildReportBlock(5, farTracker, lastSenderReportFrom(received!, T0 + 40), T0 + 1040);
    const rtt = roundTripTimeMs(block, T0 + 1080)!;
    expect(Math.abs(rtt - 80)).toBeLessThan(0.1);
  });
});
