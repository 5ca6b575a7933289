/**
 * Incremental WAV writer for recordings, built so a crash loses at most about one flush interval
 * and leaves a file every player opens:
 * - the header goes out first, with zero sizes (a valid, empty WAV);
 * - audio is encoded into one preallocated buffer; when it holds `flushIntervalMs` of audio it is
 *   appended with one write, and then the RIFF, data (and fact) sizes are patched in place. The
 *   file on disk is therefore always a complete WAV up to the last flush; a crash between the two
 *   writes leaves bytes after the data chunk that readers skip;
 * - close() flushes the rest and patches the sizes a last time; it is safe to call twice.
 * Writes are synchronous (fs.writeSync at explicit positions): this runs in a media worker whose
 * only job is audio, a write of one second of audio to the page cache takes microseconds, and
 * it keeps "data, then header" ordered without queued callbacks or buffers held by libuv's
 * small shared thread pool. `durable: true` adds fdatasync after each patch for power loss.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { linearToAlaw, linearToMulaw } from './g711.js';
import { buildWavHeader, bytesPerSample, type WavEncoding } from './wav-format.js';

export interface WavWriterOptions {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly encoding?: Exclude<WavEncoding, 'pcm8'>;
  /** Audio time between size patches (default 1000 ms). */
  readonly flushIntervalMs?: number;
  /** fdatasync after each patch (survives power loss; costs a disk round trip per interval). */
  readonly durable?: boolean;
}

// RIFF sizes are 32-bit: stop accepting audio before the data chunk would overflow them.
const MAX_DATA_BYTES = 0xffffffff - 64;

export class WavWriter {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  readonly encoding: Exclude<WavEncoding, 'pcm8'>;
  private readonly durable: boolean;
  private readonly bps: number;
  private readonly buffer: Uint8Array;
  private buffered = 0;
  private dataBytes = 0; // on disk
  private readonly headerSize: number;
  private readonly riffSizeOffset: number;
  private readonly dataSizeOffset: number;
  private readonly factOffset: number | undefined;
  private readonly sizeField = new Uint8Array(4);
  private closed = false;
  /** Samples dropped because the file reached the 4 GiB RIFF limit. */
  dropped = 0;

  /** Creates (or truncates) `path` and writes the header. */
  static create(path: string, opts: WavWriterOptions): WavWriter {
    return new WavWriter(openSync(path, 'w'), opts);
  }

  /** Takes ownership of `fd` (open for writing, empty) and writes the header. */
  constructor(
    readonly fd: number,
    opts: WavWriterOptions,
  ) {
    this.sampleRate = opts.sampleRate;
    this.channels = opts.channels;
    this.encoding = opts.encoding ?? 'pcm16';
    this.durable = opts.durable ?? false;
    if (!(this.sampleRate > 0) || (this.channels !== 1 && this.channels !== 2)) {
      throw new RangeError('WavWriter needs a positive sample rate and 1 or 2 channels');
    }
    this.bps = bytesPerSample(this.encoding);
    const intervalMs = opts.flushIntervalMs ?? 1000;
    const frames = Math.max(1, Math.round((this.sampleRate * intervalMs) / 1000));
    this.buffer = new Uint8Array(frames * this.channels * this.bps);
    const layout = buildWavHeader(this.encoding, this.sampleRate, this.channels);
    this.headerSize = layout.header.length;
    this.riffSizeOffset = layout.riffSizeOffset;
    this.dataSizeOffset = layout.dataSizeOffset;
    this.factOffset = layout.factOffset;
    writeAll(fd, layout.header, 0);
  }

  /** Sample frames written so far (on disk or buffered). */
  get frames(): number {
    return (this.dataBytes + this.buffered) / (this.bps * this.channels);
  }

  get durationMs(): number {
    return (this.frames * 1000) / this.sampleRate;
  }

  /** Appends interleaved samples (frames * channels). */
  write(samples: Int16Array): void {
    if (this.closed) return;
    let i = 0;
    while (i < samples.length) {
      if (this.dataBytes + this.buffered + this.bps > MAX_DATA_BYTES) {
        this.dropped += samples.length - i;
        return;
      }
      const room = (this.buffer.length - this.buffered) / this.bps;
      const n = Math.min(room, samples.length - i);
      this.encode(samples, i, n);
      i += n;
      if (this.buffered === this.buffer.length) this.flush();
    }
  }

  /** Appends one frame per channel from two mono arrays (each party on its own channel). */
  writeStereo(left: Int16Array, right: Int16Array): void {
    if (this.channels !== 2) throw new RangeError('writeStereo on a mono WavWriter');
    const n = Math.max(left.length, right.length);
    const frame = this.scratch(n * 2);
    for (let i = 0; i < n; i++) {
      frame[2 * i] = left[i] ?? 0;
      frame[2 * i + 1] = right[i] ?? 0;
    }
    this.write(frame);
  }

  /** Writes buffered audio and patches the header sizes. */
  flush(): void {
    if (this.closed) return;
    if (this.buffered > 0) {
      writeAll(this.fd, this.buffer.subarray(0, this.buffered), this.headerSize + this.dataBytes);
      this.dataBytes += this.buffered;
      this.buffered = 0;
    }
    this.patch();
  }

  /** Flushes, patches the sizes and closes the file descriptor; safe to call twice. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      closeSync(this.fd);
    }
  }

  private patch(): void {
    // An odd data chunk gets no pad byte: only 8-bit mono can be odd, and readers tolerate it.
    this.writeSize(this.dataSizeOffset, this.dataBytes);
    this.writeSize(this.riffSizeOffset, this.headerSize - 8 + this.dataBytes);
    if (this.factOffset !== undefined) this.writeSize(this.factOffset, this.dataBytes / (this.bps * this.channels));
    if (this.durable) fdatasyncSync(this.fd);
  }

  private writeSize(offset: number, value: number): void {
    const f = this.sizeField;
    f[0] = value & 0xff;
    f[1] = (value >>> 8) & 0xff;
    f[2] = (value >>> 16) & 0xff;
    f[3] = (value >>> 24) & 0xff;
    writeAll(this.fd, f, offset);
  }

  private encode(samples: Int16Array, from: number, n: number): void {
    const b = this.buffer;
    let o = this.buffered;
    if (this.encoding === 'pcm16') {
      for (let i = from; i < from + n; i++, o += 2) {
        const x = samples[i] as number;
        b[o] = x & 0xff;
        b[o + 1] = (x >> 8) & 0xff;
      }
    } else {
      const enc = this.encoding === 'mulaw' ? linearToMulaw : linearToAlaw;
      for (let i = from; i < from + n; i++) b[o++] = enc(samples[i] as number);
    }
    this.buffered = o;
  }

  private scratchBuffer = new Int16Array(0);
  private scratch(n: number): Int16Array {
    if (this.scratchBuffer.length < n) this.scratchBuffer = new Int16Array(n);
    return this.scratchBuffer.subarray(0, n);
  }
}

function writeAll(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done);
}
