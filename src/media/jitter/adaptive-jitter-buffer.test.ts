import { describe, expect, it } from 'vitest';
import { AdaptiveJitterBuffer } from './adaptive-jitter-buffer.js';
import type { JitterPutResult } from './jitter-buffer-types.js';
import { transition } from './jitter-buffer-state.js';

interface Out {
  kind: 'packet' | 'lost';
  seq: number;
  ts: number;
  at: number;
  byte: number;
}

/** A 8 kHz stream of 20 ms packets: packet n is sent at n * 20 ms; its payload is filled with n. */
class Stream {
  readonly jb: AdaptiveJitterBuffer;
  readonly out: Out[] = [];
  private readonly payload = new Uint8Array(160);
  now = 0;
  /** Frames of silence not sent so far (DTX): RTP time and send time run ahead of the index. */
  skip = 0;

  constructor(
    readonly seq0 = 1000,
    readonly ts0 = 50_000,
    readonly ssrc = 0x1234,
    options: Partial<ConstructorParameters<typeof AdaptiveJitterBuffer>[0]> = {},
  ) {
    this.jb = new AdaptiveJitterBuffer({ clockRate: 8000, ...options });
  }

  put(n: number, arrivalMs = (n + this.skip) * 20, marker = false, ssrc = this.ssrc, tsOffset = 0): JitterPutResult {
    this.payload.fill(n & 0xff);
    const ts = this.ts0 + (n + this.skip) * 160 + tsOffset;
    return this.jb.put(ssrc, (this.seq0 + n) & 0xffff, ts >>> 0, marker, this.payload, 0, 160, arrivalMs);
  }

  /** Runs 20 ms ticks up to `untilMs`, collecting what is popped. */
  tick(untilMs: number): void {
    for (; this.now <= untilMs; this.now += 20) {
      for (let f = this.jb.pop(this.now); f; f = this.jb.pop(this.now)) {
        this.out.push({ kind: f.kind, seq: f.sequenceNumber, ts: f.timestamp, at: this.now, byte: f.payload[0] ?? -1 });
      }
    }
  }

  /** Delivers packets in `order` (indices), each at its send time plus `transit(n)`, ticking between. */
  run(order: number[], transit: (n: number) => number = () => 1): void {
    const arrivals = order.map((n) => ({ n, at: (n + this.skip) * 20 + transit(n) })).sort((a, b) => a.at - b.at);
    for (const a of arrivals) {
      this.tick(a.at);
      this.put(a.n, a.at);
    }
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('AdaptiveJitterBuffer', () => {
  it('plays an in-order stream in order, one frame per tick, about the minimum delay behind', () => {
    const s = new Stream();
    s.run(range(0, 50), () => 2);
    s.tick(2000);
    expect(s.out.map((o) => o.seq)).toEqual(range(1000, 1050));
    expect(s.out.every((o) => o.kind === 'packet')).toBe(true);
    expect(s.out.map((o) => o.byte)).toEqual(range(0, 50));
    // Played at floor + RTP time + target (20 ms) on a 20 ms tick: 20 to 40 ms after arrival.
    for (const o of s.out) {
      const n = o.seq - 1000;
      expect(o.at - (n * 20 + 2)).toBeGreaterThanOrEqual(20);
      expect(o.at - (n * 20 + 2)).toBeLessThanOrEqual(40);
    }
    expect(s.jb.targetDelayMs).toBeGreaterThanOrEqual(20);
    expect(s.jb.targetDelayMs).toBeLessThan(30);
    expect(s.jb.counters).toMatchObject({ received: 50, lost: 0, late: 0, duplicate: 0 });
    expect(s.jb.state).toBe('playing');
    expect(s.jb.size).toBe(0);
  });

  it('puts reordered packets back in order', () => {
    const s = new Stream();
    // Every third pair swapped: 0 1 3 2 4 5 7 6 ...
    const order = range(0, 30);
    for (let i = 2; i + 1 < order.length; i += 4) [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
    // A swapped packet arrives 5 ms after its successor.
    s.run(order, (n) => (n % 4 === 2 ? 26 : 1));
    s.tick(2000);
    expect(s.out.map((o) => o.seq)).toEqual(range(1000, 1030));
    expect(s.out.map((o) => o.byte)).toEqual(range(0, 30));
    expect(s.jb.counters.lost).toBe(0);
    expect(s.jb.counters.late).toBe(0);
  });

  it('drops a duplicate, held or already played', () => {
    const s = new Stream();
    expect(s.put(0, 0)).toBe('queued');
    expect(s.put(0, 1)).toBe('duplicate');
    s.tick(100);
    expect(s.out).toHaveLength(1);
    expect(s.put(0, 101)).toBe('duplicate');
    s.tick(200);
    expect(s.out).toHaveLength(1);
    expect(s.jb.counters.duplicate).toBe(2);
    expect(s.jb.counters.received).toBe(1);
  });

  it('hands out a lost packet as a lost frame to conceal, in its place, when the next packet plays', () => {
    const s = new Stream();
    s.run(range(0, 20).filter((n) => n !== 7));
    s.tick(1000);
    expect(s.out.map((o) => o.seq)).toEqual(range(1000, 1020));
    const lost = s.out.find((o) => o.kind === 'lost')!;
    expect(lost).toMatchObject({ seq: 1007, ts: 50_000 + 7 * 160, byte: -1 });
    const before = s.out.find((o) => o.seq === 1006)!;
    const after = s.out.find((o) => o.seq === 1008)!;
    // Waited for as long as the next packet allowed (a late one would still have played).
    expect(lost.at - before.at).toBeGreaterThanOrEqual(20);
    expect(lost.at - before.at).toBeLessThanOrEqual(40);
    expect(after.at).toBe(lost.at);
    expect(s.jb.counters).toMatchObject({ lost: 1, concealed: 1 });
  });

  it('drops a packet that comes after its slot was concealed (late), and grows the delay', () => {
    const s = new Stream();
    s.run(range(0, 10).filter((n) => n !== 5));
    s.tick(300);
    expect(s.out.find((o) => o.seq === 1005)?.kind).toBe('lost');
    const target = s.jb.targetDelayMs;
    expect(s.put(5, 301)).toBe('late');
    expect(s.jb.counters.late).toBe(1);
    expect(s.jb.targetDelayMs).toBeGreaterThan(target + 100);
    s.tick(600);
    expect(s.out.filter((o) => o.seq === 1005)).toHaveLength(1);
  });

  it('raises the target at once on a jitter spike, and keeps it through a calm period', () => {
    const s = new Stream();
    s.run(range(0, 50), () => 1);
    const calm = s.jb.targetDelayMs;
    expect(calm).toBeLessThan(25);
    // A 120 ms network stall: packet 50 and the ones queued behind it arrive together. Nothing
    // is lost (the buffer waits), and the jitter estimate raises the target.
    s.run(range(50, 56), (n) => 120 - (n - 50) * 20);
    expect(s.jb.targetDelayMs).toBeGreaterThan(calm + 30);
    s.run(range(56, 60), () => 1);
    // One packet 150 ms late while the next ones come on time: it misses its turn (concealed,
    // then dropped late), and the target grows at once to cover such a delay.
    s.run(range(60, 70), (n) => (n === 61 ? 150 : 1));
    expect(s.jb.counters).toMatchObject({ late: 1, concealed: 1 });
    expect(s.jb.targetDelayMs).toBeGreaterThan(150);
    expect(s.jb.targetDelayMs).toBeLessThanOrEqual(200);
    const raised = s.jb.targetDelayMs;
    // Two calm seconds without a talkspurt start: the target does not shrink mid-speech.
    s.run(range(70, 156), () => 1);
    s.tick(156 * 20);
    expect(s.jb.targetDelayMs).toBe(raised);
    expect(s.jb.jitterMs).toBeLessThan(1);
    expect(s.jb.canShrink).toBe(true);
    // A talkspurt after 1 s of silence (DTX: RTP time and real time ran on, sequence did not).
    s.skip += 50;
    s.tick((156 + s.skip) * 20);
    expect(s.jb.size).toBe(0);
    s.put(156, (156 + s.skip) * 20 + 1, true);
    expect(s.jb.targetDelayMs).toBeLessThan(raised);
    expect(s.jb.targetDelayMs).toBeGreaterThanOrEqual(raised - 20);
    // Further talkspurts bring it back down to what the jitter asks for.
    for (let k = 0; k < 8; k++) {
      const n = 157 + k * 50;
      s.run(range(n, n + 49));
      s.skip += 50;
      s.tick((n + 49 + s.skip) * 20);
      s.put(n + 49, (n + 49 + s.skip) * 20 + 1, true);
    }
    expect(s.jb.counters.lost).toBe(1);
    expect(s.jb.targetDelayMs).toBeLessThan(25);
  });

  it('a sender whose timer is sometimes late does not ratchet the target up (no talkspurts)', () => {
    const s = new Stream();
    // Every 7th packet 15 ms late (a busy sender), for a minute of continuous audio.
    s.run(range(0, 3000), (n) => (n % 7 === 3 ? 16 : 1));
    s.tick(3000 * 20 + 100);
    expect(s.jb.counters).toMatchObject({ lost: 0, late: 0 });
    expect(s.jb.targetDelayMs).toBeLessThan(40);
  });

  it('a silent frame dropped by the caller shrinks the target by one frame', () => {
    const s = new Stream();
    s.run(range(0, 20), () => 1);
    s.run(range(20, 24), (n) => 100 - (n - 20) * 20);
    s.run(range(24, 80), () => 1);
    const raised = s.jb.targetDelayMs;
    expect(s.jb.dropSilence()).toBe(true);
    expect(s.jb.targetDelayMs).toBeCloseTo(raised - 20, 6);
    while (s.jb.dropSilence());
    expect(s.jb.canShrink).toBe(false);
    expect(s.jb.targetDelayMs).toBeGreaterThanOrEqual(20);
    expect(s.jb.targetDelayMs).toBeLessThan(45);
  });

  it('follows the sequence number and the timestamp across their wraps', () => {
    const s = new Stream(65_530, 2 ** 32 - 3 * 160);
    s.run(range(0, 12).filter((n) => n !== 8), (n) => (n === 5 ? 30 : 1));
    s.tick(1000);
    expect(s.out.map((o) => o.seq)).toEqual([...range(65_530, 65_536), ...range(0, 6)]);
    expect(s.out.map((o) => o.ts)).toEqual(range(0, 12).map((n) => (2 ** 32 - 480 + n * 160) >>> 0));
    expect(s.out.find((o) => o.kind === 'lost')?.seq).toBe(2);
    expect(s.jb.counters).toMatchObject({ lost: 1, late: 0, resets: 0 });
  });

  it('starts over on a new SSRC, dropping the old stream', () => {
    const s = new Stream();
    s.run(range(0, 10));
    s.tick(200);
    expect(s.jb.size).toBeGreaterThan(0);
    const played = s.out.length;
    // The new source starts with unrelated numbers.
    const other = new Uint8Array(160).fill(0xee);
    expect(s.jb.put(0x9999, 7, 123_456, true, other, 0, 160, 230)).toBe('reset');
    expect(s.jb.counters.resets).toBe(1);
    expect(s.jb.size).toBe(1);
    expect(s.jb.state).toBe('buffering');
    s.tick(400);
    expect(s.out.slice(played)).toEqual([{ kind: 'packet', seq: 7, ts: 123_456, at: expect.any(Number), byte: 0xee }]);
  });

  it('starts over on a sequence or timestamp jump that is no jitter', () => {
    const s = new Stream();
    s.run(range(0, 10));
    expect(s.put(10 + 5000, 201)).toBe('reset');
    const t = new Stream();
    t.run(range(0, 10));
    // Next sequence number, but the timestamp 30 s ahead while 20 ms passed.
    expect(t.put(10, 201, false, t.ssrc, 30 * 8000)).toBe('reset');
    // A DTX pause does not: 3 s of silence, and the timestamp followed.
    const u = new Stream();
    u.run(range(0, 10));
    u.skip = 150;
    expect(u.put(10, undefined, true)).toBe('queued');
    expect(u.jb.counters.resets).toBe(0);
  });

  it('keeps a fixed ring: a burst beyond it drops the oldest, memory does not grow', () => {
    const s = new Stream(1000, 50_000, 0x1234, { capacity: 16 });
    for (let n = 0; n < 40; n++) s.put(n, 0);
    expect(s.jb.size).toBe(16);
    expect(s.jb.counters.overflow).toBe(24);
    s.tick(2000);
    expect(s.out.map((o) => o.seq)).toEqual(range(1024, 1040));
    const slots = s.jb.slots;
    const bytes = s.jb.storageBytes;
    // A long run with loss, reordering and duplicates: the ring neither grows nor leaks.
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 40; n < 20_000; n++) {
      const r = rand();
      if (r < 0.03) continue;
      s.tick(n * 20);
      s.put(n, n * 20 + rand() * 30);
      if (r > 0.97) s.put(n, n * 20 + 31);
      expect(s.jb.size).toBeLessThanOrEqual(16);
    }
    expect(s.jb.slots).toBe(slots);
    expect(s.jb.storageBytes).toBe(bytes);
    expect(s.jb.counters.duplicate).toBeGreaterThan(400);
    expect(s.jb.counters.lost).toBeGreaterThan(400);
  });

  it('copies the payload: the sender may reuse its buffer', () => {
    const jb = new AdaptiveJitterBuffer({ clockRate: 8000 });
    const buf = new Uint8Array(200).fill(9);
    buf.fill(42, 12, 172);
    jb.put(1, 10, 1000, false, buf, 12, 160, 0);
    buf.fill(0);
    const f = jb.pop(100)!;
    expect(f.payload).toHaveLength(160);
    expect(f.payload.every((b) => b === 42)).toBe(true);
    // A larger payload (Opus at a high rate) grows the slots once, keeping what is held.
    jb.put(1, 11, 1160, false, new Uint8Array(160).fill(1), 0, 160, 20);
    jb.put(1, 12, 1320, false, new Uint8Array(700).fill(2), 0, 700, 40);
    expect(jb.pop(200)!.payload.every((b) => b === 1)).toBe(true);
    const big = jb.pop(200)!;
    expect(big.payload).toHaveLength(700);
    expect(big.payload.every((b) => b === 2)).toBe(true);
  });

  it('has explicit states: empty, buffering, playing; a reset goes back to empty', () => {
    expect(transition('empty', 'queued')).toEqual({ next: 'buffering', effect: 'anchor' });
    expect(transition('buffering', 'played').next).toBe('playing');
    expect(transition('playing', 'queued').next).toBe('playing');
    expect(transition('playing', 'reset')).toEqual({ next: 'empty', effect: 'drop' });
    const s = new Stream();
    expect(s.jb.state).toBe('empty');
    s.put(0, 0);
    expect(s.jb.state).toBe('buffering');
    s.tick(40);
    expect(s.jb.state).toBe('playing');
    s.jb.reset();
    expect(s.jb.state).toBe('empty');
    expect(s.jb.size).toBe(0);
  });
});
