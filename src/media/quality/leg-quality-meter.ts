/**
 * Quality of one call leg's received audio: our own counters (RFC 3550 A.1/A.8 through an
 * RtpSequenceTracker), the round-trip time from the far end's RTCP report blocks, and an
 * E-model MOS. Snapshots feed the worker's `stats` event and the call record.
 */
import type { RtcpReportBlock } from '../rtcp/index.js';
import { roundTripTimeMs } from '../rtcp/index.js';
import { RtpSequenceTracker } from '../rtp/index.js';
import type { RtpReceiveOutcome } from '../rtp/index.js';
import { codecImpairment } from './codec-impairment.js';
import type { CodecImpairment } from './codec-impairment.js';
import { eModel, oneWayDelayMs } from './e-model.js';

export interface LegQualityMeterOptions {
  /** SDP encoding name of the received codec (PCMU, PCMA, G722, opus). */
  codec: string;
  clockRate: number;
  /** Whether the receiver conceals lost packets (default true). */
  plc?: boolean;
  /** Share the endpoint's tracker instead of keeping one here (it is then fed elsewhere). */
  tracker?: RtpSequenceTracker;
}

export interface QualitySnapshot {
  /** Packets received (late and duplicates included, RFC 3550 6.4.1). */
  packets: number;
  /** Packets lost (expected minus received, never negative). */
  lost: number;
  jitterMs: number;
  /** Round-trip time from RTCP; undefined until a report block with LSR arrived. */
  rttMs: number | undefined;
  mos: number;
  /** What the far end reports about the audio we send, when it sends reports. */
  remote?: { fractionLost: number; cumulativeLost: number; jitterMs: number };
}

export class LegQualityMeter {
  readonly tracker: RtpSequenceTracker;
  private readonly codec: CodecImpairment;
  private rtt: number | undefined;
  private jitterBufferMs: number | undefined;
  private remote: QualitySnapshot['remote'];
  private readonly clockRate: number;

  constructor(options: LegQualityMeterOptions) {
    this.clockRate = options.clockRate;
    this.codec = codecImpairment(options.codec, options.plc ?? true);
    // A leg's peer is already latched by signalling: count from its first packet.
    this.tracker = options.tracker ?? new RtpSequenceTracker({ clockRate: options.clockRate, minSequential: 1 });
  }

  /** Accounts one received RTP packet. */
  receive(seq: number, timestamp: number, arrivalMs: number): RtpReceiveOutcome {
    return this.tracker.receive(seq, timestamp, arrivalMs);
  }

  /** A report block about our outgoing stream: round-trip time and the far end's view. */
  onReportBlock(block: RtcpReportBlock, arrivalMs: number): void {
    const rtt = roundTripTimeMs(block, arrivalMs);
    if (rtt !== undefined) this.rtt = rtt;
    this.remote = {
      fractionLost: block.fractionLost / 256,
      cumulativeLost: block.cumulativeLost,
      jitterMs: (block.jitter * 1000) / this.clockRate,
    };
  }

  /** Round-trip time learnt another way (e.g. ICE consent checks). */
  setRoundTripTime(ms: number): void {
    this.rtt = ms;
  }

  /** The delay of the jitter buffer decoding this leg, when there is one. */
  setJitterBufferDelay(ms: number): void {
    this.jitterBufferMs = ms;
  }

  /** Loss in percent of expected packets since the start. */
  get packetLossPercent(): number {
    const expected = this.tracker.packetsExpected;
    return expected > 0 ? (Math.max(0, this.tracker.cumulativeLost) * 100) / expected : 0;
  }

  snapshot(): QualitySnapshot {
    const jitterMs = this.tracker.jitterMs;
    // Without a buffer of ours, assume the phone's adaptive buffer holds about twice the jitter.
    const buffer = this.jitterBufferMs ?? Math.max(20, 2 * jitterMs);
    const { mos } = eModel({
      codec: this.codec,
      oneWayDelayMs: oneWayDelayMs(this.rtt ?? 0, buffer),
      packetLossPercent: this.packetLossPercent,
    });
    const snap: QualitySnapshot = {
      packets: this.tracker.packetsReceived,
      lost: Math.max(0, this.tracker.cumulativeLost),
      jitterMs,
      rttMs: this.rtt,
      mos: Math.round(mos * 100) / 100,
    };
    if (this.remote) snap.remote = { ...this.remote };
    return snap;
  }
}
