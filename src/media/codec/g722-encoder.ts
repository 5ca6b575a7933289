// ITU-T G.722 encoder, 64 kbit/s mode: the transmit QMF splits 16 kHz audio into a low and a
// high 8 kHz sub-band, coded with 6-bit and 2-bit ADPCM into one byte per pair of samples.
import {
  G722Band, IHN, IHP, ILN, ILP, Q6, QM2, QM4, QMF_COEFFICIENTS as H, saturate16,
} from './g722-band.js';

/** Stateful G.722 encoder: 16 kHz PCM in, one byte per two samples out. */
export class G722Encoder {
  private readonly low = new G722Band(false);
  private readonly high = new G722Band(true);
  // The last 24 input samples, oldest first (the QMF delay line).
  private readonly x = new Int32Array(24);

  /**
   * Encodes pcm (an even number of 16 kHz samples) into out (at least pcm.length / 2 bytes,
   * allocated when missing); returns out trimmed to the code bytes written. An odd final
   * sample is ignored.
   */
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    const count = pcm.length >> 1;
    const dst = out ?? new Uint8Array(count);
    const x = this.x;
    const low = this.low;
    const high = this.high;
    for (let j = 0; j < count; j++) {
      x.copyWithin(0, 2);
      x[22] = pcm[2 * j]!;
      x[23] = pcm[2 * j + 1]!;
      // Transmit QMF; only every other output is needed (decimation by two).
      let sumOdd = 0;
      let sumEven = 0;
      for (let i = 0; i < 12; i++) {
        sumOdd += x[2 * i]! * H[i]!;
        sumEven += x[2 * i + 1]! * H[11 - i]!;
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
    return dst.length === count ? dst : dst.subarray(0, count);
  }
}
