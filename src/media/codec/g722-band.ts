// ITU-T G.722 sub-band ADPCM shared by encoder and decoder: the quantizer tables (G.722 tables
// 6-11 and the QMF coefficients of table 12) and the per-band adaptive predictor (block 4) and
// scale factor adaptation (blocks 3L/3H). Arithmetic follows the standard's 16-bit fixed point.

/** Transmit/receive QMF coefficients h0..h11 (the other 12 are the same, mirrored). */
export const QMF_COEFFICIENTS = Int32Array.from([3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11]);

/** Low band 6-bit quantizer decision levels (scaled by det >> 12). */
export const Q6 = Int32Array.from([
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023,
  1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
]);
/** Low band codes for a negative / positive difference in decision interval i. */
export const ILN = Int32Array.from([
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
  9, 8, 7, 6, 5, 4, 0,
]);
export const ILP = Int32Array.from([
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38,
  37, 36, 35, 34, 33, 32, 0,
]);
/** Low band inverse quantizer, 6-bit (64 kbit/s mode). */
export const QM6 = Int32Array.from([
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232,
  -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400,
  -2032, -1688, -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232,
  9360, 8576, 7856, 7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688,
  1360, 1040, 728, 432, 136, -432, -136,
]);
/** Low band inverse quantizer, 4-bit: what the predictor sees, whatever the mode. */
export const QM4 = Int32Array.from([
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
]);
/** High band inverse quantizer, 2-bit, and its encoder code choice. */
export const QM2 = Int32Array.from([-7408, -1616, 7408, 1616]);
export const IHN = Int32Array.from([0, 1, 0]);
export const IHP = Int32Array.from([0, 3, 2]);

const WL = Int32Array.from([-60, -30, 58, 172, 334, 538, 1198, 3042]);
const RL42 = Int32Array.from([0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0]);
const WH = Int32Array.from([0, -214, 798]);
const RH2 = Int32Array.from([2, 1, 2, 1]);
const ILB = Int32Array.from([
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
  2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
]);

/** Saturates to the signed 16-bit range, as the standard's arithmetic does. */
export function saturate16(value: number): number {
  return value > 32767 ? 32767 : value < -32768 ? -32768 : value;
}

/** State of one sub-band's ADPCM: scale factor and the pole-zero predictor. */
export class G722Band {
  /** Signal estimate (s). */
  s = 0;
  /** Quantizer scale factor (det); 32 low band, 8 high band at reset. */
  det: number;
  private nb = 0;
  private sp = 0;
  private sz = 0;
  private readonly d = new Int32Array(7);
  private readonly b = new Int32Array(7);
  private readonly bp = new Int32Array(7);
  private readonly r = new Int32Array(3);
  private readonly p = new Int32Array(3);
  private readonly a = new Int32Array(3);
  private readonly ap = new Int32Array(3);

  constructor(private readonly high: boolean) {
    this.det = high ? 8 : 32;
  }

  /** Blocks 3L (LOGSCL, SCALEL) with the 4-bit low band index of the transmitted code. */
  adaptLowScale(index4: number): void {
    let nb = ((this.nb * 127) >> 7) + WL[RL42[index4]!]!;
    if (nb < 0) nb = 0;
    else if (nb > 18432) nb = 18432;
    this.nb = nb;
    this.det = scaleFromLog(nb, 8);
  }

  /** Blocks 3H (LOGSCH, SCALEH) with the 2-bit high band code. */
  adaptHighScale(code2: number): void {
    let nb = ((this.nb * 127) >> 7) + WH[RH2[code2]!]!;
    if (nb < 0) nb = 0;
    else if (nb > 22528) nb = 22528;
    this.nb = nb;
    this.det = scaleFromLog(nb, 10);
  }

  /** Block 4: reconstruct, adapt the pole and zero predictor with difference d, predict s. */
  adaptPredictor(dq: number): void {
    const d = this.d;
    const b = this.b;
    const bp = this.bp;
    const r = this.r;
    const p = this.p;
    const a = this.a;
    const ap = this.ap;
    // RECONS, PARREC
    d[0] = dq;
    r[0] = saturate16(this.s + dq);
    p[0] = saturate16(this.sz + dq);
    // UPPOL2
    const sg0 = p[0]! >> 15;
    const sg1 = p[1]! >> 15;
    const sg2 = p[2]! >> 15;
    const a1x4 = saturate16(a[1]! << 2);
    let wd2 = sg0 === sg1 ? -a1x4 : a1x4;
    if (wd2 > 32767) wd2 = 32767;
    let wd3 = (wd2 >> 7) + (sg0 === sg2 ? 128 : -128) + ((a[2]! * 32512) >> 15);
    if (wd3 > 12288) wd3 = 12288;
    else if (wd3 < -12288) wd3 = -12288;
    ap[2] = wd3;
    // UPPOL1
    ap[1] = saturate16((sg0 === sg1 ? 192 : -192) + ((a[1]! * 32640) >> 15));
    const limit = saturate16(15360 - ap[2]!);
    if (ap[1]! > limit) ap[1] = limit;
    else if (ap[1]! < -limit) ap[1] = -limit;
    // UPZERO
    const step = dq === 0 ? 0 : 128;
    const sgd = dq >> 15;
    for (let i = 1; i < 7; i++) {
      const same = d[i]! >> 15 === sgd;
      bp[i] = saturate16((same ? step : -step) + ((b[i]! * 32640) >> 15));
    }
    // DELAYA
    for (let i = 6; i > 0; i--) {
      d[i] = d[i - 1]!;
      b[i] = bp[i]!;
    }
    for (let i = 2; i > 0; i--) {
      r[i] = r[i - 1]!;
      p[i] = p[i - 1]!;
      a[i] = ap[i]!;
    }
    // FILTEP
    const pole1 = (a[1]! * saturate16(r[1]! + r[1]!)) >> 15;
    const pole2 = (a[2]! * saturate16(r[2]! + r[2]!)) >> 15;
    this.sp = saturate16(pole1 + pole2);
    // FILTEZ
    let sz = 0;
    for (let i = 6; i > 0; i--) sz += (b[i]! * saturate16(d[i]! + d[i]!)) >> 15;
    this.sz = saturate16(sz);
    // PREDIC
    this.s = saturate16(this.sp + this.sz);
  }
}

/** SCALEL/SCALEH: the linear scale factor from the log one, via the 32-entry ILB table. */
function scaleFromLog(nb: number, shiftBase: number): number {
  const mantissa = ILB[(nb >> 6) & 31]!;
  const shift = shiftBase - (nb >> 11);
  return (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
}
