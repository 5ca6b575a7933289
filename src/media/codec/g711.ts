// ITU-T G.711 mu-law (PCMU) and A-law (PCMA), table-driven. Decoding is one 256-entry lookup;
// encoding is one lookup indexed by the bits G.711 actually quantizes (14 for mu-law, 13 for
// A-law), so the tables are exact and small (16 KiB and 8 KiB).

const MU_LAW_BIAS = 0x84;
const MU_LAW_CLIP = 8159; // 14-bit magnitude limit before the bias is added
const MU_SEGMENT_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const A_SEGMENT_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segmentOf(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]!) return i;
  return ends.length;
}

/** G.711 mu-law decode of one code word (the standard's expansion, used to build the table). */
function expandMuLaw(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + MU_LAW_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? MU_LAW_BIAS - t : t - MU_LAW_BIAS;
}

/** G.711 A-law decode of one code word. */
function expandALaw(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else if (segment === 1) t += 0x108;
  else t = (t + 0x108) << (segment - 1);
  return a & 0x80 ? t : -t;
}

/** mu-law compression of a 14-bit signed sample (the 16-bit sample >> 2). */
function compressMuLaw14(sample14: number): number {
  let value = sample14;
  let mask = 0xff;
  if (value < 0) {
    value = -value;
    mask = 0x7f;
  }
  if (value > MU_LAW_CLIP) value = MU_LAW_CLIP;
  value += MU_LAW_BIAS >> 2;
  const segment = segmentOf(value, MU_SEGMENT_END);
  if (segment >= 8) return 0x7f ^ mask;
  return ((segment << 4) | ((value >> (segment + 1)) & 0x0f)) ^ mask;
}

/** A-law compression of a 13-bit signed sample (the 16-bit sample >> 3). */
function compressALaw13(sample13: number): number {
  let value = sample13;
  let mask = 0xd5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const segment = segmentOf(value, A_SEGMENT_END);
  if (segment >= 8) return 0x7f ^ mask;
  const quantized = segment < 2 ? (value >> 1) & 0x0f : (value >> segment) & 0x0f;
  return ((segment << 4) | quantized) ^ mask;
}

/** Decoded value of every mu-law byte. */
export const MU_LAW_DECODE_TABLE: Int16Array = new Int16Array(256);
/** Decoded value of every A-law byte. */
export const A_LAW_DECODE_TABLE: Int16Array = new Int16Array(256);
// Encode tables indexed by the unsigned view of the quantized bits: (sample >> 2) & 0x3fff.
const MU_LAW_ENCODE_TABLE = new Uint8Array(1 << 14);
const A_LAW_ENCODE_TABLE = new Uint8Array(1 << 13);
/** Direct PCMU -> PCMA byte mapping (G.711 transcoding without a linear step). */
export const MU_TO_A_LAW: Uint8Array = new Uint8Array(256);
/** Direct PCMA -> PCMU byte mapping. */
export const A_TO_MU_LAW: Uint8Array = new Uint8Array(256);

for (let code = 0; code < 256; code++) {
  MU_LAW_DECODE_TABLE[code] = expandMuLaw(code);
  A_LAW_DECODE_TABLE[code] = expandALaw(code);
}
for (let i = 0; i < 1 << 14; i++) MU_LAW_ENCODE_TABLE[i] = compressMuLaw14(i >= 1 << 13 ? i - (1 << 14) : i);
for (let i = 0; i < 1 << 13; i++) A_LAW_ENCODE_TABLE[i] = compressALaw13(i >= 1 << 12 ? i - (1 << 13) : i);
for (let code = 0; code < 256; code++) {
  MU_TO_A_LAW[code] = A_LAW_ENCODE_TABLE[(MU_LAW_DECODE_TABLE[code]! >> 3) & 0x1fff]!;
  A_TO_MU_LAW[code] = MU_LAW_ENCODE_TABLE[(A_LAW_DECODE_TABLE[code]! >> 2) & 0x3fff]!;
}

/** One 16-bit sample to its mu-law byte. */
export function linearToMuLaw(sample: number): number {
  return MU_LAW_ENCODE_TABLE[(sample >> 2) & 0x3fff]!;
}

/** One 16-bit sample to its A-law byte. */
export function linearToALaw(sample: number): number {
  return A_LAW_ENCODE_TABLE[(sample >> 3) & 0x1fff]!;
}

/** One mu-law byte to its 16-bit sample. */
export function muLawToLinear(code: number): number {
  return MU_LAW_DECODE_TABLE[code & 0xff]!;
}

/** One A-law byte to its 16-bit sample. */
export function aLawToLinear(code: number): number {
  return A_LAW_DECODE_TABLE[code & 0xff]!;
}

/**
 * Encodes PCM to mu-law. With `out` (at least pcm.length bytes) nothing is allocated and the
 * result is `out` trimmed to pcm.length.
 */
export function encodeMuLaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(pcm.length);
  const n = pcm.length;
  for (let i = 0; i < n; i++) dst[i] = MU_LAW_ENCODE_TABLE[(pcm[i]! >> 2) & 0x3fff]!;
  return dst.length === n ? dst : dst.subarray(0, n);
}

/** Encodes PCM to A-law; `out` as for encodeMuLaw. */
export function encodeALaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(pcm.length);
  const n = pcm.length;
  for (let i = 0; i < n; i++) dst[i] = A_LAW_ENCODE_TABLE[(pcm[i]! >> 3) & 0x1fff]!;
  return dst.length === n ? dst : dst.subarray(0, n);
}

/** Decodes mu-law to PCM; with `out` (at least payload.length samples) nothing is allocated. */
export function decodeMuLaw(payload: Uint8Array, out?: Int16Array): Int16Array {
  const dst = out ?? new Int16Array(payload.length);
  const n = payload.length;
  for (let i = 0; i < n; i++) dst[i] = MU_LAW_DECODE_TABLE[payload[i]!]!;
  return dst.length === n ? dst : dst.subarray(0, n);
}

/** Decodes A-law to PCM; `out` as for decodeMuLaw. */
export function decodeALaw(payload: Uint8Array, out?: Int16Array): Int16Array {
  const dst = out ?? new Int16Array(payload.length);
  const n = payload.length;
  for (let i = 0; i < n; i++) dst[i] = A_LAW_DECODE_TABLE[payload[i]!]!;
  return dst.length === n ? dst : dst.subarray(0, n);
}

/** Rewrites a payload byte-for-byte through a 256-entry map (PCMU <-> PCMA). */
export function mapG711(payload: Uint8Array, table: Uint8Array, out?: Uint8Array): Uint8Array {
  const dst = out ?? new Uint8Array(payload.length);
  const n = payload.length;
  for (let i = 0; i < n; i++) dst[i] = table[payload[i]!]!;
  return dst.length === n ? dst : dst.subarray(0, n);
}
