import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.js';
import type { JitterBufferOptions, JitterPushResult } from './jitter-buffer.js';

interface Sent { seq: number; ts: number; arrival: number; marker?: boolean; ssrc?: number }
interface Played { at: number; kind: 'frame' | 'gap'; seq: number; ts: number; samples: number; marker: boolean; byte: number }

/** A 20 ms, 8 kHz stream: packet i has seq seq0+i, ts ts0+160i, sent at 20i ms plus `delay(i)`. */
function stream(n: number, delay: (i: number) => number = () => 0, seq0 = 1000, ts0 = 50_000): Sent[] {
  return Array.from({ length: n }, (_, i) => ({
    seq: (seq0 + i) & 0xffff,
    ts: (ts0 + i * 160) >>> 0,
    arrival: i * 20 + delay(i),
  }));
}

/** Delivers packets at their arrival ms and drains the buffer every 20 ms tick. */
function run(
  packets: Sent[],
  options: Partial<JitterBufferOptions> = {},
  untilMs = 2000,
): { played: Played[]; results: JitterPushResult[]; jb: JitterBuffer } {
  const jb = new JitterBuffer({ clockRate: 8000, ...options });
  const byTime = new Map<number, Sent[]>();
  for (const p of packets) byTime.set(p.arrival, [...(byTime.get(p.arrival) ?? []), p]);
  const played: Played[] = [];
  const results: JitterPushResult[] = [];
  for (let t = 0; t <= untilMs; t++) {
    for (const p of byTime.get(t) ?? []) {
      results.push(jb.push(p.seq, p.ts, Uint8Array.of(p.seq & 0xff), t, p.marker ?? false, p.ssrc ?? -1));
    }
    if (t % 20 !== 0) continue;
    for (let f = jb.pop(t); f; f = jb.pop(t)) {
      played.push({ at: t, kind: f.kind, seq: f.sequenceNumber, ts: f.timestamp, samples: f.samples, marker: f.marker, byte: f.payload[0] ?? -1 });
    }
  }
  return { played, results, jb };
}

const seqs = (played: Played[]): number[] => played.map((p) => p.seq);

describe('JitterBuffer', () => {
  it('plays a clean stream in order at the minimum delay', () => {
    const { played, jb } = run(stream(50));
    expect(seqs(played)).toEqual(stream(50).map((p) => p.seq));
    expect(played.every((p) => p.kind === 'frame')).toBe(true);
    // Packet i arrives at 20i and plays 20 ms later.
    expect(played.slice(0, 3).map((p) => p.at)).toEqual([20, 40, 60]);
    expect(jb.targetDelayMs).toBe(20);
    expect(jb.jitterMs).toBe(0);
    expect(played[7]!.byte).toBe((1007) & 0xff);
  });

  it('puts reordered packets back in order', () => {
    const packets = stream(30);
    // Packets 5 and 6 swap places, 12 arrives after 13 and 14.
    packets[5]!.arrival = 118;
    packets[6]!.arrival = 112;
    packets[12]!.arrival = 285;
    // 45 ms late for packet 12: within a 60 ms buffer.
    const { played, results, jb } = run(packets, { minDelayMs: 60 });
    expect(seqs(played)).toEqual(stream(30).map((p) => p.seq));
    expect(played.every((p) => p.kind === 'frame')).toBe(true);
    expect(results.every((r) => r === 'queued')).toBe(true);
    expect(jb.stats.late).toBe(0);
  });

  it('reports a lost packet as a gap the size of one frame', () => {
    const packets = stream(20).filter((p) => p.seq !== 1005 && p.seq !== 1006);
    const { played, jb } = run(packets);
    const gaps = played.filter((p) => p.kind === 'gap');
    expect(gaps.map((g) => [g.seq, g.ts, g.samples])).toEqual([
      [1005, 50_000 + 5 * 160, 160],
      [1006, 50_000 + 6 * 160, 160],
    ]);
    expect(seqs(played)).toEqual(stream(20).map((p) => p.seq));
    // A loss is declared once a later packet is held (1007 arrives at 140), never before the slot is due.
    expect(gaps.map((g) => g.at)).toEqual([140, 140]);
    expect(jb.stats.gaps).toBe(2);
  });

  it('discards a packet that arrives after its slot was concealed', () => {
    const packets = stream(30);
    packets[5]!.arrival = 500; // far beyond the maximum delay
    const { played, results, jb } = run(packets);
    expect(played.find((p) => p.seq === 1005)?.kind).toBe('gap');
    expect(played.filter((p) => p.seq === 1005)).toHaveLength(1);
    expect(results).toContain('late');
    expect(jb.stats.late).toBe(1);
  });

  it('drops duplicates', () => {
    const packets = stream(10);
    packets.splice(4, 0, { ...packets[3]!, arrival: 65 });
    const { played, results } = run(packets);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(1);
    expect(seqs(played)).toEqual(stream(10).map((p) => p.seq));
  });

  it('grows the delay for a jitter burst instead of losing it, within the maximum', () => {
    // Packets 20..24 are held 100 ms in the network and arrive together.
    const packets = stream(200, (i) => (i >= 20 && i <= 24 ? 100 - (i - 20) * 20 : 0));
    const { played, jb } = run(packets, {}, 5000);
    expect(played.filter((p) => p.kind === 'gap')).toHaveLength(0);
    expect(seqs(played)).toEqual(stream(200).map((p) => p.seq));
    expect(jb.targetDelayMs).toBeGreaterThan(20);
    expect(jb.targetDelayMs).toBeLessThanOrEqual(100);
    expect(jb.playoutDelayMs).toBeGreaterThanOrEqual(jb.targetDelayMs);
  });

  it('learns from a late packet so the next one like it is played, not concealed', () => {
    // Packet 20 is overtaken (60 ms late): concealed, and the delay grows. Packet 70,
    // a second later and 50 ms late, then fits in the buffer.
    const packets = stream(120, (i) => (i === 20 ? 60 : i === 70 ? 50 : 0));
    const { played, jb } = run(packets, {}, 3000);
    expect(played.filter((p) => p.kind === 'gap').map((p) => p.seq)).toEqual([1020]);
    expect(played.find((p) => p.seq === 1070)?.kind).toBe('frame');
    expect(jb.stats.late).toBe(1);
    // The same stream through a buffer that cannot grow loses both.
    const fixed = run(packets, { maxDelayMs: 20 }, 3000);
    expect(fixed.played.filter((p) => p.kind === 'gap').map((p) => p.seq)).toEqual([1020, 1070]);
  });

  it('shrinks the delay again once the burst is long past, without skipping frames', () => {
    const packets = stream(1500, (i) => (i >= 20 && i <= 24 ? 100 - (i - 20) * 20 : 0));
    const { played, jb } = run(packets, {}, 31_000);
    expect(jb.targetDelayMs).toBe(20);
    expect(jb.playoutDelayMs).toBe(20);
    expect(seqs(played)).toEqual(packets.map((p) => p.seq));
    expect(played.every((p) => p.kind === 'frame')).toBe(true);
  });

  it('adapts to steady jitter and stays between min and max', () => {
    // Every packet delayed 0..40 ms pseudo-randomly.
    let s = 12345;
    const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 41);
    const { played, jb } = run(stream(300, () => rnd()), {}, 7000);
    expect(jb.targetDelayMs).toBeGreaterThanOrEqual(30);
    expect(jb.targetDelayMs).toBeLessThanOrEqual(41);
    expect(jb.jitterMs).toBeGreaterThan(5);
    // After the first second the delay covers the jitter: no more concealment.
    expect(played.filter((p) => p.kind === 'gap' && p.at > 1000)).toHaveLength(0);
    expect(played.filter((p) => p.kind === 'frame')).toHaveLength(300 - jb.stats.late);
  });

  it('clamps the target delay to the maximum', () => {
    const packets = stream(60, (i) => (i === 30 ? 450 : 0));
    const { jb } = run(packets, { maxDelayMs: 200 }, 3000);
    expect(jb.targetDelayMs).toBe(200);
  });

  it('handles sequence number and timestamp wrap-around', () => {
    const packets = stream(20, () => 0, 65530, 0xffffffff - 160 * 3 + 1);
    packets.splice(8, 1); // lose the packet just after the wrap (seq 2)
    const { played } = run(packets);
    expect(seqs(played)).toEqual([65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(played.find((p) => p.seq === 2)?.kind).toBe('gap');
    expect(played.map((p) => p.ts)).toEqual(stream(20, () => 0, 65530, 0xffffffff - 160 * 3 + 1).map((p) => p.ts));
    expect(played[3]!.ts).toBe(0); // the timestamp wrapped on the fourth packet
    expect(played[3]!.kind).toBe('frame');
  });

  it('plays across silence suppression without inventing gaps', () => {
    // 10 packets, 1 s of silence (timestamps jump, sequence numbers do not), 10 more with the marker.
    const first = stream(10);
    const second = stream(10, () => 0, 1010, 50_000 + 160 * 10 + 8000).map((p, i) => ({
      ...p, arrival: p.arrival + 200 + 1000, marker: i === 0,
    }));
    const { played } = run([...first, ...second], {}, 3000);
    expect(seqs(played)).toEqual([...first, ...second].map((p) => p.seq));
    expect(played.every((p) => p.kind === 'frame')).toBe(true);
    expect(played[10]!.marker).toBe(true);
    expect(played[10]!.at).toBe(1220);
  });

  it('resynchronises on a new SSRC or a large jump', () => {
    const a = stream(10).map((p) => ({ ...p, ssrc: 1 }));
    const b = stream(10, () => 0, 7, 123).map((p) => ({ ...p, ssrc: 2, arrival: p.arrival + 230 }));
    const { played, results, jb } = run([...a, ...b]);
    expect(results[10]).toBe('resync');
    expect(seqs(played)).toEqual([...a, ...b].map((p) => p.seq));
    expect(jb.stats.resyncs).toBe(1);

    const jump = stream(10).concat(stream(10, () => 0, 30000, 9).map((p) => ({ ...p, arrival: p.arrival + 230 })));
    const r2 = run(jump);
    expect(r2.results[10]).toBe('resync');
    expect(seqs(r2.played).slice(-10)).toEqual(stream(10, () => 0, 30000).map((p) => p.seq));
    expect(r2.played.filter((p) => p.kind === 'gap')).toHaveLength(0);
  });

  it('resynchronises when timestamps jump without the time passing (sender restarted its clock)', () => {
    const a = stream(10);
    const b = stream(10, () => 0, 1010, 50_000 + 160 * 10 + 8000 * 60).map((p) => ({ ...p, arrival: p.arrival + 230 }));
    const { results, played } = run([...a, ...b]);
    expect(results[10]).toBe('resync');
    expect(played).toHaveLength(20);
  });

  it('sizes a gap from the timestamps around it when packets are not 20 ms', () => {
    // 30 ms packets (240 samples); one lost.
    const packets = Array.from({ length: 12 }, (_, i) => ({ seq: i, ts: i * 240, arrival: i * 30 })).filter((p) => p.seq !== 6);
    const { played } = run(packets, {}, 1000);
    const gap = played.find((p) => p.kind === 'gap');
    expect(gap).toMatchObject({ seq: 6, ts: 6 * 240, samples: 240 });
  });
});
