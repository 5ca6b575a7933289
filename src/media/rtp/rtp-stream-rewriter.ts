/**
 * Keeps one outgoing RTP stream continuous while its source changes (a prompt, then the
 * bridged leg, then music on hold): the far end sees one SSRC whose sequence numbers and
 * timestamps carry on (offset mapping, RFC 3550 7.3 for translators), with the marker bit on
 * the first packet after each switch so its jitter buffer resynchronises.
 */
import type { RandomSource } from '../../core/index.js';
import { readU16, readU32, writeU16, writeU32 } from './network-byte-order.js';

export interface RtpStreamRewriterOptions {
  clockRate: number;
  random: RandomSource;
  /** Outgoing SSRC; random when absent. */
  ssrc?: number;
  /** Samples per packet assumed at a switch when time has not moved (default 20 ms). */
  frameSamples?: number;
}

export class RtpStreamRewriter {
  readonly ssrc: number;
  private readonly clockRate: number;
  private readonly frameSamples: number;
  private sourceSsrc = -1;
  private forceSwitch = true;
  private seqOffset = 0;
  private tsOffset = 0;
  // Last packet sent out, in the outgoing numbering.
  private lastOutSeq: number;
  private lastOutTs: number;
  private lastOutMs = Number.NaN;
  private switchCount = 0;

  constructor(options: RtpStreamRewriterOptions) {
    this.clockRate = options.clockRate;
    this.frameSamples = options.frameSamples ?? Math.round(options.clockRate / 50);
    this.ssrc = options.ssrc !== undefined ? options.ssrc >>> 0 : options.random.bytes(4).readUInt32BE(0);
    // "Last sent" starts one before a random origin so the first packet lands on it.
    this.lastOutSeq = options.random.int(0x10000);
    this.lastOutTs = options.random.bytes(4).readUInt32BE(0);
  }

  /** Source changes seen (the first source included). */
  get switches(): number {
    return this.switchCount;
  }

  /** Treats the next packet as a new source even if its SSRC is unchanged (e.g. a player restarted). */
  switchSource(): void {
    this.forceSwitch = true;
  }

  /**
   * Rewrites SSRC, sequence number and timestamp of a validated RTP packet in place, and the
   * marker bit on a source switch. `nowMs` is the send time, used to size the timestamp gap.
   */
  rewrite(buf: Uint8Array, nowMs: number): void {
    const inSsrc = readU32(buf, 8);
    const inSeq = readU16(buf, 2);
    const inTs = readU32(buf, 4);
    if (this.forceSwitch || inSsrc !== this.sourceSsrc) {
      this.forceSwitch = false;
      this.sourceSsrc = inSsrc;
      this.switchCount++;
      // Continue one packet after the last one sent, the timestamp moved by the time elapsed.
      let gap = this.frameSamples;
      if (!Number.isNaN(this.lastOutMs)) {
        const elapsed = Math.round(((nowMs - this.lastOutMs) * this.clockRate) / 1000);
        if (elapsed > gap) gap = elapsed;
      }
      const outSeq = (this.lastOutSeq + 1) & 0xffff;
      const outTs = (this.lastOutTs + gap) >>> 0;
      this.seqOffset = (outSeq - inSeq) & 0xffff;
      this.tsOffset = (outTs - inTs) >>> 0;
      buf[1] = buf[1]! | 0x80;
    }
    const outSeq = (inSeq + this.seqOffset) & 0xffff;
    const outTs = (inTs + this.tsOffset) >>> 0;
    writeU16(buf, 2, outSeq);
    writeU32(buf, 4, outTs);
    writeU32(buf, 8, this.ssrc);
    // Late packets of the current source keep their place; only the newest moves "last sent".
    if (((outSeq - this.lastOutSeq) & 0xffff) < 0x8000) {
      this.lastOutSeq = outSeq;
      this.lastOutTs = outTs;
      this.lastOutMs = nowMs;
    }
  }
}
