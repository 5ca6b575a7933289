/**
 * RTCP compound packet serialization (RFC 3550 6.4-6.6): one buffer for the whole compound.
 * Throws RangeError on packets we built wrongly (over 31 blocks/chunks, SDES items over 255
 * octets); a BYE reason is cut to 255 octets.
 */
import { writeU16, writeU32 } from '../rtp/index.js';
import { RTCP_BYE, RTCP_RR, RTCP_SDES, RTCP_SR } from './rtcp-packet.js';
import type { RtcpPacket, RtcpReportBlock } from './rtcp-packet.js';

const pad4 = (n: number): number => (n + 3) & ~3;

function packetLength(p: RtcpPacket): number {
  switch (p.type) {
    case 'sr':
      return 28 + p.reports.length * 24 + pad4(p.extension?.length ?? 0);
    case 'rr':
      return 8 + p.reports.length * 24 + pad4(p.extension?.length ?? 0);
    case 'sdes':
      return 4 + p.chunks.reduce((n, c) => n + pad4(4 + c.items.reduce((m, i) => m + 2 + i.data.length, 0) + 1), 0);
    case 'bye': {
      const reason = p.reason ? Math.min(255, Buffer.byteLength(p.reason, 'utf8')) : 0;
      return 4 + p.ssrcs.length * 4 + (reason > 0 ? pad4(1 + reason) : 0);
    }
    case 'unknown':
      return 4 + pad4(p.body.length);
  }
}

function countOf(p: RtcpPacket): number {
  switch (p.type) {
    case 'sr':
    case 'rr':
      return p.reports.length;
    case 'sdes':
      return p.chunks.length;
    case 'bye':
      return p.ssrcs.length;
    case 'unknown':
      return p.count;
  }
}

function writeReportBlocks(out: Uint8Array, o: number, reports: RtcpReportBlock[]): number {
  for (const r of reports) {
    writeU32(out, o, r.ssrc);
    const lost = Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost)) & 0xffffff;
    writeU32(out, o + 4, ((r.fractionLost & 0xff) << 24) | lost);
    writeU32(out, o + 8, r.extendedHighestSequence);
    writeU32(out, o + 12, r.jitter);
    writeU32(out, o + 16, r.lastSenderReport);
    writeU32(out, o + 20, r.delaySinceLastSenderReport);
    o += 24;
  }
  return o;
}

function writeOne(p: RtcpPacket, out: Uint8Array, start: number, length: number): void {
  const count = countOf(p);
  if (count > 31) throw new RangeError(`RTCP ${p.type} count ${count} exceeds 31`);
  const pt = p.type === 'sr' ? RTCP_SR : p.type === 'rr' ? RTCP_RR : p.type === 'sdes' ? RTCP_SDES : p.type === 'bye' ? RTCP_BYE : p.packetType;
  out[start] = 0x80 | count;
  out[start + 1] = pt;
  writeU16(out, start + 2, length / 4 - 1);
  out.fill(0, start + 4, start + length);
  let o = start + 4;
  switch (p.type) {
    case 'sr':
      writeU32(out, o, p.ssrc);
      writeU32(out, o + 4, p.ntpSeconds);
      writeU32(out, o + 8, p.ntpFraction);
      writeU32(out, o + 12, p.rtpTimestamp);
      writeU32(out, o + 16, p.packetCount);
      writeU32(out, o + 20, p.octetCount);
      o = writeReportBlocks(out, o + 24, p.reports);
      if (p.extension) out.set(p.extension, o);
      break;
    case 'rr':
      writeU32(out, o, p.ssrc);
      o = writeReportBlocks(out, o + 4, p.reports);
      if (p.extension) out.set(p.extension, o);
      break;
    case 'sdes':
      for (const c of p.chunks) {
        const chunkStart = o;
        writeU32(out, o, c.ssrc);
        o += 4;
        for (const item of c.items) {
          if (item.data.length > 255) throw new RangeError('SDES item longer than 255 octets');
          out[o] = item.type;
          out[o + 1] = item.data.length;
          out.set(item.data, o + 2);
          o += 2 + item.data.length;
        }
        // END and null padding are already zero.
        o = chunkStart + pad4(o - chunkStart + 1);
      }
      break;
    case 'bye':
      for (const s of p.ssrcs) {
        writeU32(out, o, s);
        o += 4;
      }
      if (p.reason) {
        // The reason is informational: cut to the 255 octets the length field can say.
        const text = Buffer.from(p.reason, 'utf8').subarray(0, 255);
        out[o] = text.length;
        out.set(text, o + 1);
      }
      break;
    case 'unknown':
      out.set(p.body, o);
      break;
  }
}

/** Serializes packets into one compound RTCP packet. */
export function serializeRtcpCompound(packets: RtcpPacket[]): Buffer {
  const lengths = packets.map(packetLength);
  const out = Buffer.alloc(lengths.reduce((a, b) => a + b, 0));
  let o = 0;
  packets.forEach((p, i) => {
    writeOne(p, out, o, lengths[i]!);
    o += lengths[i]!;
  });
  return out;
}
