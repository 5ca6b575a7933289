/** What the WAV reader and writer share: encodings, format tags, the header we write. */

/** Sample encodings this folder reads (pcm8 too) and writes (pcm16, mulaw, alaw). */
export type WavEncoding = 'pcm16' | 'pcm8' | 'mulaw' | 'alaw';

/** WAVE format tags (RFC 2361). */
export const WAVE_FORMAT_PCM = 1;
export const WAVE_FORMAT_ALAW = 6;
export const WAVE_FORMAT_MULAW = 7;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

export interface WavParseError {
  readonly type: 'parse-error';
  readonly reason: string;
}

export function wavParseError(reason: string): WavParseError {
  return { type: 'parse-error', reason };
}

export function isWavParseError(x: unknown): x is WavParseError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'parse-error';
}

export function bytesPerSample(encoding: WavEncoding): number {
  return encoding === 'pcm16' ? 2 : 1;
}

/** Where the sizes live in a header written by buildWavHeader. */
export interface WavHeaderLayout {
  readonly header: Uint8Array;
  readonly riffSizeOffset: number;
  readonly dataSizeOffset: number;
  /** The fact chunk's sample count (G.711 only: non-PCM formats carry one). */
  readonly factOffset: number | undefined;
}

/** A canonical header with zero sizes: PCM 44 bytes; G.711 58 bytes (fmt with cbSize, fact). */
export function buildWavHeader(encoding: Exclude<WavEncoding, 'pcm8'>, sampleRate: number, channels: number): WavHeaderLayout {
  const pcm = encoding === 'pcm16';
  const fmtSize = pcm ? 16 : 18;
  const size = 12 + 8 + fmtSize + (pcm ? 0 : 12) + 8;
  const b = Buffer.alloc(size);
  const bps = bytesPerSample(encoding);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(size - 8, 4);
  b.write('WAVE', 8, 'latin1');
  b.write('fmt ', 12, 'latin1');
  b.writeUInt32LE(fmtSize, 16);
  b.writeUInt16LE(pcm ? WAVE_FORMAT_PCM : encoding === 'alaw' ? WAVE_FORMAT_ALAW : WAVE_FORMAT_MULAW, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * channels * bps, 28);
  b.writeUInt16LE(channels * bps, 32);
  b.writeUInt16LE(bps * 8, 34);
  let o = 36;
  let factOffset: number | undefined;
  if (!pcm) {
    b.writeUInt16LE(0, o); // cbSize
    o += 2;
    b.write('fact', o, 'latin1');
    b.writeUInt32LE(4, o + 4);
    factOffset = o + 8;
    o += 12;
  }
  b.write('data', o, 'latin1');
  return { header: new Uint8Array(b.buffer, b.byteOffset, b.length), riffSizeOffset: 4, dataSizeOffset: o + 4, factOffset };
}
