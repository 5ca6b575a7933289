/**
 * Sending state of one generated RTP stream (prompts, tones, mixer output): random initial
 * SSRC, sequence number and timestamp (RFC 3550 5.1 says they SHOULD be random), and
 * packets built into a caller's buffer so a 20 ms loop allocates nothing.
 */
import type { RandomSource } from '../../core/index.js';
import { writeU16, writeU32 } from './network-byte-order.js';
import { RTP_FIXED_HEADER_LENGTH, RTP_VERSION } from './rtp-packet.js';

export interface RtpSenderOptions {
  payloadType: number;
  clockRate: number;
  random: RandomSource;
  /** A fixed SSRC instead of a random one (e.g. to keep one after a re-INVITE). */
  ssrc?: number;
}

export class RtpSender {
  readonly ssrc: number;
  readonly clockRate: number;
  payloadType: number;
  private seq: number;
  private ts: number;
  private markNext = true;
  private packets = 0;
  private octets = 0;

  constructor(options: RtpSenderOptions) {
    this.payloadType = options.payloadType & 0x7f;
    this.clockRate = options.clockRate;
    this.ssrc = options.ssrc !== undefined ? options.ssrc >>> 0 : options.random.bytes(4).readUInt32BE(0);
    this.seq = options.random.int(0x10000);
    this.ts = options.random.bytes(4).readUInt32BE(0);
  }

  /** Sequence number the next packet will carry. */
  get nextSequenceNumber(): number {
    return this.seq;
  }
  /** Timestamp the next packet will carry. */
  get nextTimestamp(): number {
    return this.ts;
  }
  /** Packets sent so far (the SR sender's packet count). */
  get packetCount(): number {
    return this.packets;
  }
  /** Payload octets sent so far (the SR sender's octet count). */
  get octetCount(): number {
    return this.octets;
  }

  /**
   * Writes the next packet (header + payload) into `out` at 0 and returns its length; the
   * timestamp then advances by `samples` (e.g. 160 for 20 ms at 8 kHz).
   */
  writeNext(payload: Uint8Array, samples: number, out: Uint8Array): number {
    const total = RTP_FIXED_HEADER_LENGTH + payload.length;
    if (out.length < total) throw new RangeError('output buffer too small for the RTP packet');
    out[0] = RTP_VERSION << 6;
    out[1] = (this.markNext ? 0x80 : 0) | this.payloadType;
    writeU16(out, 2, this.seq);
    writeU32(out, 4, this.ts);
    writeU32(out, 8, this.ssrc);
    out.set(payload, RTP_FIXED_HEADER_LENGTH);
    this.markNext = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + samples) >>> 0;
    this.packets++;
    this.octets += payload.length;
    return total;
  }

  /** Builds the next packet in a new Buffer. */
  next(payload: Uint8Array, samples: number): Buffer {
    const out = Buffer.allocUnsafe(RTP_FIXED_HEADER_LENGTH + payload.length);
    this.writeNext(payload, samples, out);
    return out;
  }

  /**
   * Time passes without packets (silence, pause): the timestamp advances, the sequence does not,
   * and the next packet starts a talkspurt with the marker bit (RFC 3551 4.1).
   */
  skip(samples: number): void {
    this.ts = (this.ts + samples) >>> 0;
    this.markNext = true;
  }

  /** Sets the marker bit on the next packet (start of a talkspurt). */
  markTalkspurt(): void {
    this.markNext = true;
  }
}
