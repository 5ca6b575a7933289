import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMediaParseError } from '../rtp/index.js';
import { cnameChunk, sdesCname } from './rtcp-packet.js';
import type { RtcpPacket } from './rtcp-packet.js';
import { parseRtcpCompound } from './rtcp-parse.js';
import { serializeRtcpCompound } from './rtcp-serialize.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// SR (1 report block) + SDES (CNAME user@host) + BYE ("bye"), built by hand.
const SR = hex(`
  81 c8 000c 11223344 e1b2c3d4 80000000 00001000 00000064 00003e80
  55667788 19 000001 00010005 00000049 b7052000 00054000`);
const SDES = hex('81 ca 0004 11223344 01 09 757365724068 6f7374 00');
const BYE = hex('81 cb 0002 11223344 03 627965');
// RR without blocks + a PLI (PSFB, FMT 1), which we do not interpret.
const RR = hex('80 c9 0001 11223344');
const PLI = hex('81 ce 0002 11223344 55667788');

/** Byte arrays (Buffer or Uint8Array views) compared by content. */
function bytesAsHex(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return v.map(bytesAsHex);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bytesAsHex(x)]));
  return v;
}

function parsed(buf: Uint8Array): RtcpPacket[] {
  const r = parseRtcpCompound(buf);
  if (isMediaParseError(r)) throw new Error(r.reason);
  return r;
}

describe('parseRtcpCompound', () => {
  it('reads an SR with a report block, SDES and BYE', () => {
    const [sr, sdes, bye] = parsed(Buffer.concat([SR, SDES, BYE]));
    expect(sr).toEqual({
      type: 'sr', ssrc: 0x11223344, ntpSeconds: 0xe1b2c3d4, ntpFraction: 0x80000000, rtpTimestamp: 4096,
      packetCount: 100, octetCount: 16000,
      reports: [{
        ssrc: 0x55667788, fractionLost: 0x19, cumulativeLost: 1, extendedHighestSequence: 0x10005, jitter: 73,
        lastSenderReport: 0xb7052000, delaySinceLastSenderReport: 0x54000,
      }],
    });
    expect(sdes?.type === 'sdes' && sdes.chunks[0]?.ssrc).toBe(0x11223344);
    expect(sdes?.type === 'sdes' && sdesCname(sdes.chunks[0]!)).toBe('user@host');
    expect(bye).toEqual({ type: 'bye', ssrcs: [0x11223344], reason: 'bye' });
  });

  it('passes feedback packets through raw', () => {
    const [rr, pli] = parsed(Buffer.concat([RR, PLI]));
    expect(rr).toEqual({ type: 'rr', ssrc: 0x11223344, reports: [] });
    expect(pli?.type).toBe('unknown');
    if (pli?.type !== 'unknown') return;
    expect(pli.packetType).toBe(206);
    expect(pli.count).toBe(1);
    expect(Buffer.from(pli.body).toString('hex')).toBe('1122334455667788');
  });

  it('reads a negative cumulative loss (duplicates) as a signed 24-bit value', () => {
    const sr = Buffer.from(SR);
    sr.writeUIntBE(0xfffffe, 33, 3);
    const [p] = parsed(sr);
    expect(p?.type === 'sr' && p.reports[0]?.cumulativeLost).toBe(-2);
  });

  it('keeps unknown SDES items and multiple chunks', () => {
    // Chunk 1: CNAME "a", TOOL "x"; chunk 2: NAME "Bo", PRIV (prefix len 1 "p", value "v").
    const buf = hex('82 ca 0007 00000001 0101 61 0601 78 0000 00000002 0202 426f 0803 017076 000000');
    const [p] = parsed(buf);
    if (p?.type !== 'sdes') throw new Error('not sdes');
    expect(p.chunks.map((c) => c.items.map((i) => [i.type, Buffer.from(i.data).toString('latin1')]))).toEqual([
      [[1, 'a'], [6, 'x']],
      [[2, 'Bo'], [8, '\u0001pv']],
    ]);
    expect(serializeRtcpCompound([p]).equals(buf)).toBe(true);
  });

  it('removes padding from the last packet', () => {
    const [p] = parsed(hex('a0 c9 0002 11223344 00000004'));
    expect(p).toEqual({ type: 'rr', ssrc: 0x11223344, reports: [] });
  });

  it('keeps an SR profile extension', () => {
    const withExt = Buffer.concat([SR, hex('deadbeef')]);
    withExt.writeUInt16BE(13, 2);
    const [p] = parsed(withExt);
    expect(p?.type === 'sr' && Buffer.from(p.extension!).toString('hex')).toBe('deadbeef');
    expect(serializeRtcpCompound([p!]).equals(withExt)).toBe(true);
  });

  it.each([
    ['empty', hex('')],
    ['a 3-byte tail', Buffer.concat([RR, hex('80c900')])],
    ['version 1', hex('41 c9 0001 11223344')],
    ['a length past the end', hex('80 c9 0002 11223344')],
    ['an SR with fewer blocks than RC', Buffer.concat([hex('82'), SR.subarray(1)])],
    ['an RR with RC 1 and no block', hex('81 c9 0001 11223344')],
    ['SDES without END', hex('81 ca 0002 11223344 01026162')],
    ['an SDES item past the end', hex('81 ca 0002 11223344 01096162')],
    ['a BYE reason past the end', hex('81 cb 0002 11223344 09627965')],
    ['a BYE with fewer SSRCs than SC', hex('82 cb 0001 11223344')],
    ['padding of zero', hex('a0 c9 0002 11223344 00000000')],
    ['padding past the header', hex('a0 c9 0001 11223344').fill(0x09, 7, 8)],
  ])('rejects %s', (_name, buf) => {
    expect(isMediaParseError(parseRtcpCompound(buf))).toBe(true);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.boolean(), (bytes, fixVersion) => {
        if (fixVersion && bytes.length > 0) bytes[0] = 0x80 | (bytes[0]! & 0x3f);
        const r = parseRtcpCompound(bytes);
        if (!isMediaParseError(r)) serializeRtcpCompound(r);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('serializeRtcpCompound', () => {
  it('reproduces the hand-built packets byte for byte', () => {
    const all = Buffer.concat([SR, SDES, BYE, RR, PLI]);
    expect(serializeRtcpCompound(parsed(all)).toString('hex')).toBe(all.toString('hex'));
  });

  it('pads a CNAME chunk and a BYE reason to 32-bit words', () => {
    const out = serializeRtcpCompound([
      { type: 'sdes', chunks: [cnameChunk(7, 'abcd')] },
      { type: 'bye', ssrcs: [7], reason: 'hangup' },
    ]);
    expect(out.toString('hex')).toBe(
      '81ca0003' + '00000007' + '0104' + '61626364' + '0000' + '81cb0003' + '00000007' + '06' + '68616e677570' + '00',
    );
  });

  it('re-serializes a BYE whose reason was not UTF-8 (cut to 255 octets)', () => {
    const raw = Buffer.concat([hex('81 cb 0041 11223344 ff'), Buffer.alloc(255, 0xff)]);
    const [bye] = parsed(raw);
    const again = parsed(serializeRtcpCompound([bye!]));
    expect(again[0]?.type === 'bye' && Buffer.byteLength(again[0].reason ?? '', 'utf8')).toBeLessThanOrEqual(255 * 3);
    expect(serializeRtcpCompound([bye!]).length).toBe(raw.length);
  });

  it('clamps cumulative loss to the signed 24-bit range', () => {
    const block = { ssrc: 1, fractionLost: 0, extendedHighestSequence: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0 };
    const out = serializeRtcpCompound([
      { type: 'rr', ssrc: 9, reports: [{ ...block, cumulativeLost: 1e9 }, { ...block, cumulativeLost: -1e9 }] },
    ]);
    const [rr] = parsed(out);
    expect(rr?.type === 'rr' && rr.reports.map((r) => r.cumulativeLost)).toEqual([0x7fffff, -0x800000]);
  });

  it('round-trips generated compounds', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const block = fc.record({
      ssrc: u32, fractionLost: fc.integer({ min: 0, max: 255 }),
      cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }), extendedHighestSequence: u32, jitter: u32,
      lastSenderReport: u32, delaySinceLastSenderReport: u32,
    });
    const packet: fc.Arbitrary<RtcpPacket> = fc.oneof(
      fc.record({
        type: fc.constant('sr' as const), ssrc: u32, ntpSeconds: u32, ntpFraction: u32, rtpTimestamp: u32,
        packetCount: u32, octetCount: u32, reports: fc.array(block, { maxLength: 3 }),
      }),
      fc.record({ type: fc.constant('rr' as const), ssrc: u32, reports: fc.array(block, { maxLength: 3 }) }),
      fc.record({
        type: fc.constant('sdes' as const),
        chunks: fc.array(
          fc.record({
            ssrc: u32,
            items: fc.array(
              fc.record({ type: fc.integer({ min: 1, max: 8 }), data: fc.uint8Array({ maxLength: 20 }) }),
              { maxLength: 3 },
            ),
          }),
          { maxLength: 3 },
        ),
      }),
      fc.record(
        { type: fc.constant('bye' as const), ssrcs: fc.array(u32, { maxLength: 3 }), reason: fc.string({ minLength: 1, maxLength: 30 }) },
        { requiredKeys: ['type', 'ssrcs'] },
      ),
      fc.record({
        type: fc.constant('unknown' as const), packetType: fc.constantFrom(204, 205, 206, 207),
        count: fc.integer({ min: 0, max: 31 }), body: fc.uint8Array({ maxLength: 6 }).map((b) => b.subarray(0, b.length & ~3)),
      }),
    );
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 4 }), (packets) => {
        const back = parsed(serializeRtcpCompound(packets));
        expect(bytesAsHex(back)).toEqual(bytesAsHex(packets));
      }),
    );
  });
});
