import { describe, expect, it } from 'vitest';
import { Rfc4733Sender } from './rfc4733-sender.js';

const hex = (p: Uint8Array): string => Buffer.from(p).toString('hex');

describe('Rfc4733Sender', () => {
  it('builds start, 50 ms updates and three end packets for a 160 ms digit', () => {
    const pkts = new Rfc4733Sender().packets('5', 160);
    expect(pkts.map((p) => [p.sendAtMs, p.marker, p.end, p.duration, p.timestampOffset])).toEqual([
      [0, true, false, 0, 0],
      [50, false, false, 400, 0],
      [100, false, false, 800, 0],
      [150, false, false, 1200, 0],
      [160, false, true, 1280, 0],
      [210, false, true, 1280, 0],
      [260, false, true, 1280, 0],
    ]);
    expect(hex(pkts[0]!.payload)).toBe('050a0000');
    expect(hex(pkts[1]!.payload)).toBe('050a0190');
    expect(hex(pkts[4]!.payload)).toBe('058a0500');
  });

  it('honours clock rate, interval, volume and end count', () => {
    const pkts = new Rfc4733Sender({ clockRate: 48000, updateIntervalMs: 20, volume: 7, endPackets: 2 }).packets('#', 40);
    expect(pkts.map((p) => hex(p.payload))).toEqual(['0b070000', '0b0703c0', '0b870780', '0b870780']);
    expect(pkts.map((p) => p.sendAtMs)).toEqual([0, 20, 40, 60]);
  });

  it('splits events longer than 0xFFFF units into segments (RFC 4733 2.5.1.3)', () => {
    // 2 s at 48 kHz = 96000 units: one full segment of 65535 then 30465 more.
    const pkts = new Rfc4733Sender({ clockRate: 48000 }).packets('1', 2000);
    expect(pkts.filter((p) => p.marker)).toHaveLength(1);
    const full = pkts.filter((p) => p.duration === 0xffff);
    expect(full).toHaveLength(1);
    expect(full[0]!.timestampOffset).toBe(0);
    const ends = pkts.filter((p) => p.end);
    expect(ends).toHaveLength(3);
    expect(ends.every((p) => p.timestampOffset === 0xffff && p.duration === 96000 - 0xffff)).toBe(true);
    // Durations never go down within a segment.
    for (let i = 1; i < pkts.length; i++) {
      if (pkts[i]!.timestampOffset === pkts[i - 1]!.timestampOffset) expect(pkts[i]!.duration).toBeGreaterThanOrEqual(pkts[i - 1]!.duration);
    }
  });

  it('sends flash as event 16 and rejects non-digits', () => {
    expect(hex(new Rfc4733Sender().packets(16, 100)[0]!.payload)).toBe('100a0000');
    expect(() => new Rfc4733Sender().packets('x' as '1', 100)).toThrow(RangeError);
  });
});
