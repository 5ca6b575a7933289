/**
 * E-model codec parameters: equipment impairment Ie and packet-loss robustness Bpl
 * (ITU-T G.107 7.2, values tabulated in ITU-T G.113 Appendix I).
 *
 * Sources and approximations:
 * - G.711 (PCMU/PCMA): Ie = 0; Bpl = 4.3 without concealment, 25.1 with the G.711
 *   Appendix I PLC (ITU-T G.113 Appendix I, Table I.3 / G.107 Table 3 examples). Most phones
 *   and our own decoders conceal, so PLC is the default.
 * - G.722: a wideband codec, rated on the wideband scale by ITU-T G.107.1 / G.113 (Ie,wb);
 *   on the narrowband scale used here it cannot score below G.711, so Ie = 0. Bpl is an
 *   approximation: like G.711 (sample-based ADPCM), 25.1 with PLC (G.722 Appendix III/IV)
 *   and 4.3 without.
 * - Opus: not tabulated by the ITU. At VoIP bit rates (>= 20 kbit/s, wideband or better) it
 *   is at least toll quality, so Ie = 0 on the narrowband scale; its built-in PLC (and
 *   in-band FEC when negotiated) is credited with Bpl = 30, slightly above G.711 with PLC.
 *   These match what VoIP monitors commonly assume and are estimates, not ITU values.
 */

export interface CodecImpairment {
  /** Equipment impairment factor Ie. */
  ie: number;
  /** Packet-loss robustness factor Bpl. */
  bpl: number;
}

const G711_PLC: CodecImpairment = { ie: 0, bpl: 25.1 };
const G711_NO_PLC: CodecImpairment = { ie: 0, bpl: 4.3 };
const OPUS: CodecImpairment = { ie: 0, bpl: 30 };

/**
 * Parameters for an SDP encoding name (PCMU, PCMA, G722, opus; case-insensitive).
 * Unknown codecs are rated as G.711 (no codec impairment).
 */
export function codecImpairment(encodingName: string, plc = true): CodecImpairment {
  switch (encodingName.toLowerCase()) {
    case 'opus':
      return OPUS;
    case 'pcmu':
    case 'pcma':
    case 'g722':
    default:
      return plc ? G711_PLC : G711_NO_PLC;
  }
}
