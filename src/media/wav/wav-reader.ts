/**
 * WAV (RIFF WAVE) reader for prompts and recordings: 16-bit and 8-bit PCM, mu-law (format 7),
 * A-law (format 6), also inside WAVE_FORMAT_EXTENSIBLE, any rate and channel count, returned as
 * interleaved 16-bit samples. Files in the wild are untidy, so it reads what is there:
 * - unknown chunks (LIST, fact, cue, ...) are skipped, before or after the data;
 * - odd-sized chunks are padded to even length (RIFF rule), and writers that forgot the pad byte
 *   are recognized by where the next chunk id is;
 * - the RIFF size is not trusted; a data size past the end of the file (a truncated copy, or a
 *   recorder that never patched its header: 0 / 0xFFFFFFFF) means "up to the end of the file";
 * - a trailing partial sample frame is dropped; blockAlign/byteRate in the header are recomputed.
 * Malformed input gives a WavParseError, never an exception.
 */
import { readFile } from 'node:fs/promises';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR } from './g711.js';
import {
  bytesPerSample,
  wavParseError,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_EXTENSIBLE,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_PCM,
  type WavEncoding,
  type WavParseError,
} from './wav-format.js';

export interface WavAudio {
  readonly sampleRate: number;
  readonly channels: number;
  /** The encoding in the file; samples are always 16-bit linear. */
  readonly encoding: WavEncoding;
  /** Interleaved 16-bit samples (frames * channels). */
  readonly samples: Int16Array;
  /** Sample frames (samples per channel). */
  readonly frames: number;
  readonly durationMs: number;
  /** The data chunk was shorter than its header said (or the header was never patched). */
  readonly truncated: boolean;
}

const MAX_CHANNELS = 8;

interface Fmt {
  tag: number;
  channels: number;
  sampleRate: number;
  bits: number;
}

/** Parses a whole WAV file held in memory. */
export function parseWav(bytes: Uint8Array): WavAudio | WavParseError {
  if (bytes.length < 12) return wavParseError('file shorter than a RIFF header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') return wavParseError('not a RIFF WAVE file');

  let fmt: Fmt | undefined;
  let dataStart = -1;
  let dataLength = 0;
  let truncated = false;
  let off = 12;
  while (off + 8 <= bytes.length && (fmt === undefined || dataStart < 0)) {
    const id = fourcc(bytes, off);
    const size = view.getUint32(off + 4, true);
    const body = off + 8;
    const available = bytes.length - body;
    if (id === 'fmt ') {
      if (size < 16 || available < 16) return wavParseError('fmt chunk too short');
      fmt = readFmt(view, body, Math.min(size, available));
    } else if (id === 'data' && dataStart < 0) {
      dataStart = body;
      dataLength = size;
      // Past the end, or 0 with audio after it: a header that was never patched.
      if (size > available || (size === 0 && available > 0 && !plausibleId(bytes, body))) {
        dataLength = available;
        truncated = true;
        off = bytes.length;
        continue;
      }
    }
    if (size > available) break; // nothing after a chunk that runs off the end
    off = nextChunk(bytes, body, size);
  }
  if (fmt === undefined) return wavParseError('no fmt chunk');
  if (dataStart < 0) return wavParseError('no data chunk');
  return decode(bytes, fmt, dataStart, dataLength, truncated);
}

/** Reads and parses a WAV file. */
export async function readWavFile(path: string): Promise<WavAudio | WavParseError> {
  return parseWav(await readFile(path));
}

function readFmt(view: DataView, body: number, size: number): Fmt {
  let tag = view.getUint16(body, true);
  // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the SubFormat GUID.
  if (tag === WAVE_FORMAT_EXTENSIBLE && size >= 40) tag = view.getUint16(body + 24, true);
  return {
    tag,
    channels: view.getUint16(body + 2, true),
    sampleRate: view.getUint32(body + 4, true),
    bits: view.getUint16(body + 14, true),
  };
}

function encodingOf(fmt: Fmt): WavEncoding | undefined {
  if (fmt.tag === WAVE_FORMAT_PCM && fmt.bits === 16) return 'pcm16';
  if (fmt.tag === WAVE_FORMAT_PCM && fmt.bits === 8) return 'pcm8';
  if (fmt.tag === WAVE_FORMAT_MULAW && fmt.bits === 8) return 'mulaw';
  if (fmt.tag === WAVE_FORMAT_ALAW && fmt.bits === 8) return 'alaw';
  return undefined;
}

function decode(bytes: Uint8Array, fmt: Fmt, start: number, length: number, truncated: boolean): WavAudio | WavParseError {
  const encoding = encodingOf(fmt);
  if (encoding === undefined) return wavParseError(`unsupported format tag ${fmt.tag} with ${fmt.bits} bits`);
  if (fmt.channels < 1 || fmt.channels > MAX_CHANNELS) return wavParseError(`unsupported channel count ${fmt.channels}`);
  if (fmt.sampleRate < 1000 || fmt.sampleRate > 384_000) return wavParseError(`unsupported sample rate ${fmt.sampleRate}`);
  const bps = bytesPerSample(encoding);
  const frames = Math.floor(length / (bps * fmt.channels));
  const n = frames * fmt.channels;
  const samples = new Int16Array(n);
  if (encoding === 'pcm16') {
    for (let i = 0, o = start; i < n; i++, o += 2) samples[i] = ((bytes[o] as number) | ((bytes[o + 1] as number) << 8)) << 16 >> 16;
  } else {
    const table = encoding === 'mulaw' ? MULAW_TO_LINEAR : encoding === 'alaw' ? ALAW_TO_LINEAR : undefined;
    for (let i = 0; i < n; i++) {
      const b = bytes[start + i] as number;
      samples[i] = table ? (table[b] as number) : (b - 128) << 8;
    }
  }
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    encoding,
    samples,
    frames,
    durationMs: (frames * 1000) / fmt.sampleRate,
    truncated,
  };
}

/** Offset of the chunk after one at `body` of `size`: padded to even, unless the writer forgot the pad. */
function nextChunk(bytes: Uint8Array, body: number, size: number): number {
  const unpadded = body + size;
  if ((size & 1) === 0) return unpadded;
  const padded = unpadded + 1;
  if (!plausibleId(bytes, padded) && plausibleId(bytes, unpadded)) return unpadded;
  return padded;
}

function plausibleId(bytes: Uint8Array, off: number): boolean {
  if (off + 8 > bytes.length) return false;
  for (let i = off; i < off + 4; i++) {
    const c = bytes[i] as number;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function fourcc(bytes: Uint8Array, off: number): string {
  return String.fromCharCode(bytes[off] as number, bytes[off + 1] as number, bytes[off + 2] as number, bytes[off + 3] as number);
}
