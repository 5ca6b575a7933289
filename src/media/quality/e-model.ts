/**
 * A simplified ITU-T G.107 E-model, as VoIP monitors use it (Cole & Rosenbluth, "Voice over
 * IP performance monitoring", 2001): every default parameter of G.107 gives R = 93.2; delay
 * and packet loss then subtract
 *   R = 93.2 - Id - Ie,eff
 *   Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3)            d: one-way mouth-to-ear delay, ms
 *   Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl)        Ppl: packet loss in %
 * and MOS = 1 + 0.035 R + R (R - 60)(100 - R) 7e-6 (G.107 Annex B).
 */
import type { CodecImpairment } from './codec-impairment.js';

/** R with every G.107 parameter at its default: no delay, no loss, G.711. */
export const R_DEFAULT = 93.2;

export interface EModelInput {
  codec: CodecImpairment;
  /** One-way mouth-to-ear delay in ms (see oneWayDelayMs). */
  oneWayDelayMs: number;
  /** Packet loss in percent (0..100). */
  packetLossPercent: number;
  /** Burst ratio (G.107 7.2); 1 for random loss. */
  burstRatio?: number;
}

export interface EModelResult {
  /** Transmission rating R, clamped to 0..100. */
  r: number;
  /** Estimated MOS-CQE, 1..4.5. */
  mos: number;
}

/** Delay impairment Id for a one-way delay in ms. */
export function delayImpairment(oneWayDelayMs: number): number {
  const d = Math.max(0, oneWayDelayMs);
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** Effective equipment impairment Ie,eff for a packet loss in percent. */
export function effectiveEquipmentImpairment(codec: CodecImpairment, packetLossPercent: number, burstRatio = 1): number {
  const ppl = Math.min(100, Math.max(0, packetLossPercent));
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl / burstRatio + codec.bpl);
}

/** MOS for a rating R (G.107 Annex B), clamped to 1..4.5. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  const mos = 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
  return Math.min(4.5, Math.max(1, mos));
}

/** One-way delay as the E-model needs it: half the round trip plus the receiver's jitter buffer. */
export function oneWayDelayMs(rttMs: number, jitterBufferMs: number): number {
  return Math.max(0, rttMs) / 2 + Math.max(0, jitterBufferMs);
}

/** R and MOS for a codec, a one-way delay and a packet loss. */
export function eModel(input: EModelInput): EModelResult {
  const r =
    R_DEFAULT -
    delayImpairment(input.oneWayDelayMs) -
    effectiveEquipmentImpairment(input.codec, input.packetLossPercent, input.burstRatio ?? 1);
  const clamped = Math.min(100, Math.max(0, r));
  return { r: clamped, mos: mosFromR(clamped) };
}
