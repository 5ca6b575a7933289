import { describe, expect, it } from 'vitest';
import type { RtcpReportBlock } from '../rtcp/index.js';
import { msFromNtp } from '../rtcp/index.js';
import { LegQualityMeter } from './leg-quality-meter.js';

function feed(m: LegQualityMeter, n: number, skip: (i: number) => boolean = () => false, delay: (i: number) => number = () => 0): void {
  for (let i = 0; i < n; i++) if (!skip(i)) m.receive((1000 + i) & 0xffff, i * 160, i * 20 + delay(i));
}

describe('LegQualityMeter', () => {
  it('reports a clean leg: all packets, no loss, no jitter, MOS at the G.711 ceiling less the buffer', () => {
    const m = new LegQualityMeter({ codec: 'PCMU', clockRate: 8000 });
    feed(m, 100);
    const s = m.snapshot();
    expect(s).toMatchObject({ packets: 100, lost: 0, jitterMs: 0, rttMs: undefined });
    // 20 ms assumed buffer: R = 93.2 - 0.48.
    expect(s.mos).toBe(4.4);
  });

  it('counts loss and lowers the MOS with it', () => {
    const clean = new LegQualityMeter({ codec: 'PCMA', clockRate: 8000 });
    feed(clean, 200);
    const lossy = new LegQualityMeter({ codec: 'PCMA', clockRate: 8000 });
    feed(lossy, 200, (i) => i % 20 === 10); // 5%
    const s = lossy.snapshot();
    expect(s.packets).toBe(190);
    expect(s.lost).toBe(10);
    expect(lossy.packetLossPercent).toBeCloseTo(5, 10);
    expect(s.mos).toBeLessThan(clean.snapshot().mos);
    // 5% random loss with PLC: Ie,eff = 95*5/30.1 = 15.78, R = 93.2 - 0.48 - 15.78 = 76.94.
    expect(s.mos).toBeCloseTo(1 + 0.035 * 76.94 + 76.94 * 16.94 * 23.06 * 7e-6, 2);
  });

  it('reports jitter in ms and charges the buffer it implies', () => {
    const m = new LegQualityMeter({ codec: 'PCMU', clockRate: 8000 });
    feed(m, 300, () => false, (i) => (i % 2) * 30);
    const s = m.snapshot();
    expect(s.jitterMs).toBeGreaterThan(25);
    expect(s.jitterMs).toBeLessThanOrEqual(30);
    expect(s.mos).toBeLessThan(4.4);
    m.setJitterBufferDelay(20);
    expect(m.snapshot().mos).toBe(4.4);
  });

  it('takes the round-trip time and the far end view from a report block', () => {
    const m = new LegQualityMeter({ codec: 'opus', clockRate: 48000 });
    feed(m, 10);
    const arrivalMs = msFromNtp(0xe2c4b710, 0x80000000);
    const block: RtcpReportBlock = {
      ssrc: 1, fractionLost: 64, cumulativeLost: 12, extendedHighestSequence: 500, jitter: 480,
      lastSenderReport: 0xb7100000, delaySinceLastSenderReport: 0x4000, // sent 0.5 s ago, held 0.25 s
    };
    m.onReportBlock(block, arrivalMs);
    const s = m.snapshot();
    expect(s.rttMs).toBe(250);
    expect(s.remote).toEqual({ fractionLost: 0.25, cumulativeLost: 12, jitterMs: 10 });
    // 125 ms one way + 20 ms buffer: Id = 0.024 * 145.
    m.setJitterBufferDelay(20);
    const r = 93.2 - 0.024 * 145;
    expect(m.snapshot().mos).toBeCloseTo(1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6, 2);
  });

  it('keeps the last RTT when a block carries no LSR', () => {
    const m = new LegQualityMeter({ codec: 'PCMU', clockRate: 8000 });
    m.setRoundTripTime(70);
    m.onReportBlock(
      { ssrc: 1, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0 },
      0,
    );
    expect(m.snapshot().rttMs).toBe(70);
  });
});
