import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { isMediaParseError } from './parse-error.js';
import { parseRtpPacket } from './rtp-packet.js';
import type { RtpPacket } from './rtp-packet.js';
import { RtpSender } from './rtp-sender.js';

function read(buf: Uint8Array): RtpPacket {
  const p = parseRtpPacket(buf);
  if (isMediaParseError(p)) throw new Error(p.reason);
  return p;
}

describe('RtpSender', () => {
  it('draws SSRC, sequence number and timestamp from the random source', () => {
    const a = new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(1) });
    const b = new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(1) });
    const c = new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(2) });
    expect([a.ssrc, a.nextSequenceNumber, a.nextTimestamp]).toEqual([b.ssrc, b.nextSequenceNumber, b.nextTimestamp]);
    expect(c.ssrc).not.toBe(a.ssrc);
    expect(new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(1), ssrc: 42 }).ssrc).toBe(42);
  });

  it('builds consecutive packets: seq +1, ts +samples, marker only on the first', () => {
    const s = new RtpSender({ payloadType: 8, clockRate: 8000, random: seededRandom(7) });
    const seq0 = s.nextSequenceNumber;
    const ts0 = s.nextTimestamp;
    const payload = new Uint8Array(160).fill(0xd5);
    const out = Buffer.alloc(300);
    const n = s.writeNext(payload, 160, out);
    expect(n).toBe(172);
    const p1 = read(out.subarray(0, n));
    expect(p1).toMatchObject({ marker: true, payloadType: 8, sequenceNumber: seq0, timestamp: ts0, ssrc: s.ssrc });
    expect(p1.payload.length).toBe(160);
    const p2 = read(s.next(payload, 160));
    expect(p2.marker).toBe(false);
    expect(p2.sequenceNumber).toBe((seq0 + 1) & 0xffff);
    expect(p2.timestamp).toBe((ts0 + 160) >>> 0);
    expect(s.packetCount).toBe(2);
    expect(s.octetCount).toBe(320);
  });

  it('advances the timestamp over silence and marks the next talkspurt', () => {
    const s = new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(3) });
    const a = read(s.next(new Uint8Array(160), 160));
    s.skip(800);
    const b = read(s.next(new Uint8Array(160), 160));
    expect(b.sequenceNumber).toBe((a.sequenceNumber + 1) & 0xffff);
    expect(b.timestamp).toBe((a.timestamp + 960) >>> 0);
    expect(b.marker).toBe(true);
  });

  it('wraps the sequence number and the timestamp', () => {
    // Skip the timestamp so both counters reach 2^16 / 2^32 on the same packet.
    const s = new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(11) });
    const seq0 = s.nextSequenceNumber;
    const ts0 = s.nextTimestamp;
    const steps = 0x10000 - seq0;
    s.skip((0x100000000 - ts0 - steps * 160) >>> 0);
    const payload = new Uint8Array(1);
    const out = Buffer.alloc(13);
    for (let i = 0; i < steps; i++) s.writeNext(payload, 160, out);
    expect(s.nextSequenceNumber).toBe(0);
    expect(s.nextTimestamp).toBe(0);
  });

  it('refuses a buffer too small', () => {
    const s = new RtpSender({ payloadType: 0, clockRate: 8000, random: seededRandom(3) });
    expect(() => s.writeNext(new Uint8Array(160), 160, new Uint8Array(100))).toThrow(RangeError);
  });
});
