// ITU-T G.722 encoder, 64 kbit/s mode: the transmit QMF splits 16 kHz audio into a low and a
// high 8 kHz sub-band, coded with 6-bit and 2-bit ADPCM into one byte per pair of samples.
import * as band from './g722-band.js';

// Module-local copies: loaders that compile ESM to CommonJS (tsx, vitest) turn every access
// of an imported binding into a getter call, which dominated this loop.
const { G722Band, IHN, IHP, ILN, ILP, Q6, QM2, QM4, QMF_COEFFICIENTS: H, saturate16 } = band;

/** Stateful G.722 encoder: 16 kHz PCM in, one byte per two samples out. */
export class G722Encoder {
  private readonly low = new G722Band(false);
  private readonly high = new G722Band(true);
  // QMF delay line: 22 samples of history followed by the current input, so each pair's
  // 24-sample window is read in place instead of shifting the line every pair.
  private x = new Int32Array(22 + 320);

  /**
   * Encodes pcm (an even number of 16 kHz samples) into out (at least pcm.length / 2 bytes,
   * allocated when missing); returns out trimmed to the code bytes written. An odd final
   * sample is ignored.
   */
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    const count = pcm.length >> 1;
    const dst = out ?? new Uint8Array(count);
    if (this.x.length < 22 + 2 * count) {
      const grown = new Int32Array(22 + 2 * count);
      grown.set(this.x.subarray(0, 22));
      this.x = grown;
    }
    const x = this.x;
    for (let i = 0; i < 2 * count; i++) x[22 + i] = pcm[i]!;
    const low = this.low;
    const high = this.high;
    for (let j = 0; j < count; j++) {
      // Transmit QMF over x[2j .. 2j+24); only every other output is needed (decimation by two).
      const w = 2 * j;
      let sumOdd = 0;
      let sumEven = 0;
      for (let i = 0; i < 12; i++) {
        sumOdd += x[w + 2 * i]! * H[i]!;
        sumEven += x[w + 2 * i + 1]! * H[11 - i]!;
      }
      const xLow = (sumEven + sumOdd) >> 14;
      const xHigh = (sumEven - sumOdd) >> 14;

      // Low band: block 1L (SUBTRA, QUANTL), 2L (INVQAL), 3L, 4.
      const el = saturate16(xLow - low.s);
      const wdl = el >= 0 ? el : -(el + 1);
      const detLow = low.det;
      let i = 1;
      for (; i < 30; i++) if (wdl < (Q6[i]! * detLow) >> 12) break;
      const codeLow = el < 0 ? ILN[i]! : ILP[i]!;
      const index4 = codeLow >> 2;
      const dLow = (detLow * QM4[index4]!) >> 15;
      low.adaptLowScale(index4);
      low.adaptPredictor(dLow);

      // High band: block 1H (SUBTRA, QUANTH), 2H (INVQAH), 3H, 4.
      const eh = saturate16(xHigh - high.s);
      const wdh = eh >= 0 ? eh : -(eh + 1);
      const detHigh = high.det;
      const magnitude = wdh >= (564 * detHigh) >> 12 ? 2 : 1;
      const codeHigh = eh < 0 ? IHN[magnitude]! : IHP[magnitude]!;
      const dHigh = (detHigh * QM2[codeHigh]!) >> 15;
      high.adaptHighScale(codeHigh);
      high.adaptPredictor(dHigh);

      dst[j] = (codeHigh << 6) | codeLow;
    }
    x.copyWithin(0, 2 * count, 2 * count + 22);
    return dst.length === count ? dst : dst.subarray(0, count);
  }
}
