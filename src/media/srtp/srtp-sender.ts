import { SrtpCipher } from './srtp-cipher.js';
import type { DerivedKeys } from './key-derivation.js';
import { RtpIndexTracker } from './packet-index.js';
import { rtpHeaderLength } from './rtp-header-length.js';
import type { SrtpProfile } from './srtp-profile.js';
import { SRTP_FAILURE, srtpSuccess, type SrtpResult } from './srtp-result.js';

const SRTCP_E_BIT = 0x80000000;

/** The sending half of an SRTP session: protects our RTP and RTCP with our master key. */
export class SrtpSender {
  private readonly rtp: SrtpCipher;
  private readonly rtcp: SrtpCipher;
  private readonly streams = new Map<number, RtpIndexTracker>();
  private readonly rtcpIndexes = new Map<number, number>();

  constructor(
    private readonly profile: SrtpProfile,
    keys: DerivedKeys,
    private readonly mki: Buffer = Buffer.alloc(0),
  ) {
    this.rtp = new SrtpCipher(keys.rtp);
    this.rtcp = new SrtpCipher(keys.rtcp);
  }

  /** Rollover counter currently used for `ssrc` (0 before its first packet). */
  rolloverCounter(ssrc: number): number {
    return this.streams.get(ssrc)?.rolloverCounter ?? 0;
  }

  /** Encrypts and authenticates one RTP packet (RFC 3711 3.3; RFC 7714 8 for GCM). */
  protectRtp(packet: Buffer): SrtpResult {
    const hdr = rtpHeaderLength(packet);
    if (hdr < 0) return SRTP_FAILURE.malformed;
    const seq = packet.readUInt16BE(2);
    const ssrc = packet.readUInt32BE(8);
    let tracker = this.streams.get(ssrc);
    if (tracker === undefined) {
      tracker = new RtpIndexTracker();
      this.streams.set(ssrc, tracker);
    }
    let index = tracker.estimate(seq);
    if (index < 0) index = seq; // a resend from before our first packet: stay on ROC 0
    tracker.update(index);
    const roc = Math.floor(index / 0x10000);
    const len = packet.length;
    const mkiLen = this.mki.length;
    const tagLen = this.profile.rtpTagLength;
    const out = Buffer.allocUnsafe(len + mkiLen + tagLen);
    packet.copy(out, 0, 0, hdr);

    if (this.profile.aead) {
      const nonce = this.rtp.rtpNonce(ssrc, roc, seq);
      const [ct, tag] = this.rtp.gcmSeal(nonce, packet.subarray(0, hdr), undefined, packet.subarray(hdr));
      ct.copy(out, hdr);
      tag.copy(out, len);
      this.mki.copy(out, len + tagLen);
      return srtpSuccess(out);
    }
    this.rtp.counterMode(packet.subarray(hdr), ssrc, index, out, hdr);
    this.mki.copy(out, len);
    // The MKI is not authenticated; the ROC is, though never sent (RFC 3711 4.2).
    this.rtp.authTag(out.subarray(0, len), roc).copy(out, len + mkiLen, 0, tagLen);
    return srtpSuccess(out);
  }

  /** Encrypts and authenticates one (compound) RTCP packet, with E=1 and the next SRTCP index. */
  protectRtcp(packet: Buffer): SrtpResult {
    const len = packet.length;
    if (len < 8) return SRTP_FAILURE['too-short'];
    if ((packet[0] ?? 0) >> 6 !== 2) return SRTP_FAILURE.malformed;
    const ssrc = packet.readUInt32BE(4);
    // Counted from 1 like libsrtp (the index is incremented before each packet): receivers
    // accept any starting value.
    const index = (((this.rtcpIndexes.get(ssrc) ?? 0) + 1) & 0x7fffffff) >>> 0;
    this.rtcpIndexes.set(ssrc, index);
    const word = (SRTCP_E_BIT | index) >>> 0;
    const mkiLen = this.mki.length;
    const tagLen = this.profile.rtcpTagLength;
    const out = Buffer.allocUnsafe(len + 4 + mkiLen + tagLen);
    packet.copy(out, 0, 0, 8);

    if (this.profile.aead) {
      const trailer = Buffer.allocUnsafe(4);
      trailer.writeUInt32BE(word, 0);
      const nonce = this.rtcp.rtcpNonce(ssrc, index);
      const [ct, tag] = this.rtcp.gcmSeal(nonce, packet.subarray(0, 8), trailer, packet.subarray(8));
      ct.copy(out, 8);
      tag.copy(out, len);
      trailer.copy(out, len + tagLen);
      this.mki.copy(out, len + tagLen + 4);
      return srtpSuccess(out);
    }
    this.rtcp.counterMode(packet.subarray(8), ssrc, index, out, 8);
    out.writeUInt32BE(word, len);
    this.mki.copy(out, len + 4);
    this.rtcp.authTag(out.subarray(0, len + 4)).copy(out, len + 4 + mkiLen, 0, tagLen);
    return srtpSuccess(out);
  }
}
