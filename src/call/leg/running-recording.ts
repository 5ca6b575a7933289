/**
 * One recording running in the media workers, as the call layer sees it: started with
 * `record`, ended by `stopRecord` or by the worker itself (a recorded endpoint destroyed, a
 * disk error, the worker dying), which raises `recordDone`. Whichever comes first closes it:
 * a leg that hangs up while `stop()` is on its way still yields the file. Pause/resume mute it
 * in the worker (silence is written, the file keeps the call's length).
 */
import { AtendeError } from '../../core/index.js';
import type { EndpointId, MediaEvent, RecordResult } from '../../media/worker/index.js';
import type { Recording, RecordingHandle } from './leg-types.js';

/** The part of the media worker pool a recording uses. */
export interface RecorderPort {
  record(request: {
    recId: string;
    path: string;
    endpoints: [EndpointId] | [EndpointId, EndpointId];
    layout?: 'stereo' | 'mixed';
  }): Promise<void>;
  stopRecord(recId: string): Promise<RecordResult>;
  /** Silence instead of the parties until resumeRecord (absent: these workers cannot pause). */
  pauseRecord?(recId: string): Promise<void>;
  resumeRecord?(recId: string): Promise<void>;
  /** Every media event (recordDone names the recording, not an endpoint). */
  on(listener: (event: MediaEvent) => void): () => void;
}

export class RunningRecording implements RecordingHandle {
  private finished: Recording | undefined;
  private pausedValue = false;
  private resolveDone!: (r: Recording) => void;
  private readonly unsubscribe: () => void;
  private stopping: Promise<Recording> | undefined;
  /** Resolves once the file is closed, however the recording ended. */
  readonly done: Promise<Recording>;

  private constructor(
    private readonly port: RecorderPort,
    readonly recId: string,
    readonly path: string,
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    // Subscribed before the record command: a recording that ends at once is not missed.
    this.unsubscribe = port.on((ev) => {
      if (ev.ev !== 'recordDone' || ev.recId !== recId) return;
      this.close({ path: ev.path, durationMs: ev.durationMs, bytes: ev.bytes, ...(ev.error !== undefined ? { error: ev.error } : {}) });
    });
  }

  /** Starts recording `endpoints`; rejects (nothing left running) when the worker refuses. */
  static async start(
    port: RecorderPort,
    request: { recId: string; path: string; endpoints: [EndpointId] | [EndpointId, EndpointId]; layout?: 'stereo' | 'mixed' },
  ): Promise<RunningRecording> {
    const rec = new RunningRecording(port, request.recId, request.path);
    try {
      await port.record(request);
    } catch (err) {
      rec.unsubscribe();
      throw err;
    }
    return rec;
  }

  get isDone(): boolean {
    return this.finished !== undefined;
  }

  /** True between pause() and resume() (as last asked of the worker). */
  get paused(): boolean {
    return this.pausedValue;
  }

  /**
   * Records silence instead of the parties until resume(), the file keeping the call's length.
   * Idempotent; nothing once the recording ended. Rejects when the worker refuses (then the
   * recording goes on unpaused) or these media workers cannot pause.
   */
  pause(): Promise<void> {
    return this.setPaused(true);
  }

  /** Records the parties again; nothing when not paused or once the recording ended. */
  resume(): Promise<void> {
    return this.setPaused(false);
  }

  /** pause/resume only: what a recorded bridge hands the application (stopping is the bridge's). */
  get handle(): RecordingHandle {
    const self = this as RunningRecording;
    return {
      get paused() {
        return self.paused;
      },
      pause: () => self.pause(),
      resume: () => self.resume(),
    };
  }

  /** Stops the recording (if the worker has not already) and resolves with the closed file. */
  stop(): Promise<Recording> {
    if (this.finished !== undefined) return Promise.resolve(this.finished);
    this.stopping ??= this.port.stopRecord(this.recId).then(
      (r) => {
        this.close({ path: r.path, durationMs: r.durationMs, bytes: r.bytes });
        return this.done;
      },
      (err: unknown) => {
        // Unknown recording: the worker ended it first and its recordDone has been delivered
        // already (the pool forgets it just before dispatching). Otherwise the pool is gone.
        if (this.finished === undefined) {
          this.close({ path: this.path, durationMs: 0, bytes: 0, error: err instanceof Error ? err.message : String(err) });
        }
        return this.done;
      },
    );
    return this.stopping;
  }

  private async setPaused(on: boolean): Promise<void> {
    if (this.finished !== undefined || this.stopping !== undefined) return;
    const send = on ? this.port.pauseRecord : this.port.resumeRecord;
    if (send === undefined) throw new AtendeError('no_recording_pause', 'these media workers cannot pause recordings');
    // Set first: a pause asked while the command is on its way is reported paused.
    const before = this.pausedValue;
    this.pausedValue = on;
    try {
      await send.call(this.port, this.recId);
    } catch (err) {
      // Ended meanwhile (recordDone first, or stopped): nothing left to pause.
      if (this.finished !== undefined || this.stopping !== undefined) return;
      this.pausedValue = before;
      throw err;
    }
  }

  private close(r: Recording): void {
    if (this.finished !== undefined) return;
    this.finished = r;
    this.unsubscribe();
    this.resolveDone(r);
  }
}
