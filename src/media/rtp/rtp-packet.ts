/**
 * RTP fixed header, CSRC list, header extension and padding (RFC 3550 5.1, 5.3.1).
 * Parsing never throws: every read is length-checked first and failures come back as a
 * MediaParseError. The payload is a view into the input buffer (no copy).
 */
import { readU16 as u16, readU32 as u32, writeU16, writeU32 } from './network-byte-order.js';
import type { MediaParseError } from './parse-error.js';

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_LENGTH = 12;

/** A header extension kept raw: the 16-bit profile field and the data words (RFC 3550 5.3.1). */
export interface RtpHeaderExtension {
  profile: number;
  /** A multiple of 4 bytes on the wire. */
  data: Uint8Array;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension?: RtpHeaderExtension;
  payload: Uint8Array;
  /** Padding octets at the end, including the count octet itself; 0 when the P bit is clear. */
  paddingLength: number;
}

const errors = {
  short: { type: 'parse-error', reason: 'RTP packet shorter than the 12-byte fixed header' },
  version: { type: 'parse-error', reason: 'RTP version is not 2' },
  csrc: { type: 'parse-error', reason: 'RTP CSRC list runs past the end of the packet' },
  extensionHeader: { type: 'parse-error', reason: 'RTP header extension header runs past the end' },
  extensionData: { type: 'parse-error', reason: 'RTP header extension data runs past the end' },
  padding: { type: 'parse-error', reason: 'RTP padding count is zero or larger than the payload' },
} as const satisfies Record<string, MediaParseError>;
export { errors as rtpParseErrors };

/** Reads one RTP packet; the payload and extension data are views into `buf`. */
export function parseRtpPacket(buf: Uint8Array): RtpPacket | MediaParseError {
  const len = buf.length;
  if (len < RTP_FIXED_HEADER_LENGTH) return errors.short;
  const b0 = buf[0]!;
  if (b0 >> 6 !== RTP_VERSION) return errors.version;
  const cc = b0 & 0x0f;
  let offset = RTP_FIXED_HEADER_LENGTH + cc * 4;
  if (offset > len) return errors.csrc;
  const csrcs: number[] = [];
  for (let i = 0; i < cc; i++) csrcs.push(u32(buf, RTP_FIXED_HEADER_LENGTH + i * 4));

  let extension: RtpHeaderExtension | undefined;
  if (b0 & 0x10) {
    if (offset + 4 > len) return errors.extensionHeader;
    const profile = u16(buf, offset);
    const words = u16(buf, offset + 2);
    offset += 4;
    if (offset + words * 4 > len) return errors.extensionData;
    extension = { profile, data: buf.subarray(offset, offset + words * 4) };
    offset += words * 4;
  }

  let end = len;
  let paddingLength = 0;
  if (b0 & 0x20) {
    // The last octet counts the padding, itself included (RFC 3550 5.1, P bit).
    paddingLength = buf[len - 1]!;
    if (paddingLength === 0 || paddingLength > len - offset) return errors.padding;
    end = len - paddingLength;
  }

  const b1 = buf[1]!;
  const packet: RtpPacket = {
    marker: (b1 & 0x80) !== 0,
    payloadType: b1 & 0x7f,
    sequenceNumber: u16(buf, 2),
    timestamp: u32(buf, 4),
    ssrc: u32(buf, 8),
    csrcs,
    payload: buf.subarray(offset, end),
    paddingLength,
  };
  if (extension) packet.extension = extension;
  return packet;
}

/** Bytes the packet takes on the wire (extension data rounded up to 32-bit words). */
export function rtpPacketLength(p: RtpPacket): number {
  const ext = p.extension ? 4 + Math.ceil(p.extension.data.length / 4) * 4 : 0;
  return RTP_FIXED_HEADER_LENGTH + p.csrcs.length * 4 + ext + p.payload.length + p.paddingLength;
}

/**
 * Writes the packet into `out` at `offset` and returns the bytes written; lets a sender
 * reuse one buffer per stream. Throws RangeError on a packet we built wrongly (not wire input).
 */
export function writeRtpPacket(p: RtpPacket, out: Uint8Array, offset = 0): number {
  if (p.csrcs.length > 15) throw new RangeError('RTP allows at most 15 CSRCs');
  if (p.paddingLength < 0 || p.paddingLength > 255) throw new RangeError('RTP padding must be 0..255 octets');
  const total = rtpPacketLength(p);
  if (offset + total > out.length) throw new RangeError('output buffer too small for the RTP packet');
  out[offset] =
    (RTP_VERSION << 6) | (p.paddingLength > 0 ? 0x20 : 0) | (p.extension ? 0x10 : 0) | p.csrcs.length;
  out[offset + 1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  writeU16(out, offset + 2, p.sequenceNumber);
  writeU32(out, offset + 4, p.timestamp);
  writeU32(out, offset + 8, p.ssrc);
  let o = offset + RTP_FIXED_HEADER_LENGTH;
  for (const c of p.csrcs) {
    writeU32(out, o, c);
    o += 4;
  }
  if (p.extension) {
    const words = Math.ceil(p.extension.data.length / 4);
    writeU16(out, o, p.extension.profile);
    writeU16(out, o + 2, words);
    out.set(p.extension.data, o + 4);
    out.fill(0, o + 4 + p.extension.data.length, o + 4 + words * 4);
    o += 4 + words * 4;
  }
  out.set(p.payload, o);
  o += p.payload.length;
  if (p.paddingLength > 0) {
    out.fill(0, o, o + p.paddingLength - 1);
    out[o + p.paddingLength - 1] = p.paddingLength;
    o += p.paddingLength;
  }
  return o - offset;
}

/** Serializes the packet into a new Buffer. */
export function serializeRtpPacket(p: RtpPacket): Buffer {
  const out = Buffer.allocUnsafe(rtpPacketLength(p));
  writeRtpPacket(p, out, 0);
  return out;
}
