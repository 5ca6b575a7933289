import { describe, expect, it } from 'vitest';
import { RtpSequenceTracker } from './rtp-sequence-tracker.js';
import type { RtpReceiveOutcome } from './rtp-sequence-tracker.js';

/** Feeds sequence numbers 20 ms apart with matching timestamps (8 kHz). */
function feed(t: RtpSequenceTracker, seqs: number[], startMs = 0): RtpReceiveOutcome[] {
  return seqs.map((s, i) => t.receive(s, s * 160, startMs + i * 20));
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('RtpSequenceTracker: RFC 3550 A.1 source validation', () => {
  it('holds the first packet in probation and validates on the second in-order one', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    expect(t.receive(100, 0, 0)).toBe('probation');
    expect(t.valid).toBe(false);
    expect(t.packetsExpected).toBe(0);
    expect(t.receive(101, 160, 20)).toBe('in-order');
    expect(t.valid).toBe(true);
    // init_seq runs on the validating packet: it is the base and the only one counted.
    expect(t.baseSequence).toBe(101);
    expect(t.packetsReceived).toBe(1);
    expect(t.packetsExpected).toBe(1);
  });

  it('restarts probation when the probation packets are not sequential', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    expect(feed(t, [100, 105, 106])).toEqual(['probation', 'probation', 'in-order']);
    expect(t.baseSequence).toBe(106);
  });

  it('counts the first packet at once with minSequential 1', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000, minSequential: 1 });
    expect(t.receive(7, 0, 0)).toBe('in-order');
    expect(t.packetsReceived).toBe(1);
    expect(t.packetsExpected).toBe(1);
  });
});

describe('RtpSequenceTracker: counting', () => {
  it('counts a lost packet and the fraction lost for the interval', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, range(100, 110).filter((s) => s !== 105));
    expect(t.packetsExpected).toBe(10);
    expect(t.packetsReceived).toBe(9);
    expect(t.cumulativeLost).toBe(1);
    expect(t.takeFractionLost()).toBe(25); // floor(1 * 256 / 10)
    // A clean interval afterwards reports 0, while the cumulative count stays.
    feed(t, range(111, 120), 300);
    expect(t.takeFractionLost()).toBe(0);
    expect(t.cumulativeLost).toBe(1);
  });

  it('extends sequence numbers across the 16-bit wrap', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    expect(feed(t, [65533, 65534, 65535, 0, 1])).toEqual(['probation', 'in-order', 'in-order', 'in-order', 'in-order']);
    expect(t.extendedHighest).toBe(65536 + 1);
    expect(t.packetsExpected).toBe(4);
    expect(t.cumulativeLost).toBe(0);
  });

  it('tells late packets from duplicates; both count as received (RFC 3550 6.4.1)', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, [100, 101, 102, 104, 105]);
    expect(t.cumulativeLost).toBe(1);
    expect(t.receive(103, 103 * 160, 200)).toBe('late');
    expect(t.cumulativeLost).toBe(0);
    expect(t.receive(103, 103 * 160, 210)).toBe('duplicate');
    expect(t.receive(105, 105 * 160, 220)).toBe('duplicate');
    expect(t.duplicates).toBe(2);
    expect(t.latePackets).toBe(1);
    expect(t.cumulativeLost).toBe(-2);
    expect(t.takeFractionLost()).toBe(0);
  });

  it('finds late packets and duplicates across the wrap', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, [65530, 65531, 65532, 65534, 65535, 0, 1]);
    expect(t.receive(65533, 0, 300)).toBe('late');
    expect(t.receive(65533, 0, 310)).toBe('duplicate');
    expect(t.receive(65535, 0, 320)).toBe('duplicate');
    expect(t.cumulativeLost).toBe(-2);
  });

  it('treats a packet more than MAX_MISORDER behind as a jump, not as late', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, range(1000, 1200));
    expect(t.receive(1200 - 99, 0, 5000)).toBe('duplicate');
    expect(t.receive(1200 - 100, 0, 5020)).toBe('bad');
  });

  it('drops one packet after a big jump, then resumes the old stream', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, range(100, 110));
    expect(t.receive(9000, 0, 300)).toBe('bad');
    expect(t.receive(111, 111 * 160, 320)).toBe('in-order');
    expect(t.packetsExpected).toBe(11);
    expect(t.cumulativeLost).toBe(0);
  });

  it('restarts when two sequential packets confirm a jump (sender restarted)', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, range(100, 110));
    expect(t.receive(5000, 0, 300)).toBe('bad');
    expect(t.receive(5001, 160, 320)).toBe('restart');
    expect(t.baseSequence).toBe(5001);
    expect(t.packetsReceived).toBe(1);
    expect(t.packetsExpected).toBe(1);
    expect(t.receive(5002, 320, 340)).toBe('in-order');
    expect(t.jitter).toBe(0);
  });

  it('accepts gaps up to MAX_DROPOUT as loss', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, [10, 11]);
    expect(t.receive(11 + 2999, 0, 100)).toBe('in-order');
    expect(t.cumulativeLost).toBe(2998);
  });
});

describe('RtpSequenceTracker: interarrival jitter (RFC 3550 A.8)', () => {
  it('is zero when packets arrive exactly as their timestamps say', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000 });
    feed(t, range(0, 50), 12_345);
    expect(t.jitter).toBe(0);
  });

  it('follows J += (|D| - J)/16 for alternating 30/10 ms spacing', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000, minSequential: 1 });
    // 20 ms packets (160 units) arriving 30 ms, then 10 ms apart: |D| = 10 ms = 80 units each time.
    let arrival = 0;
    let expected = 0;
    for (let i = 0; i < 40; i++) {
      t.receive(i, i * 160, arrival);
      if (i > 0) expected += (80 - expected) / 16;
      arrival += i % 2 === 0 ? 30 : 10;
    }
    expect(t.jitter).toBe(Math.trunc(expected));
    expect(t.jitterMs).toBeCloseTo(expected / 8, 10);
    expect(t.jitter).toBe(73); // 80 * (1 - (15/16)^39)
  });

  it('is unaffected by the 32-bit timestamp wrap', () => {
    const t = new RtpSequenceTracker({ clockRate: 48000 });
    const start = 0xffffffff - 960 * 5;
    for (let i = 0; i < 12; i++) t.receive(i, (start + i * 960) >>> 0, i * 20);
    expect(t.jitter).toBe(0);
  });

  it('measures one late packet as one jump of D', () => {
    const t = new RtpSequenceTracker({ clockRate: 8000, minSequential: 1 });
    t.receive(0, 0, 0);
    t.receive(1, 160, 20);
    t.receive(2, 320, 56); // 16 ms late: D = 128 units, J = 128/16 = 8
    expect(t.jitter).toBe(8);
    expect(t.jitterMs).toBe(1);
  });
});
