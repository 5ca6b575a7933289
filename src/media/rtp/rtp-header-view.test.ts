import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isMediaParseError } from './parse-error.js';
import { parseRtpPacket } from './rtp-packet.js';
import {
  RtpHeaderView,
  rewriteRtpHeader,
  setRtpMarker,
  setRtpPayloadType,
  setRtpSequenceNumber,
} from './rtp-header-view.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const FULL = hex('b2 e0 ffff ffffffff 00000001 11111111 22222222 bede0001 10aa0000 cafe 000003');

describe('RtpHeaderView', () => {
  it('reads every field and the payload bounds without parsing', () => {
    const v = new RtpHeaderView();
    expect(v.wrap(FULL)).toBeUndefined();
    expect(v.marker).toBe(true);
    expect(v.payloadType).toBe(96);
    expect(v.sequenceNumber).toBe(0xffff);
    expect(v.timestamp).toBe(0xffffffff);
    expect(v.ssrc).toBe(1);
    expect(v.csrcCount).toBe(2);
    expect(v.csrc(1)).toBe(0x22222222);
    expect(v.hasExtension).toBe(true);
    expect(v.extensionProfile).toBe(0xbede);
    expect(v.extensionDataOffset).toBe(24);
    expect(v.extensionDataLength).toBe(4);
    expect(v.payloadOffset).toBe(28);
    expect(v.payloadLength).toBe(2);
    expect(v.paddingLength).toBe(3);
    expect(Buffer.from(v.payload()).toString('hex')).toBe('cafe');
  });

  it('reports the same errors as the parser and forgets the last buffer', () => {
    const v = new RtpHeaderView();
    v.wrap(FULL);
    const err = v.wrap(hex('a0 00 1234 000000a0 deadbeef 0105'));
    expect(err?.reason).toMatch(/padding/);
    expect(v.buffer.length).toBe(0);
  });

  it('agrees with parseRtpPacket on any input', () => {
    const v = new RtpHeaderView();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, valid) => {
        if (valid && bytes.length >= 12) bytes[0] = 0x80 | (bytes[0]! & 0x3f);
        const p = parseRtpPacket(bytes);
        const err = v.wrap(bytes);
        expect(err === undefined).toBe(!isMediaParseError(p));
        if (!isMediaParseError(p)) {
          expect(v.sequenceNumber).toBe(p.sequenceNumber);
          expect(v.timestamp).toBe(p.timestamp);
          expect(v.ssrc).toBe(p.ssrc);
          expect(v.payloadLength).toBe(p.payload.length);
          expect(v.payloadOffset).toBe(p.payload.byteOffset - bytes.byteOffset);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('in-place header rewrite', () => {
  it('changes sequence, timestamp, SSRC and PT and leaves the marker and payload alone', () => {
    const buf = Buffer.from(FULL);
    rewriteRtpHeader(buf, 0x0102, 0x03040506, 0x0708090a, 0);
    expect(buf.subarray(0, 12).toString('hex')).toBe('b2800102030405060708090a');
    expect(buf.subarray(12).equals(FULL.subarray(12))).toBe(true);
  });

  it('sets and clears the marker and PT separately', () => {
    const buf = hex('80 00 1234 000000a0 deadbeef');
    setRtpMarker(buf, true);
    setRtpPayloadType(buf, 101);
    expect(buf[1]).toBe(0x80 | 101);
    setRtpMarker(buf, false);
    expect(buf[1]).toBe(101);
    setRtpSequenceNumber(buf, 0x1_0005);
    expect(buf.readUInt16BE(2)).toBe(5);
  });
});
