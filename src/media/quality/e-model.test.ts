import { describe, expect, it } from 'vitest';
import { codecImpairment } from './codec-impairment.js';
import {
  R_DEFAULT,
  delayImpairment,
  eModel,
  effectiveEquipmentImpairment,
  mosFromR,
  oneWayDelayMs,
} from './e-model.js';

const pcmu = codecImpairment('PCMU');
const pcmuNoPlc = codecImpairment('pcmu', false);

describe('E-model (simplified G.107)', () => {
  it('gives R = 93.2 and MOS 4.41 with no impairment', () => {
    const { r, mos } = eModel({ codec: pcmu, oneWayDelayMs: 0, packetLossPercent: 0 });
    expect(r).toBeCloseTo(93.2, 10);
    expect(R_DEFAULT).toBe(93.2);
    expect(mos).toBeCloseTo(1 + 0.035 * 93.2 + 93.2 * 33.2 * 6.8 * 7e-6, 10);
    expect(mos).toBeCloseTo(4.409, 3);
  });

  it('maps R to MOS at known points and clamps to 1..4.5', () => {
    expect(mosFromR(50)).toBeCloseTo(2.575, 10);
    expect(mosFromR(80)).toBeCloseTo(4.024, 10);
    expect(mosFromR(100)).toBe(4.5);
    expect(mosFromR(120)).toBe(4.5);
    expect(mosFromR(3)).toBe(1); // the polynomial dips below 1 near 0
    expect(mosFromR(-5)).toBe(1);
  });

  it('charges delay with the 177.3 ms knee', () => {
    expect(delayImpairment(0)).toBe(0);
    expect(delayImpairment(100)).toBeCloseTo(2.4, 10);
    expect(delayImpairment(200)).toBeCloseTo(4.8 + 0.11 * 22.7, 10);
    expect(oneWayDelayMs(100, 40)).toBe(90);
  });

  it('charges loss by the codec robustness: PLC helps', () => {
    expect(effectiveEquipmentImpairment(pcmuNoPlc, 1)).toBeCloseTo(95 / 5.3, 10);
    expect(effectiveEquipmentImpairment(pcmu, 1)).toBeCloseTo(95 / 26.1, 10);
    expect(eModel({ codec: pcmuNoPlc, oneWayDelayMs: 0, packetLossPercent: 1 }).r).toBeCloseTo(93.2 - 95 / 5.3, 10);
    // Bursty loss hurts more than random loss at the same rate.
    expect(effectiveEquipmentImpairment(pcmu, 5, 2)).toBeGreaterThan(effectiveEquipmentImpairment(pcmu, 5, 1));
  });

  it('is monotonic: more loss or more delay never raises R or MOS', () => {
    for (const codec of [pcmu, pcmuNoPlc, codecImpairment('opus'), codecImpairment('G722')]) {
      let prev = eModel({ codec, oneWayDelayMs: 50, packetLossPercent: 0 });
      for (let loss = 0.5; loss <= 40; loss += 0.5) {
        const next = eModel({ codec, oneWayDelayMs: 50, packetLossPercent: loss });
        expect(next.r).toBeLessThan(prev.r);
        expect(next.mos).toBeLessThanOrEqual(prev.mos);
        prev = next;
      }
      prev = eModel({ codec, oneWayDelayMs: 0, packetLossPercent: 1 });
      for (let d = 10; d <= 600; d += 10) {
        const next = eModel({ codec, oneWayDelayMs: d, packetLossPercent: 1 });
        expect(next.r).toBeLessThan(prev.r);
        prev = next;
      }
    }
  });

  it('bottoms out at R 0 and MOS 1', () => {
    expect(eModel({ codec: pcmuNoPlc, oneWayDelayMs: 800, packetLossPercent: 100 })).toEqual({ r: 0, mos: 1 });
  });

  it('rates opus more robust to loss than G.711 with PLC', () => {
    const opus = eModel({ codec: codecImpairment('OPUS'), oneWayDelayMs: 0, packetLossPercent: 3 });
    const g711 = eModel({ codec: pcmu, oneWayDelayMs: 0, packetLossPercent: 3 });
    expect(opus.r).toBeGreaterThan(g711.r);
  });
});
