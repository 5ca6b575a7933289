import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMediaParseError } from './parse-error.js';
import { parseRtpPacket, rtpPacketLength, serializeRtpPacket, writeRtpPacket } from './rtp-packet.js';
import type { RtpPacket } from './rtp-packet.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// PCMU, seq 0x1234, ts 160, SSRC deadbeef, 3 payload bytes.
const SIMPLE = hex('80 00 1234 000000a0 deadbeef 010203');
// P, X, CC=2, M, PT 96, seq 65535, ts 2^32-1, two CSRCs, one-word RFC 8285 extension, 3 bytes padding.
const FULL = hex('b2 e0 ffff ffffffff 00000001 11111111 22222222 bede0001 10aa0000 cafe 000003');

function parsed(buf: Buffer): RtpPacket {
  const p = parseRtpPacket(buf);
  if (isMediaParseError(p)) throw new Error(p.reason);
  return p;
}

describe('parseRtpPacket', () => {
  it('reads the fixed header of a plain packet', () => {
    const p = parsed(SIMPLE);
    expect(p).toMatchObject({ marker: false, payloadType: 0, sequenceNumber: 0x1234, timestamp: 160, ssrc: 0xdeadbeef });
    expect(p.csrcs).toEqual([]);
    expect(p.extension).toBeUndefined();
    expect(p.paddingLength).toBe(0);
    expect([...p.payload]).toEqual([1, 2, 3]);
  });

  it('reads CSRCs, the raw extension, padding and the marker', () => {
    const p = parsed(FULL);
    expect(p.marker).toBe(true);
    expect(p.payloadType).toBe(96);
    expect(p.sequenceNumber).toBe(0xffff);
    expect(p.timestamp).toBe(0xffffffff);
    expect(p.ssrc).toBe(1);
    expect(p.csrcs).toEqual([0x11111111, 0x22222222]);
    expect(p.extension?.profile).toBe(0xbede);
    expect(Buffer.from(p.extension!.data).toString('hex')).toBe('10aa0000');
    expect(Buffer.from(p.payload).toString('hex')).toBe('cafe');
    expect(p.paddingLength).toBe(3);
  });

  it('returns the payload as a view into the input (no copy)', () => {
    const p = parsed(SIMPLE);
    expect(p.payload.buffer).toBe(SIMPLE.buffer);
  });

  it.each([
    ['shorter than 12 bytes', hex('80 00 1234 000000a0 deadbe')],
    ['version 1', hex('40 00 1234 000000a0 deadbeef')],
    ['CSRC count past the end', hex('83 00 1234 000000a0 deadbeef 11111111')],
    ['extension header cut', hex('90 00 1234 000000a0 deadbeef bede')],
    ['extension length past the end', hex('90 00 1234 000000a0 deadbeef bede0002 00000000')],
    ['padding count zero', hex('a0 00 1234 000000a0 deadbeef 0100')],
    ['padding larger than the payload', hex('a0 00 1234 000000a0 deadbeef 0105')],
  ])('rejects a packet with %s', (_name, buf) => {
    expect(isMediaParseError(parseRtpPacket(buf))).toBe(true);
  });

  it('accepts padding that covers the whole payload', () => {
    const p = parsed(hex('a0 00 1234 000000a0 deadbeef 0002'));
    expect(p.payload.length).toBe(0);
    expect(p.paddingLength).toBe(2);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const r = parseRtpPacket(bytes);
        if (!isMediaParseError(r)) expect(r.payload.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('serializeRtpPacket', () => {
  it('reproduces the hand-built packets byte for byte', () => {
    expect(serializeRtpPacket(parsed(SIMPLE)).equals(SIMPLE)).toBe(true);
    expect(serializeRtpPacket(parsed(FULL)).equals(FULL)).toBe(true);
  });

  it('pads extension data to a 32-bit word', () => {
    const out = serializeRtpPacket({
      marker: false, payloadType: 8, sequenceNumber: 1, timestamp: 2, ssrc: 3, csrcs: [],
      extension: { profile: 0x1000, data: Uint8Array.of(1, 2, 3, 4, 5) }, payload: Uint8Array.of(9), paddingLength: 0,
    });
    expect(out.toString('hex')).toBe('90080001' + '00000002' + '00000003' + '10000002' + '0102030405000000' + '09');
  });

  it('writes into a caller buffer at an offset', () => {
    const p = parsed(SIMPLE);
    const out = Buffer.alloc(40, 0xee);
    const n = writeRtpPacket(p, out, 5);
    expect(n).toBe(rtpPacketLength(p));
    expect(out.subarray(5, 5 + n).equals(SIMPLE)).toBe(true);
    expect(out[4]).toBe(0xee);
    expect(() => writeRtpPacket(p, Buffer.alloc(10))).toThrow(RangeError);
  });

  it('round-trips any packet it writes', () => {
    fc.assert(
      fc.property(
        fc.record({
          marker: fc.boolean(),
          payloadType: fc.integer({ min: 0, max: 127 }),
          sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
          timestamp: fc.integer({ min: 0, max: 0xffffffff }),
          ssrc: fc.integer({ min: 0, max: 0xffffffff }),
          csrcs: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
          words: fc.option(fc.integer({ min: 0, max: 4 })),
          payload: fc.uint8Array({ maxLength: 40 }),
          paddingLength: fc.integer({ min: 0, max: 255 }),
        }),
        (r) => {
          const p: RtpPacket = { ...r, payload: r.payload };
          if (r.words !== null) p.extension = { profile: 0xbede, data: new Uint8Array(r.words * 4).fill(7) };
          const back = parsed(serializeRtpPacket(p));
          expect(back.sequenceNumber).toBe(p.sequenceNumber);
          expect(back.timestamp).toBe(p.timestamp);
          expect(back.ssrc).toBe(p.ssrc);
          expect(back.marker).toBe(p.marker);
          expect(back.payloadType).toBe(p.payloadType);
          expect(back.csrcs).toEqual(p.csrcs);
          expect(back.paddingLength).toBe(p.paddingLength);
          expect([...back.payload]).toEqual([...p.payload]);
          expect(back.extension?.data.length).toBe(p.extension?.data.length);
        },
      ),
    );
  });
});
