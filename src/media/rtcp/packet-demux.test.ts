import { describe, expect, it } from 'vitest';
import { classifyPacket, isRtcp } from './packet-demux.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const STUN_BINDING = hex('0001 0000 2112a442 000102030405060708090a0b');
const DTLS_CLIENT_HELLO = hex('16 fefd 0000 000000000000 0040 01000034');
const RTP_PCMU = hex('80 00 0001 000000a0 deadbeef d5d5d5d5');
const RTP_MARKED_PT96 = hex('80 e0 0001 000000a0 deadbeef d5d5d5d5');
const RTCP_RR = hex('80 c9 0001 11223344');
const RTCP_SR_HEADER = hex('81 c8 000c 11223344');

describe('isRtcp (RFC 5761 4)', () => {
  it('sees RTCP packet types 192..223 in the second byte', () => {
    expect(isRtcp(RTCP_RR)).toBe(true);
    expect(isRtcp(RTCP_SR_HEADER)).toBe(true);
    expect(isRtcp(hex('80 c0 0001 00000000'))).toBe(true); // 192: FIR (RFC 2032)
    expect(isRtcp(hex('80 df 0001 00000000'))).toBe(true); // 223
  });

  it('leaves RTP alone, marker bit or not, outside PTs 64..95', () => {
    expect(isRtcp(RTP_PCMU)).toBe(false);
    expect(isRtcp(RTP_MARKED_PT96)).toBe(false);
    expect(isRtcp(hex('80 bf 0001 000000a0 deadbeef'))).toBe(false); // marker + PT 63
    expect(isRtcp(hex('80 e0 0001'))).toBe(false); // too short anyway
  });

  it('needs version 2', () => {
    expect(isRtcp(hex('40 c9 0001 11223344'))).toBe(false);
  });
});

describe('classifyPacket (RFC 7983)', () => {
  it.each([
    ['stun', STUN_BINDING],
    ['dtls', DTLS_CLIENT_HELLO],
    ['rtp', RTP_PCMU],
    ['rtp', RTP_MARKED_PT96],
    ['rtcp', RTCP_RR],
    ['unknown', hex('')],
    ['unknown', hex('0001 0000')], // STUN too short
    ['unknown', hex('16 fefd 00')], // DTLS too short
    ['unknown', hex('80 00 0001')], // RTP too short
    ['unknown', hex('40 00 0004 00000000 00000000')], // TURN channel data
    ['unknown', hex('10 00 0004 00000000 00000000 00000000 00000000')], // ZRTP range
    ['unknown', hex('c0 00 0001 000000a0 deadbeef')], // above 191
  ])('classifies %s', (expected, buf) => {
    expect(classifyPacket(buf)).toBe(expected);
  });

  it('uses the first byte boundaries exactly', () => {
    const cls = (b: number): string => classifyPacket(Buffer.concat([Buffer.of(b), Buffer.alloc(23)]));
    expect([3, 4, 19, 20, 63, 64, 127, 128, 191, 192].map(cls)).toEqual([
      'stun', 'unknown', 'unknown', 'dtls', 'dtls', 'unknown', 'unknown', 'rtp', 'rtp', 'unknown',
    ]);
  });
});
