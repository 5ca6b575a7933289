/**
 * Cursors stream one play source into frames: fill(out, offset, n) writes up to n samples at
 * out[offset] and returns how many. Fewer than n means the source ended, or is still loading
 * (status says which). Steady-state fills allocate nothing: PCM is copied with a plain loop
 * (a subarray would be a new view per frame) and tones render straight into the frame.
 */
import type { SampleRate } from '../codec/index.js';
import { ToneGenerator, type ToneSpec } from '../tone/index.js';
import type { PromptError } from './prompt-error.js';
import type { PromptAudio, PromptSource } from './prompt-cache.js';

export type CursorStatus = 'loading' | 'ready' | 'ended' | 'failed';

export interface SourceCursor {
  readonly status: CursorStatus;
  readonly error: PromptError | undefined;
  fill(out: Int16Array, offset: number, n: number): number;
  /** Back to the start, for looping plays. */
  rewind(): void;
}

export class SilenceCursor implements SourceCursor {
  readonly error = undefined;
  private readonly total: number;
  private left: number;

  constructor(durationMs: number, sampleRate: SampleRate) {
    this.total = Math.max(0, Math.round((durationMs * sampleRate) / 1000));
    this.left = this.total;
  }

  get status(): CursorStatus {
    return this.left > 0 ? 'ready' : 'ended';
  }

  fill(out: Int16Array, offset: number, n: number): number {
    const k = Math.min(n, this.left);
    out.fill(0, offset, offset + k);
    this.left -= k;
    return k;
  }

  rewind(): void {
    this.left = this.total;
  }
}

export class ToneCursor implements SourceCursor {
  readonly error = undefined;
  private readonly generator: ToneGenerator;
  private readonly limit: number;
  private left: number;
  private ended = false;

  constructor(spec: ToneSpec, sampleRate: SampleRate, durationMs?: number) {
    this.generator = new ToneGenerator(spec, sampleRate);
    this.limit = durationMs === undefined ? Infinity : Math.max(0, Math.round((durationMs * sampleRate) / 1000));
    this.left = this.limit;
    this.ended = this.left === 0;
  }

  get status(): CursorStatus {
    return this.ended ? 'ended' : 'ready';
  }

  fill(out: Int16Array, offset: number, n: number): number {
    if (this.ended) return 0;
    const want = Math.min(n, this.left);
    // Whole frames render in place; a partial frame only at a source boundary needs a view.
    const target = offset === 0 && want === out.length ? out : out.subarray(offset, offset + want);
    const k = this.generator.fill(target);
    this.left -= k;
    if (k < want || this.left === 0) this.ended = true;
    return k;
  }

  rewind(): void {
    this.generator.reset();
    this.left = this.limit;
    this.ended = this.left === 0;
  }
}

/** Streams PCM at the output rate (a loaded prompt or caller-supplied samples). */
export class PcmCursor implements SourceCursor {
  readonly error = undefined;
  private position = 0;

  constructor(private readonly samples: Int16Array) {}

  get status(): CursorStatus {
    return this.position < this.samples.length ? 'ready' : 'ended';
  }

  fill(out: Int16Array, offset: number, n: number): number {
    const src = this.samples;
    const k = Math.min(n, src.length - this.position);
    let p = this.position;
    for (let i = offset, end = offset + k; i < end; i++) out[i] = src[p++] as number;
    this.position = p;
    return k;
  }

  rewind(): void {
    this.position = 0;
  }
}

/** A prompt file: loads when created (so queued plays prefetch), then streams like PcmCursor. */
export class FileCursor implements SourceCursor {
  private audio: PromptAudio | undefined;
  private failure: PromptError | undefined;
  private position = 0;

  constructor(source: PromptSource, readonly path: string, sampleRate: SampleRate) {
    source.load(path, sampleRate).then(
      (r) => {
        if ('type' in r) this.failure = r;
        else this.audio = r;
      },
      (err: unknown) => {
        // PromptSource promises do not reject; a custom one that does is still contained.
        this.failure = { type: 'prompt-error', code: 'unreadable', path, message: String(err) };
      },
    );
  }

  get error(): PromptError | undefined {
    return this.failure;
  }

  get status(): CursorStatus {
    if (this.failure) return 'failed';
    if (!this.audio) return 'loading';
    return this.position < this.audio.samples.length ? 'ready' : 'ended';
  }

  fill(out: Int16Array, offset: number, n: number): number {
    const audio = this.audio;
    if (!audio) return 0;
    const src = audio.samples;
    const k = Math.min(n, src.length - this.position);
    let p = this.position;
    for (let i = offset, end = offset + k; i < end; i++) out[i] = src[p++] as number;
    this.position = p;
    return k;
  }

  rewind(): void {
    this.position = 0;
  }
}

/** A source that could not even start (e.g. a tone the generator rejects). */
export class FailedCursor implements SourceCursor {
  readonly status = 'failed';
  constructor(readonly error: PromptError) {}
  fill(): number {
    return 0;
  }
  rewind(): void {}
}
