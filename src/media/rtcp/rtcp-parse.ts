/**
 * RTCP compound packet parsing (RFC 3550 6.1, 6.4-6.6). Each packet's length field is checked
 * against the bytes present before anything is read; unknown types come back raw.
 * Lenient where RFC 5506 (reduced-size RTCP) allows: the first packet need not be SR/RR.
 */
import { isMediaParseError, mediaParseError, readU16, readU32 } from '../rtp/index.js';
import type { MediaParseError } from '../rtp/index.js';
import { RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR, SDES_END } from './rtcp-packet.js';
import type { RtcpPacket, RtcpReportBlock, RtcpSdesChunk, RtcpSdesItem } from './rtcp-packet.js';

const REPORT_BLOCK_LENGTH = 24;

/** A signed 24-bit value (cumulative lost). */
function readS24(b: Uint8Array, o: number): number {
  const v = (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
  return v & 0x800000 ? v - 0x1000000 : v;
}

function readReportBlocks(b: Uint8Array, o: number, n: number): RtcpReportBlock[] {
  const reports: RtcpReportBlock[] = [];
  for (let i = 0; i < n; i++, o += REPORT_BLOCK_LENGTH) {
    reports.push({
      ssrc: readU32(b, o),
      fractionLost: b[o + 4]!,
      cumulativeLost: readS24(b, o + 5),
      extendedHighestSequence: readU32(b, o + 8),
      jitter: readU32(b, o + 12),
      lastSenderReport: readU32(b, o + 16),
      delaySinceLastSenderReport: readU32(b, o + 20),
    });
  }
  return reports;
}

/** Reads SDES chunks from `body` (the packet after its header). */
function readSdes(body: Uint8Array, count: number): RtcpSdesChunk[] | MediaParseError {
  const chunks: RtcpSdesChunk[] = [];
  let o = 0;
  for (let c = 0; c < count; c++) {
    if (o + 4 > body.length) return mediaParseError('SDES chunk runs past the end of the packet');
    const ssrc = readU32(body, o);
    o += 4;
    const items: RtcpSdesItem[] = [];
    for (;;) {
      if (o >= body.length) return mediaParseError('SDES chunk has no END item');
      const type = body[o]!;
      if (type === SDES_END) break;
      if (o + 2 > body.length) return mediaParseError('SDES item header runs past the end');
      const len = body[o + 1]!;
      if (o + 2 + len > body.length) return mediaParseError('SDES item runs past the end');
      items.push({ type, data: body.subarray(o + 2, o + 2 + len) });
      o += 2 + len;
    }
    // END, then null octets up to the next 32-bit boundary (at least one null octet).
    o = (o + 4) & ~3;
    chunks.push({ ssrc, items });
  }
  return chunks;
}

/** Reads every packet of a compound RTCP packet, or says why it cannot. */
export function parseRtcpCompound(buf: Uint8Array): RtcpPacket[] | MediaParseError {
  if (buf.length < 4) return mediaParseError('RTCP packet shorter than its 4-byte header');
  const packets: RtcpPacket[] = [];
  let o = 0;
  while (o < buf.length) {
    if (o + 4 > buf.length) return mediaParseError('trailing bytes after the last RTCP packet');
    const b0 = buf[o]!;
    if (b0 >> 6 !== 2) return mediaParseError('RTCP version is not 2');
    const count = b0 & 0x1f;
    const pt = buf[o + 1]!;
    const length = (readU16(buf, o + 2) + 1) * 4;
    if (o + length > buf.length) return mediaParseError('RTCP length field runs past the end');
    let end = o + length;
    if (b0 & 0x20) {
      const pad = buf[end - 1]!;
      if (pad === 0 || pad > length - 4) return mediaParseError('RTCP padding count is invalid');
      end -= pad;
    }
    const body = buf.subarray(o + 4, end);
    const packet = parseOne(pt, count, body);
    if (isMediaParseError(packet)) return packet;
    packets.push(packet);
    o += length;
  }
  return packets;
}

function parseOne(pt: number, count: number, body: Uint8Array): RtcpPacket | MediaParseError {
  switch (pt) {
    case RTCP_SR: {
      const need = 24 + count * REPORT_BLOCK_LENGTH;
      if (body.length < need) return mediaParseError('SR shorter than its report count says');
      const sr: RtcpPacket = {
        type: 'sr',
        ssrc: readU32(body, 0),
        ntpSeconds: readU32(body, 4),
        ntpFraction: readU32(body, 8),
        rtpTimestamp: readU32(body, 12),
        packetCount: readU32(body, 16),
        octetCount: readU32(body, 20),
        reports: readReportBlocks(body, 24, count),
      };
      if (body.length > need) sr.extension = body.subarray(need);
      return sr;
    }
    case RTCP_RR: {
      const need = 4 + count * REPORT_BLOCK_LENGTH;
      if (body.length < need) return mediaParseError('RR shorter than its report count says');
      const rr: RtcpPacket = { type: 'rr', ssrc: readU32(body, 0), reports: readReportBlocks(body, 4, count) };
      if (body.length > need) rr.extension = body.subarray(need);
      return rr;
    }
    case RTCP_SDES: {
      const chunks = readSdes(body, count);
      return isMediaParseError(chunks) ? chunks : { type: 'sdes', chunks };
    }
    case RTCP_BYE: {
      if (body.length < count * 4) return mediaParseError('BYE shorter than its source count says');
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(readU32(body, i * 4));
      const bye: RtcpPacket = { type: 'bye', ssrcs };
      const at = count * 4;
      if (body.length > at) {
        const len = body[at]!;
        if (at + 1 + len > body.length) return mediaParseError('BYE reason runs past the end');
        if (len > 0) bye.reason = Buffer.from(body.buffer, body.byteOffset + at + 1, len).toString('utf8');
      }
      return bye;
    }
    default:
      return { type: 'unknown', packetType: pt, count, body };
  }
}
