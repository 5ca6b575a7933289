// ITU-T G.722 decoder, 64 kbit/s mode: each byte gives a 6-bit low band and a 2-bit high band
// ADPCM code; the receive QMF joins the two 8 kHz sub-bands back into two 16 kHz samples.
import * as band from './g722-band.js';

// Module-local copies: see g722-encoder.ts (imported bindings become getters under tsx/vitest).
const { G722Band, QM2, QM4, QM6, QMF_COEFFICIENTS: H, saturate16 } = band;

/** Stateful G.722 decoder: one byte in, two 16 kHz samples out. */
export class G722Decoder {
  private readonly low = new G722Band(false);
  private readonly high = new G722Band(true);
  // Receive QMF delay line: 22 samples of history, then this call's values (read in place).
  private x = new Int32Array(22 + 320);

  /** Decodes payload into out (at least 2 * payload.length samples, allocated when missing). */
  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    const count = payload.length;
    const dst = out ?? new Int16Array(count * 2);
    if (this.x.length < 22 + 2 * count) {
      const grown = new Int32Array(22 + 2 * count);
      grown.set(this.x.subarray(0, 22));
      this.x = grown;
    }
    const x = this.x;
    const low = this.low;
    const high = this.high;
    for (let j = 0; j < count; j++) {
      const code = payload[j]!;
      const codeLow = code & 0x3f;
      const codeHigh = code >> 6;

      // Low band: block 5L (INVQBL, 6-bit) for the output, 2L (4-bit) for the predictor.
      const detLow = low.det;
      let rLow = low.s + ((detLow * QM6[codeLow]!) >> 15);
      if (rLow > 16383) rLow = 16383;
      else if (rLow < -16384) rLow = -16384;
      const index4 = codeLow >> 2;
      const dLow = (detLow * QM4[index4]!) >> 15;
      low.adaptLowScale(index4);
      low.adaptPredictor(dLow);

      // High band: block 2H (INVQAH), 3H, 4.
      const dHigh = (high.det * QM2[codeHigh]!) >> 15;
      let rHigh = dHigh + high.s;
      if (rHigh > 16383) rHigh = 16383;
      else if (rHigh < -16384) rHigh = -16384;
      high.adaptHighScale(codeHigh);
      high.adaptPredictor(dHigh);

      // Receive QMF: interpolation by two.
      const w = 2 * j;
      x[w + 22] = rLow + rHigh;
      x[w + 23] = rLow - rHigh;
      let out1 = 0;
      let out2 = 0;
      for (let i = 0; i < 12; i++) {
        out2 += x[w + 2 * i]! * H[i]!;
        out1 += x[w + 2 * i + 1]! * H[11 - i]!;
      }
      dst[2 * j] = saturate16(out1 >> 11);
      dst[2 * j + 1] = saturate16(out2 >> 11);
    }
    x.copyWithin(0, 2 * count, 2 * count + 22);
    const n = count * 2;
    return dst.length === n ? dst : dst.subarray(0, n);
  }
}
