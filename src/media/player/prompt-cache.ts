/**
 * Prompts decoded once and kept ready to stream: WAV files (PCM 8/16-bit, mu-law, A-law at 8, 16
 * or 48 kHz, mono or stereo) converted to the rate an endpoint plays at. Keyed by path and rate,
 * bounded by the total bytes of samples held (least recently used evicted first), and checked
 * against the file's mtime and size on every load so an operator replacing a prompt is heard on
 * the next play without a restart. Failures come back as PromptError values: this runs beside
 * the media loop and must never throw into it.
 */
import { readFile, stat } from 'node:fs/promises';
import type { SampleRate } from '../codec/index.js';
import { isWavParseError, parseWav } from '../wav/index.js';
import { convertRate, mixToMono, telephonyRate } from './prompt-conversion.js';
import { promptError, promptErrorOfFs, type PromptError } from './prompt-error.js';

/** A prompt ready to stream: mono samples at `sampleRate`. Shared: never write into `samples`. */
export interface PromptAudio {
  readonly path: string;
  readonly sampleRate: SampleRate;
  readonly samples: Int16Array;
  readonly durationMs: number;
  readonly mtimeMs: number;
}

/** What a Player needs from a cache: load a file at a rate. */
export interface PromptSource {
  load(path: string, sampleRate: SampleRate): Promise<PromptAudio | PromptError>;
}

export interface PromptCacheOptions {
  /** Upper bound on the bytes of samples held (default 64 MiB). */
  readonly maxBytes?: number;
}

export interface PromptCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

interface Entry {
  readonly audio: PromptAudio;
  readonly size: number; // file size at load, checked with the mtime
}

export class PromptCache implements PromptSource {
  private readonly maxBytes: number;
  // Map order is recency order: a hit moves its entry to the end, eviction takes the front.
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<PromptAudio | PromptError>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(opts: PromptCacheOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  }

  /** The prompt at `path` converted to `sampleRate`, from the cache when the file is unchanged. */
  load(path: string, sampleRate: SampleRate): Promise<PromptAudio | PromptError> {
    const key = `${sampleRate}:${path}`;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = this.loadUncached(key, path, sampleRate).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  /** The cached prompt without touching the disk (no mtime check), if present. */
  peek(path: string, sampleRate: SampleRate): PromptAudio | undefined {
    return this.entries.get(`${sampleRate}:${path}`)?.audio;
  }

  /** Drops every cached rate of `path`. */
  invalidate(path: string): void {
    for (const [key, entry] of this.entries) if (entry.audio.path === path) this.remove(key, entry);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get stats(): PromptCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses, evictions: this.evictions };
  }

  private async loadUncached(key: string, path: string, sampleRate: SampleRate): Promise<PromptAudio | PromptError> {
    let mtimeMs: number;
    let size: number;
    try {
      const st = await stat(path);
      if (!st.isFile()) return promptError('unreadable', path, 'not a regular file');
      mtimeMs = st.mtimeMs;
      size = st.size;
    } catch (err) {
      this.invalidate(path);
      return promptErrorOfFs(path, err);
    }
    const cached = this.entries.get(key);
    if (cached && cached.audio.mtimeMs === mtimeMs && cached.size === size) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.audio;
    }
    this.misses++;
    if (cached) this.remove(key, cached);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      return promptErrorOfFs(path, err);
    }
    const audio = decodePrompt(bytes, path, sampleRate, mtimeMs);
    if ('type' in audio) return audio;
    this.insert(key, { audio, size });
    return audio;
  }

  private insert(key: string, entry: Entry): void {
    const n = entry.audio.samples.byteLength;
    // A prompt larger than the whole budget is played but not kept.
    if (n > this.maxBytes) return;
    while (this.bytes + n > this.maxBytes) {
      const oldest = this.entries.entries().next().value;
      if (!oldest) break;
      this.remove(oldest[0], oldest[1]);
      this.evictions++;
    }
    this.entries.set(key, entry);
    this.bytes += n;
  }

  private remove(key: string, entry: Entry): void {
    if (this.entries.delete(key)) this.bytes -= entry.audio.samples.byteLength;
  }
}

/** Parses a WAV file held in memory into a prompt at `sampleRate`. */
export function decodePrompt(bytes: Uint8Array, path: string, sampleRate: SampleRate, mtimeMs = 0): PromptAudio | PromptError {
  const wav = parseWav(bytes);
  if (isWavParseError(wav)) return promptError('bad-format', path, wav.reason);
  const from = telephonyRate(wav.sampleRate);
  if (from === undefined) return promptError('unsupported-rate', path, `${wav.sampleRate} Hz (8000, 16000 or 48000 only)`);
  const samples = convertRate(mixToMono(wav.samples, wav.channels), from, sampleRate);
  return { path, sampleRate, samples, durationMs: (samples.length * 1000) / sampleRate, mtimeMs };
}
