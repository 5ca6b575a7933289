/**
 * The RTCP side of one endpoint (RFC 3550 6): remembers what we sent (for SR), the far
 * end's SSRC and last SR (for LSR/DLSR), feeds report blocks about our stream into the
 * quality meter (round-trip time, remote loss), and builds our compound SR/RR + SDES.
 * Wall-clock time (ms since the epoch) for NTP fields; monotonic time for RTP extrapolation.
 */
import type { LastSenderReport, RtcpPacket } from '../rtcp/index.js';
import { buildReportBlock, cnameChunk, lastSenderReportFrom, ntpFromMs, parseRtcpCompound, serializeRtcpCompound } from '../rtcp/index.js';
import type { LegQualityMeter } from '../quality/index.js';

export class RtcpSession {
  private remoteSsrc = -1;
  private lastSr: LastSenderReport | undefined;
  private packetCount = 0;
  private octetCount = 0;
  private sentSinceReport = false;
  private lastRtpTimestamp = 0;
  private lastRtpAtMs = 0;
  received = 0;
  sent = 0;

  constructor(
    readonly ssrc: number,
    private readonly cname: string,
    public meter: LegQualityMeter,
    public clockRate: number,
  ) {}

  /** Accounts one RTP packet we sent (timestamp as sent, payload octets). */
  onRtpSent(timestamp: number, payloadOctets: number, monotonicMs: number): void {
    this.packetCount++;
    this.octetCount += payloadOctets;
    this.sentSinceReport = true;
    this.lastRtpTimestamp = timestamp;
    this.lastRtpAtMs = monotonicMs;
  }

  /** The SSRC of the stream we receive (the subject of our report blocks). */
  onRtpReceived(ssrc: number): void {
    this.remoteSsrc = ssrc;
  }

  /** Takes in a compound RTCP packet from the far end; malformed ones are ignored. */
  receive(buf: Uint8Array, wallMs: number): void {
    const packets = parseRtcpCompound(buf);
    if (!Array.isArray(packets)) return;
    this.received++;
    for (const p of packets) {
      if (p.type === 'sr') {
        if (this.remoteSsrc < 0 || p.ssrc === this.remoteSsrc) this.lastSr = lastSenderReportFrom(p, wallMs);
      }
      if (p.type === 'sr' || p.type === 'rr') {
        for (const block of p.reports) if (block.ssrc === this.ssrc) this.meter.onReportBlock(block, wallMs);
      }
    }
  }

  /** Our next compound report: SR if we sent RTP since the last one, else RR; then SDES CNAME. */
  buildReport(wallMs: number, monotonicMs: number): Buffer {
    const tracker = this.meter.tracker;
    const reports = this.remoteSsrc >= 0 && tracker.valid
      ? [buildReportBlock(this.remoteSsrc, tracker, this.lastSr, wallMs)]
      : [];
    const packets: RtcpPacket[] = [];
    if (this.sentSinceReport) {
      const ntp = ntpFromMs(wallMs);
      const elapsed = Math.round(((monotonicMs - this.lastRtpAtMs) * this.clockRate) / 1000);
      packets.push({
        type: 'sr',
        ssrc: this.ssrc,
        ntpSeconds: ntp.seconds,
        ntpFraction: ntp.fraction,
        rtpTimestamp: (this.lastRtpTimestamp + Math.max(0, elapsed)) >>> 0,
        packetCount: this.packetCount >>> 0,
        octetCount: this.octetCount >>> 0,
        reports,
      });
    } else {
      packets.push({ type: 'rr', ssrc: this.ssrc, reports });
    }
    packets.push({ type: 'sdes', chunks: [cnameChunk(this.ssrc, this.cname)] });
    this.sentSinceReport = false;
    this.sent++;
    return serializeRtcpCompound(packets);
  }
}
