/**
 * Records a two-party call to WAV: stereo 16-bit PCM with party A on channel 0 (left) and
 * party B on channel 1 (right), or one mixed mono channel; 8 kHz by default, 16 kHz if asked.
 *
 * Alignment. Each frame comes with its media time (the worker's clock, ms). Frames are placed
 * by time into a small ring per channel, and the output is committed behind the newest frame by
 * `maxDelayMs` (or at once when both parties have sent up to a point). A party that sends late
 * is still aligned as long as it is within maxDelayMs; a frame later than that, or one never
 * sent, is silence on its channel. So the two channels stay in step whatever either side does.
 * advance(now) on the media clock keeps time moving when neither party sends (a silent hold).
 *
 * Crash safety. The WavWriter appends and patches the header every 250 ms of audio, so with
 * the commit lag (maxDelayMs, at most 500) a crash loses under 800 ms, under half a second by
 * default.
 *
 * Two ways to stop capturing for a while. pause()/resume() skip: the paused stretch is left out
 * of the file. mute()/unmute() keep the timeline, as MixMonitor's mute does: the stretch is
 * written as silence, so the file still lasts as long as the call (a compliance pause while a
 * caller reads out a card number must hide the voice, not the time). Mute works in file
 * positions: a frame that arrives late for a muted stretch is blanked too.
 *
 * Hot path: write() copies into the rings; commits go out in fixed 20 ms blocks through one
 * preallocated buffer, so nothing is allocated per frame after the first.
 */
import { fstatSync } from 'node:fs';
import { Resampler, type SampleRate } from '../codec/index.js';
import { WavWriter } from '../wav/index.js';
import { recorderError, type RecorderError } from './recorder-error.js';
import { transition, type RecorderState } from './recorder-state.js';

export interface CallRecorderOptions {
  readonly path: string;
  /** Media time (ms) at which the recording starts: sample 0 of the file. */
  readonly startMediaTimeMs: number;
  /** 8000 (default) or 16000. */
  readonly sampleRate?: 8000 | 16000;
  /** 'stereo' (default): one party per channel; 'mixed': both summed into mono. */
  readonly layout?: 'stereo' | 'mixed';
  /** How long a party's frame is waited for before its slot is written as silence (default 200). */
  readonly maxDelayMs?: number;
  /** fdatasync at each flush, for power loss (default false). */
  readonly durable?: boolean;
}

/** What stop() hands back: the file to register with the call record. */
export interface RecordingResult {
  readonly path: string;
  readonly durationMs: number;
  /** File size, header included. */
  readonly bytes: number;
}

export type RecordingChannel = 0 | 1;

const BLOCK_MS = 20;
/**
 * Audio between appends to the file. Short: the writer's buffer is memory every recorded call
 * holds (8 KB at 8 kHz stereo, against 24 KB at the 780 ms used before), and a crash loses less.
 */
const FLUSH_MS = 250;

export class CallRecorder {
  readonly path: string;
  readonly sampleRate: 8000 | 16000;
  readonly layout: 'stereo' | 'mixed';
  /** Samples that arrived after their slot was written (counted, dropped). */
  lateSamples = 0;
  private stateValue: RecorderState = 'recording';
  private failure: RecorderError | undefined;
  private result: RecordingResult | undefined;
  private readonly writer: WavWriter;
  private readonly start: number;
  private readonly maxDelay: number; // samples
  private readonly rings: [Int16Array, Int16Array];
  private readonly mask: number;
  private readonly block: number; // samples per channel per commit
  private readonly blockBuffer: Int16Array;
  private readonly resamplers: [Resampler | undefined, Resampler | undefined] = [undefined, undefined];
  private committed = 0; // samples per channel written to the file
  private skipped = 0; // samples of media time left out by pauses
  private readonly channelEnd = [0, 0]; // end of the newest frame per channel
  private highWater = 0;
  // Muted stretches [from, to) in file positions not yet fully committed; `to` Infinity while muted.
  private readonly muted: { from: number; to: number }[] = [];

  /** Opens the file and starts recording, or returns why the file could not be created. */
  static open(opts: CallRecorderOptions): CallRecorder | RecorderError {
    const rate = opts.sampleRate ?? 8000;
    const maxDelayMs = Math.max(BLOCK_MS, Math.min(500, opts.maxDelayMs ?? 200));
    try {
      const writer = WavWriter.create(opts.path, {
        sampleRate: rate,
        channels: (opts.layout ?? 'stereo') === 'stereo' ? 2 : 1,
        flushIntervalMs: FLUSH_MS,
        durable: opts.durable ?? false,
      });
      return new CallRecorder(opts, writer, rate, maxDelayMs);
    } catch (err) {
      return recorderError('open-failed', opts.path, err);
    }
  }

  private constructor(opts: CallRecorderOptions, writer: WavWriter, rate: 8000 | 16000, maxDelayMs: number) {
    this.path = opts.path;
    this.sampleRate = rate;
    this.layout = opts.layout ?? 'stereo';
    this.writer = writer;
    this.start = opts.startMediaTimeMs;
    this.maxDelay = (maxDelayMs * rate) / 1000;
    this.block = (BLOCK_MS * rate) / 1000;
    // Room for the wait window plus a generous frame (120 ms ptime) and one block.
    let size = 1;
    while (size < this.maxDelay + (120 * rate) / 1000 + this.block) size <<= 1;
    this.rings = [new Int16Array(size), new Int16Array(size)];
    this.mask = size - 1;
    this.blockBuffer = new Int16Array(this.block * (this.layout === 'stereo' ? 2 : 1));
  }

  get state(): RecorderState {
    return this.stateValue;
  }

  /** Set when the state is 'failed' (the disk refused a write). */
  get error(): RecorderError | undefined {
    return this.failure;
  }

  /** Recorded duration so far (what is written or waiting in the writer). */
  get durationMs(): number {
    return this.writer.durationMs;
  }

  /**
   * One frame of `channel`'s audio that starts at `mediaTimeMs`. Frames at another rate than
   * the recording's are resampled (one converter per channel, kept across frames).
   */
  write(channel: RecordingChannel, mediaTimeMs: number, samples: Int16Array, sampleRate: SampleRate = this.sampleRate): void {
    if (this.stateValue !== 'recording') return;
    let src = samples;
    if (sampleRate !== this.sampleRate) src = this.resamplerFor(channel, sampleRate).process(samples);
    const start = this.indexOf(mediaTimeMs);
    const end = start + src.length;
    const ring = this.rings[channel];
    // Never overwrite what is not committed yet: a frame far ahead pushes the commit point.
    if (end - this.committed > ring.length) this.commitTo(end - ring.length, true);
    const from = Math.max(start, this.committed);
    if (from > start) this.lateSamples += Math.min(src.length, from - start);
    const mask = this.mask;
    for (let i = from; i < end; i++) ring[i & mask] = src[i - start] as number;
    if (this.muted.length > 0) this.blankMuted(ring, from, end);
    if (end > (this.channelEnd[channel] as number)) this.channelEnd[channel] = end;
    if (end > this.highWater) this.highWater = end;
    // Both parties are in up to min(ends): nothing left to wait for before that.
    this.commitTo(Math.max(this.highWater - this.maxDelay, Math.min(this.channelEnd[0] as number, this.channelEnd[1] as number)));
  }

  /** The media clock ticked: slots older than maxDelayMs are written, silent if nobody sent. */
  advance(mediaTimeMs: number): void {
    if (this.stateValue !== 'recording') return;
    this.commitTo(this.indexOf(mediaTimeMs) - this.maxDelay);
  }

  /** Pauses at `mediaTimeMs`: audio before it is written now, the paused time is skipped. */
  pause(mediaTimeMs: number): void {
    if (this.stateValue !== 'recording') return;
    this.commitTo(this.indexOf(mediaTimeMs), true);
    this.flush();
    this.stateValue = transition(this.stateValue, 'pause');
    this.rings[0].fill(0);
    this.rings[1].fill(0);
  }

  /** Resumes at `mediaTimeMs`: the file continues right after the audio before the pause. */
  resume(mediaTimeMs: number): void {
    if (this.stateValue !== 'paused') return;
    this.skipped += this.indexOf(mediaTimeMs) - this.committed;
    this.channelEnd[0] = this.channelEnd[1] = this.highWater = this.committed;
    this.stateValue = transition(this.stateValue, 'resume');
  }

  /** True between mute() and unmute(). */
  get isMuted(): boolean {
    const last = this.muted[this.muted.length - 1];
    return last !== undefined && last.to === Infinity;
  }

  /**
   * Mutes from `mediaTimeMs` on: what the parties say is replaced by silence while time goes
   * on (audio already placed for that time is blanked). Muting twice changes nothing.
   */
  mute(mediaTimeMs: number): void {
    if (this.isMuted || (this.stateValue !== 'recording' && this.stateValue !== 'paused')) return;
    const from = Math.max(this.indexOf(mediaTimeMs), this.committed);
    this.muted.push({ from, to: Infinity });
    const end = Math.min(this.highWater, this.committed + this.rings[0].length);
    for (const ring of this.rings) for (let i = from; i < end; i++) ring[i & this.mask] = 0;
  }

  /** Unmutes at `mediaTimeMs`: audio from then on is recorded again. Nothing when not muted. */
  unmute(mediaTimeMs: number): void {
    const last = this.muted[this.muted.length - 1];
    if (last === undefined || last.to !== Infinity) return;
    last.to = Math.max(last.from, this.indexOf(mediaTimeMs));
  }

  /**
   * Writes what is left (up to `mediaTimeMs`, or the newest frame), closes the file and returns
   * it; safe to call twice (the same result). A failed recording returns its error.
   */
  stop(mediaTimeMs?: number): RecordingResult | RecorderError {
    if (this.result) return this.result;
    if (this.stateValue === 'recording') {
      this.commitTo(mediaTimeMs === undefined ? this.highWater : this.indexOf(mediaTimeMs), true);
    }
    if (this.stateValue === 'failed') return this.failure as RecorderError;
    try {
      this.writer.flush();
      const bytes = fstatSync(this.writer.fd).size;
      const durationMs = this.writer.durationMs;
      this.writer.close();
      this.stateValue = transition(this.stateValue, 'stop');
      this.result = { path: this.path, durationMs, bytes };
      return this.result;
    } catch (err) {
      this.fail(err);
      return this.failure as RecorderError;
    }
  }

  private indexOf(mediaTimeMs: number): number {
    return Math.round(((mediaTimeMs - this.start) * this.sampleRate) / 1000) - this.skipped;
  }

  /** Zeroes the muted part of [from, end) in `ring`; forgets stretches already written. */
  private blankMuted(ring: Int16Array, from: number, end: number): void {
    const muted = this.muted;
    while (muted.length > 0 && muted[0]!.to <= this.committed) muted.shift();
    const mask = this.mask;
    for (let r = 0; r < muted.length; r++) {
      const m = muted[r]!;
      for (let i = Math.max(from, m.from), stop = Math.min(end, m.to); i < stop; i++) ring[i & mask] = 0;
    }
  }

  private resamplerFor(channel: RecordingChannel, from: SampleRate): Resampler {
    let r = this.resamplers[channel];
    if (!r || r.fromRate !== from) r = this.resamplers[channel] = new Resampler(from, this.sampleRate);
    return r;
  }

  /** Writes slots [committed, target) in whole blocks (and the remainder if `exact`). */
  private commitTo(target: number, exact = false): void {
    if (this.stateValue !== 'recording') return;
    while (target - this.committed >= this.block) this.emit(this.block);
    if (exact && target > this.committed) this.emit(target - this.committed);
  }

  private emit(n: number): void {
    const [left, right] = this.rings;
    const mask = this.mask;
    const out = this.blockBuffer;
    let o = 0;
    if (this.layout === 'stereo') {
      for (let i = this.committed, end = this.committed + n; i < end; i++) {
        const k = i & mask;
        out[o++] = left[k] as number;
        out[o++] = right[k] as number;
        left[k] = 0;
        right[k] = 0;
      }
    } else {
      for (let i = this.committed, end = this.committed + n; i < end; i++) {
        const k = i & mask;
        const sum = (left[k] as number) + (right[k] as number);
        out[o++] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
        left[k] = 0;
        right[k] = 0;
      }
    }
    this.committed += n;
    try {
      // Only the last, partial block of a pause or stop needs a shorter view.
      this.writer.write(o === out.length ? out : out.subarray(0, o));
    } catch (err) {
      this.fail(err);
    }
  }

  private flush(): void {
    try {
      this.writer.flush();
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    if (this.stateValue === 'failed') return;
    this.failure = recorderError('write-failed', this.path, err);
    this.stateValue = transition(this.stateValue, 'fail');
    try {
      this.writer.close();
    } catch {
      // The descriptor is unusable already; the error above is what matters.
    }
  }
}
