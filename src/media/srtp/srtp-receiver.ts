import { timingSafeEqual } from 'node:crypto';
import { SrtpCipher } from './srtp-cipher.js';
import type { DerivedKeys } from './key-derivation.js';
import { RtpIndexTracker } from './packet-index.js';
import { ReplayWindow } from './replay-window.js';
import { rtpHeaderLength } from './rtp-header-length.js';
import type { SrtpProfile } from './srtp-profile.js';
import { SRTP_FAILURE, srtpSuccess, type SrtpResult } from './srtp-result.js';

interface ReceiveStream {
  readonly index: RtpIndexTracker;
  readonly replay: ReplayWindow;
}

/**
 * The receiving half of an SRTP session: checks and decrypts the peer's SRTP and SRTCP.
 * Per-SSRC state (ROC, replay window) is created only once a packet authenticates, so
 * forged packets cannot grow it.
 */
export class SrtpReceiver {
  private readonly rtp: SrtpCipher;
  private readonly rtcp: SrtpCipher;
  private readonly streams = new Map<number, ReceiveStream>();
  private readonly rtcpWindows = new Map<number, ReplayWindow>();

  constructor(
    private readonly profile: SrtpProfile,
    keys: DerivedKeys,
    private readonly mki: Buffer = Buffer.alloc(0),
  ) {
    this.rtp = new SrtpCipher(keys.rtp);
    this.rtcp = new SrtpCipher(keys.rtcp);
  }

  /** Rollover counter estimated for `ssrc` (0 before its first packet). */
  rolloverCounter(ssrc: number): number {
    return this.streams.get(ssrc)?.index.rolloverCounter ?? 0;
  }

  private checkMki(packet: Buffer, at: number): boolean {
    const m = this.mki;
    return m.length === 0 || m.equals(packet.subarray(at, at + m.length));
  }

  /** Verifies, replay-checks and decrypts one SRTP packet (RFC 3711 3.3). */
  unprotectRtp(packet: Buffer): SrtpResult {
    const len = packet.length;
    const hdr = rtpHeaderLength(packet);
    if (hdr < 0) return len < 12 ? SRTP_FAILURE['too-short'] : SRTP_FAILURE.malformed;
    const mkiLen = this.mki.length;
    const tagLen = this.profile.rtpTagLength;
    const end = len - mkiLen - tagLen; // end of the encrypted payload
    if (end < hdr) return SRTP_FAILURE['too-short'];
    const seq = packet.readUInt16BE(2);
    const ssrc = packet.readUInt32BE(8);
    const stream = this.streams.get(ssrc);
    const tracker = stream?.index ?? new RtpIndexTracker();
    const index = tracker.estimate(seq);
    if (stream !== undefined) {
      const verdict = stream.replay.check(index);
      if (verdict !== 'ok') return SRTP_FAILURE[verdict];
    } else if (index < 0) {
      return SRTP_FAILURE['too-old'];
    }
    const roc = Math.floor(index / 0x10000);
    let out: Buffer;

    if (this.profile.aead) {
      if (!this.checkMki(packet, len - mkiLen)) return SRTP_FAILURE['mki-mismatch'];
      const nonce = this.rtp.rtpNonce(ssrc, roc, seq);
      const opened = this.rtp.gcmOpen(nonce, packet.subarray(0, hdr), undefined,
        packet.subarray(hdr, end), packet.subarray(end, end + tagLen));
      if (opened === undefined) return SRTP_FAILURE['auth-failed'];
      out = Buffer.allocUnsafe(hdr + opened.length);
      opened.copy(out, hdr);
    } else {
      if (!this.checkMki(packet, end)) return SRTP_FAILURE['mki-mismatch'];
      const tag = this.rtp.authTag(packet.subarray(0, end), roc);
      if (!timingSafeEqual(tag.subarray(0, tagLen), packet.subarray(len - tagLen))) {
        return SRTP_FAILURE['auth-failed'];
      }
      out = Buffer.allocUnsafe(end);
      this.rtp.counterMode(packet.subarray(hdr, end), ssrc, index, out, hdr);
    }
    packet.copy(out, 0, 0, hdr);
    if (stream === undefined) {
      const created: ReceiveStream = { index: tracker, replay: new ReplayWindow() };
      created.replay.accept(index);
      this.streams.set(ssrc, created);
    } else {
      stream.replay.accept(index);
    }
    tracker.update(index);
    return srtpSuccess(out);
  }

  /** Verifies, replay-checks and (when E is set) decrypts one SRTCP packet (RFC 3711 3.4). */
  unprotectRtcp(packet: Buffer): SrtpResult {
    const len = packet.length;
    const mkiLen = this.mki.length;
    const tagLen = this.profile.rtcpTagLength;
    if (len < 8 + 4 + mkiLen + tagLen) return SRTP_FAILURE['too-short'];
    if ((packet[0] ?? 0) >> 6 !== 2) return SRTP_FAILURE.malformed;
    const ssrc = packet.readUInt32BE(4);
    const aead = this.profile.aead;
    // AES-CM: header | payload | E+index | MKI | tag.  GCM: header | payload | tag | E+index | MKI.
    const trailerAt = aead ? len - mkiLen - 4 : len - tagLen - mkiLen - 4;
    const word = packet.readUInt32BE(trailerAt);
    const encrypted = (word & 0x80000000) !== 0;
    const index = word & 0x7fffffff;
    const window = this.rtcpWindows.get(ssrc);
    if (window !== undefined) {
      const verdict = window.check(index);
      if (verdict !== 'ok') return SRTP_FAILURE[verdict];
    }
    let body: Buffer;

    if (aead) {
      if (!this.checkMki(packet, len - mkiLen)) return SRTP_FAILURE['mki-mismatch'];
      const payloadEnd = trailerAt - tagLen;
      const trailer = packet.subarray(trailerAt, trailerAt + 4);
      const tag = packet.subarray(payloadEnd, trailerAt);
      const nonce = this.rtcp.rtcpNonce(ssrc, index);
      // E=0: everything is authenticated data and nothing is encrypted (RFC 7714 9.3).
      const opened = encrypted
        ? this.rtcp.gcmOpen(nonce, packet.subarray(0, 8), trailer, packet.subarray(8, payloadEnd), tag)
        : this.rtcp.gcmOpen(nonce, packet.subarray(0, payloadEnd), trailer, Buffer.alloc(0), tag);
      if (opened === undefined) return SRTP_FAILURE['auth-failed'];
      body = encrypted ? opened : packet.subarray(8, payloadEnd);
    } else {
      if (!this.checkMki(packet, trailerAt + 4)) return SRTP_FAILURE['mki-mismatch'];
      const tag = this.rtcp.authTag(packet.subarray(0, trailerAt + 4));
      if (!timingSafeEqual(tag.subarray(0, tagLen), packet.subarray(len - tagLen))) {
        return SRTP_FAILURE['auth-failed'];
      }
      if (encrypted) {
        body = Buffer.allocUnsafe(trailerAt - 8);
        this.rtcp.counterMode(packet.subarray(8, trailerAt), ssrc, index, body, 0);
      } else {
        body = packet.subarray(8, trailerAt);
      }
    }

    const out = Buffer.allocUnsafe(8 + body.length);
    packet.copy(out, 0, 0, 8);
    body.copy(out, 8);
    if (window === undefined) {
      const created = new ReplayWindow();
      created.accept(index);
      this.rtcpWindows.set(ssrc, created);
    } else {
      window.accept(index);
    }
    return srtpSuccess(out);
  }
}
