/**
 * A leg's own recording (voicemail): what the far end says, mono, until stopRecording(), the
 * maximum duration, or the end of the leg. The end of the leg does not lose the file: the
 * recording resolves with reason 'hangup' (the one operation that does not reject then).
 */
import { AtendeError, type Clock, type TimerHandle } from '../../core/index.js';
import type { LegRecording, PlayItem, PlayOptions, PlayResult, RecordOptions } from './leg-types.js';
import type { EndSignal } from './leg-end.js';
import { RunningRecording, type RecorderPort } from './running-recording.js';

/** How long the beep before a recording lasts. */
const BEEP_MS = 250;

interface Current {
  rec: RunningRecording;
  reason: LegRecording['reason'] | undefined;
}

export class LegRecorder {
  private current: Current | undefined;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly port: RecorderPort,
    /** Aborted when the leg ends. */
    private readonly signal: EndSignal,
  ) {}

  /**
   * Records `endpoint`'s incoming audio. `play` is the leg's own (it rejects with a HangupError
   * when the leg ends during the beep: nothing was recorded yet).
   */
  async record(
    endpoint: string,
    opts: RecordOptions,
    play: (items: PlayItem[], opts: PlayOptions) => Promise<PlayResult>,
  ): Promise<LegRecording> {
    if (this.current !== undefined) throw new AtendeError('recording_busy', 'this leg is already recording');
    if (opts.beep === true) await play([{ kind: 'tone', tone: 'test', durationMs: BEEP_MS }], {});
    const rec = await RunningRecording.start(this.port, { recId: `${endpoint}.rec${++this.count}`, path: opts.path, endpoints: [endpoint] });
    const current: Current = { rec, reason: undefined };
    this.current = current;
    const stopFor = (reason: LegRecording['reason']): void => {
      current.reason ??= reason;
      void rec.stop();
    };
    let timer: TimerHandle | undefined;
    if (opts.maxMs !== undefined) timer = this.clock.setTimer(opts.maxMs, () => stopFor('max-duration'));
    const onAbort = (): void => stopFor('hangup');
    this.signal.addEventListener('abort', onAbort, { once: true });
    // The leg ended while the recording was starting.
    if (this.signal.aborted) onAbort();
    try {
      const file = await rec.done;
      // Ended by the worker on its own: the endpoint went away (the leg ended) or the disk failed.
      const reason = current.reason ?? (this.signal.aborted ? 'hangup' : 'error');
      return { ...file, reason: file.error !== undefined && reason === 'stopped' ? 'error' : reason };
    } finally {
      this.clock.clearTimer(timer);
      this.signal.removeEventListener('abort', onAbort);
      if (this.current === current) this.current = undefined;
    }
  }

  /** Pauses the running recording (silence is recorded); nothing when none runs. */
  async pause(): Promise<void> {
    await this.current?.rec.pause();
  }

  /** Resumes the running recording; nothing when none runs. */
  async resume(): Promise<void> {
    await this.current?.rec.resume();
  }

  /** True while the running recording is paused. */
  get paused(): boolean {
    return this.current?.rec.paused === true;
  }

  /** Stops the running recording (its record() resolves with reason 'stopped'). */
  async stop(): Promise<void> {
    const current = this.current;
    if (current === undefined) return;
    current.reason ??= 'stopped';
    await current.rec.stop();
  }
}
