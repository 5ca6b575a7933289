/**
 * A recording in the graph: a CallRecorder fed by the decoded incoming audio of one endpoint
 * (mono: a voicemail) or two (one party per channel, or mixed), placed by media time, and
 * advanced by the media clock so silence is written when nobody sends. Pause mutes (silence
 * written, the file keeps the call's length); resume records again.
 */
import type { SampleRate } from '../codec/index.js';
import { isRecorderError, type CallRecorder, type RecorderError, type RecordingChannel } from '../recorder/index.js';
import type { AudioSink, EndpointNode } from './endpoint-node.js';
import type { RecordResult } from './graph-types.js';

class ChannelSink implements AudioSink {
  constructor(
    private readonly recorder: CallRecorder,
    private readonly channel: RecordingChannel,
  ) {}
  audio(pcm: Int16Array, rate: SampleRate, mediaTimeMs: number): void {
    this.recorder.write(this.channel, mediaTimeMs, pcm, rate);
  }
}

export class Recording {
  private readonly sinks: { node: EndpointNode; sink: ChannelSink }[] = [];
  private result: RecordResult | RecorderError | undefined;

  constructor(
    readonly recId: string,
    private readonly recorder: CallRecorder,
    nodes: readonly EndpointNode[],
  ) {
    nodes.forEach((node, channel) => {
      const sink = new ChannelSink(recorder, channel as RecordingChannel);
      node.addSink(sink);
      this.sinks.push({ node, sink });
    });
  }

  get path(): string {
    return this.recorder.path;
  }

  /** True if `endpoint` is one of the recorded parties. */
  records(endpoint: string): boolean {
    return this.sinks.some((s) => s.node.id === endpoint);
  }

  /** True while paused (muted). */
  get paused(): boolean {
    return this.recorder.isMuted;
  }

  /** Silence from `nowMs` on instead of the parties' audio; pausing twice changes nothing. */
  pause(nowMs: number): void {
    this.recorder.mute(nowMs);
  }

  /** Records the parties again from `nowMs`; nothing when not paused. */
  resume(nowMs: number): void {
    this.recorder.unmute(nowMs);
  }

  /** Writes what is due; false once the recording failed (a disk error). */
  tick(nowMs: number): boolean {
    this.recorder.advance(nowMs);
    return this.recorder.state !== 'failed';
  }

  /** Detaches from the endpoints and closes the file; the same result when called twice. */
  stop(nowMs: number): RecordResult | RecorderError {
    if (this.result) return this.result;
    for (const { node, sink } of this.sinks) node.removeSink(sink);
    this.sinks.length = 0;
    const r = this.recorder.stop(nowMs);
    this.result = isRecorderError(r) ? r : { path: r.path, durationMs: Math.round(r.durationMs), bytes: r.bytes };
    return this.result;
  }
}
