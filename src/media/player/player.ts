/**
 * The player node of an endpoint: a queue of plays, each a list of sources (prompt files,
 * tones, silence, music-on-hold folders, raw samples), streamed one frame per call of next()
 * on the worker's 20 ms media clock. A source that ends inside a frame hands over to the next
 * in the same frame, so prompt lists play without gaps and tones stay phase-continuous across
 * frames. Every play ends with exactly one event: finished, stopped, bargeIn or error.
 * Files load asynchronously when a play is queued; a file still loading when its turn comes
 * plays as silence until it is ready (a cached prompt is ready in one stat call).
 */
import { cryptoRandom, type RandomSource } from '../../core/index.js';
import type { SampleRate } from '../codec/index.js';
import { FolderCursor, listWavFiles, type FolderLister } from './music-on-hold.js';
import type { PlayEndReason, PlayEvent, PlayRequest, PlaySource } from './play-request.js';
import type { PromptSource } from './prompt-cache.js';
import { promptError, type PromptError } from './prompt-error.js';
import { FailedCursor, FileCursor, PcmCursor, SilenceCursor, ToneCursor, type SourceCursor } from './source-cursor.js';

export interface PlayerOptions {
  /** The endpoint's rate: every frame from next() is at this rate. */
  readonly sampleRate: SampleRate;
  readonly prompts: PromptSource;
  /** Called once per play when it ends; a listener that throws is contained. */
  readonly onEvent: (event: PlayEvent) => void;
  /** For shuffled music on hold (default: crypto randomness). */
  readonly random?: RandomSource;
  /** Lists a music-on-hold folder (default: the .wav files in it, by name). */
  readonly listFolder?: FolderLister;
}

interface ActivePlay {
  readonly request: PlayRequest;
  readonly cursors: SourceCursor[];
  index: number;
  // Samples produced since the last (re)start: a looping play that produces none would spin.
  producedThisPass: number;
}

export class Player {
  readonly sampleRate: SampleRate;
  private readonly queue: ActivePlay[] = [];
  private frame = new Int16Array(0);
  private readonly random: RandomSource;
  private readonly listFolder: FolderLister;
  /** Events whose listener threw (contained, counted for diagnostics). */
  listenerErrors = 0;

  constructor(private readonly opts: PlayerOptions) {
    this.sampleRate = opts.sampleRate;
    this.random = opts.random ?? cryptoRandom;
    this.listFolder = opts.listFolder ?? listWavFiles;
  }

  /** Queues a play behind the current ones; its files start loading now. */
  enqueue(request: PlayRequest): void {
    const cursors = request.sources.map((s) => this.cursorOf(s));
    this.queue.push({ request, cursors, index: 0, producedThisPass: 0 });
  }

  /** True while a play is queued or playing. */
  get playing(): boolean {
    return this.queue.length > 0;
  }

  /** The playId being played now. */
  get currentPlayId(): string | undefined {
    return this.queue[0]?.request.playId;
  }

  /**
   * The next `frameSamples` samples, or undefined when nothing is queued. The array is reused
   * by the next call: encode or copy it before then.
   */
  next(frameSamples: number): Int16Array | undefined {
    if (this.queue.length === 0) return undefined;
    if (this.frame.length !== frameSamples) this.frame = new Int16Array(frameSamples);
    const out = this.frame;
    let written = 0;
    while (written < frameSamples) {
      const play = this.queue[0];
      if (!play) break;
      const cursor = play.cursors[play.index];
      if (!cursor) {
        if (play.request.loop && play.producedThisPass > 0) {
          for (const c of play.cursors) c.rewind();
          play.index = 0;
          play.producedThisPass = 0;
        } else this.end(play, 'finished');
        continue;
      }
      const k = cursor.fill(out, written, frameSamples - written);
      written += k;
      play.producedThisPass += k;
      const status = cursor.status;
      if (status === 'loading') break;
      if (status === 'failed') this.end(play, 'error', cursor.error);
      else if (status === 'ended') play.index++;
      else if (k === 0) break; // a ready source that gives nothing: never spin
    }
    // A play whose last sample is in this frame is finished now, not one tick later.
    for (let play = this.queue[0]; play && !play.request.loop && play.index >= play.cursors.length; play = this.queue[0]) {
      this.end(play, 'finished');
    }
    if (written === 0 && this.queue.length === 0) return undefined;
    if (written < frameSamples) out.fill(0, written);
    return out;
  }

  /** Stops `playId` (queued or playing), or every play; true if something was stopped. */
  stop(playId?: string): boolean {
    const targets = this.queue.filter((p) => playId === undefined || p.request.playId === playId);
    // Events in queue order, each play removed before its event so listeners see the new queue.
    for (const play of targets) this.end(play, 'stopped');
    return targets.length > 0;
  }

  /**
   * A DTMF digit arrived: ends the current play if it asked for barge-in. Returns true if it did.
   * Queued plays are left alone: each has its own bargeIn flag and its own awaiting caller.
   */
  bargeIn(): boolean {
    const play = this.queue[0];
    if (!play || !play.request.bargeIn) return false;
    this.end(play, 'bargeIn');
    return true;
  }

  /** Stops everything (events sent); safe to call twice. */
  close(): void {
    this.stop();
  }

  private end(play: ActivePlay, reason: PlayEndReason, error?: PromptError): void {
    const i = this.queue.indexOf(play);
    if (i < 0) return;
    this.queue.splice(i, 1);
    const event: PlayEvent = error ? { playId: play.request.playId, reason, error } : { playId: play.request.playId, reason };
    try {
      this.opts.onEvent(event);
    } catch {
      this.listenerErrors++;
    }
  }

  private cursorOf(source: PlaySource): SourceCursor {
    switch (source.kind) {
      case 'file':
        return new FileCursor(this.opts.prompts, source.path, this.sampleRate);
      case 'tone':
        try {
          return new ToneCursor(source.tone, this.sampleRate, source.durationMs);
        } catch (err) {
          // A tone the generator rejects (no segments, above Nyquist) fails its play, not the worker.
          return new FailedCursor(promptError('bad-tone', 'tone', err instanceof Error ? err.message : String(err)));
        }
      case 'silence':
        return new SilenceCursor(source.durationMs, this.sampleRate);
      case 'samples':
        return new PcmCursor(source.samples);
      case 'folder':
        return new FolderCursor(source.path, source.order ?? 'name', {
          prompts: this.opts.prompts,
          sampleRate: this.sampleRate,
          random: this.random,
          list: this.listFolder,
        });
    }
  }
}
