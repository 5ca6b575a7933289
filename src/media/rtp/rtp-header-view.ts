/**
 * Zero-copy reading of an RTP header for relay hot paths: one view per stream is pointed at
 * each incoming buffer with `wrap()`, which validates lengths once (same rules as
 * parseRtpPacket) and allocates nothing.
 */
import { readU16, readU32, writeU16, writeU32 } from './network-byte-order.js';
import type { MediaParseError } from './parse-error.js';
import { RTP_FIXED_HEADER_LENGTH, RTP_VERSION, rtpParseErrors } from './rtp-packet.js';

const EMPTY = new Uint8Array(0);

export class RtpHeaderView {
  private buf: Uint8Array = EMPTY;
  private extOffset = -1;
  /** Where the payload starts in the wrapped buffer. */
  payloadOffset = 0;
  /** Payload octets, padding excluded. */
  payloadLength = 0;
  /** Padding octets (count octet included); 0 without the P bit. */
  paddingLength = 0;

  /** Points the view at `buf`; returns undefined when it holds a valid RTP packet, else why not. */
  wrap(buf: Uint8Array): MediaParseError | undefined {
    this.buf = EMPTY;
    const len = buf.length;
    if (len < RTP_FIXED_HEADER_LENGTH) return rtpParseErrors.short;
    const b0 = buf[0]!;
    if (b0 >> 6 !== RTP_VERSION) return rtpParseErrors.version;
    let offset = RTP_FIXED_HEADER_LENGTH + (b0 & 0x0f) * 4;
    if (offset > len) return rtpParseErrors.csrc;
    let extOffset = -1;
    if (b0 & 0x10) {
      if (offset + 4 > len) return rtpParseErrors.extensionHeader;
      extOffset = offset;
      offset += 4 + readU16(buf, offset + 2) * 4;
      if (offset > len) return rtpParseErrors.extensionData;
    }
    let padding = 0;
    if (b0 & 0x20) {
      padding = buf[len - 1]!;
      if (padding === 0 || padding > len - offset) return rtpParseErrors.padding;
    }
    this.buf = buf;
    this.extOffset = extOffset;
    this.payloadOffset = offset;
    this.paddingLength = padding;
    this.payloadLength = len - offset - padding;
    return undefined;
  }

  /** The wrapped buffer (empty when the last wrap failed). */
  get buffer(): Uint8Array {
    return this.buf;
  }
  get marker(): boolean {
    return (this.buf[1]! & 0x80) !== 0;
  }
  get payloadType(): number {
    return this.buf[1]! & 0x7f;
  }
  get sequenceNumber(): number {
    return readU16(this.buf, 2);
  }
  get timestamp(): number {
    return readU32(this.buf, 4);
  }
  get ssrc(): number {
    return readU32(this.buf, 8);
  }
  get csrcCount(): number {
    return this.buf[0]! & 0x0f;
  }
  csrc(i: number): number {
    return readU32(this.buf, RTP_FIXED_HEADER_LENGTH + i * 4);
  }
  get hasExtension(): boolean {
    return this.extOffset >= 0;
  }
  /** The extension's 16-bit profile field, or -1 without an extension. */
  get extensionProfile(): number {
    return this.extOffset >= 0 ? readU16(this.buf, this.extOffset) : -1;
  }
  /** Offset of the extension data (after its 4-byte header), or -1. */
  get extensionDataOffset(): number {
    return this.extOffset >= 0 ? this.extOffset + 4 : -1;
  }
  /** Extension data length in octets, 0 without an extension. */
  get extensionDataLength(): number {
    return this.extOffset >= 0 ? readU16(this.buf, this.extOffset + 2) * 4 : 0;
  }
  /** The payload as a view (allocates a small view object; read bytes through `buffer` to avoid it). */
  payload(): Uint8Array {
    return this.buf.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }
}

/*
 * In-place rewrites for relays (RFC 3550 7.3: a translator may change SSRC, sequence and
 * timestamp). The caller has validated the buffer (RtpHeaderView.wrap or parseRtpPacket).
 */

export function setRtpSequenceNumber(buf: Uint8Array, seq: number): void {
  writeU16(buf, 2, seq);
}

export function setRtpTimestamp(buf: Uint8Array, ts: number): void {
  writeU32(buf, 4, ts);
}

export function setRtpSsrc(buf: Uint8Array, ssrc: number): void {
  writeU32(buf, 8, ssrc);
}

export function setRtpPayloadType(buf: Uint8Array, pt: number): void {
  buf[1] = (buf[1]! & 0x80) | (pt & 0x7f);
}

export function setRtpMarker(buf: Uint8Array, marker: boolean): void {
  buf[1] = marker ? buf[1]! | 0x80 : buf[1]! & 0x7f;
}

/** Rewrites sequence number, timestamp and SSRC at once; `pt` too when given (>= 0). */
export function rewriteRtpHeader(buf: Uint8Array, seq: number, ts: number, ssrc: number, pt = -1): void {
  writeU16(buf, 2, seq);
  writeU32(buf, 4, ts);
  writeU32(buf, 8, ssrc);
  if (pt >= 0) setRtpPayloadType(buf, pt);
}
