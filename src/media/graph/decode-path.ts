/**
 * The decoding side of an endpoint node: received audio packets wait in an adaptive jitter
 * buffer (RTP time), and on each media tick the frames due are decoded in order and handed on
 * with their media time (the MediaTimeline mapping of their RTP time and arrival, so a recorder
 * still lines up the parties). A lost frame is concealed: Opus by its decoder's PLC, G.711 and
 * G.722 by repeating the last frame, fading out over five frames. While the buffer's delay is
 * above what the jitter asks for, a silent frame inside a pause is dropped instead of played, so the delay
 * shrinks without cutting speech. Only the decoding paths come here: echo and the relay never
 * wait in the buffer.
 */
import { createDecoder, type CodecDecoder, type SampleRate } from '../codec/index.js';
import type { RemoteDescription } from '../endpoint/index.js';
import { AdaptiveJitterBuffer, type JitterBufferStats } from '../jitter/index.js';
import type { RtpHeaderView } from '../rtp/index.js';
import { MediaTimeline } from './media-timeline.js';

/** Where decoded frames go; `pcm` is only valid during the call. */
export type DecodedAudio = (pcm: Int16Array, rate: SampleRate, mediaTimeMs: number) => void;

/** Highest playout delay: well inside the recorder's 200 ms wait for a late party. */
const MAX_DELAY_MS = 150;
/** What a frame may lag its media time when handed on (the recorder waits 200 ms, less a tick and margin). */
const MEDIA_LAG_BUDGET_MS = 170;
/** Peak below which a frame counts as silence (about -48 dBFS). */
const SILENCE_PEAK = 128;
/** Gain of each concealed frame in a row: the repeated frame fades out. */
const FADE_STEP = 0.2;

export class DecodePath {
  private decoder: CodecDecoder | undefined;
  private decoderRemote: Readonly<RemoteDescription> | undefined;
  private jitter: AdaptiveJitterBuffer | undefined;
  private timeline = new MediaTimeline();
  /** Times the media time mapping started over because the sender's clock ran slow. */
  reanchors = 0;
  private clockRate = 8000;
  // The last frame played (for concealment), its RTP time and media time.
  private last = new Int16Array(960);
  private lastLength = 0;
  private concealed = new Int16Array(960);
  private lostRun = 0;
  private lastSilent = false;
  private lastTs = 0;
  private lastMediaMs = Number.NaN;

  constructor(private readonly deliver: DecodedAudio) {}

  /** True while packets wait in the buffer (the node must tick). */
  get holding(): boolean {
    return (this.jitter?.size ?? 0) > 0;
  }

  /** The buffer's counters and delay, once a packet was received. */
  stats(): JitterBufferStats | undefined {
    return this.jitter?.stats();
  }

  /** Queues a received audio packet; true if the buffer held nothing before (wake the node). */
  put(view: RtpHeaderView, remote: Readonly<RemoteDescription>, nowMs: number): boolean {
    if (remote !== this.decoderRemote) this.configure(remote);
    const jitter = this.jitter!;
    const wasEmpty = jitter.size === 0;
    jitter.put(view.ssrc, view.sequenceNumber, view.timestamp, view.marker, view.buffer, view.payloadOffset, view.payloadLength, nowMs);
    return wasEmpty && jitter.size > 0;
  }

  /** Decodes and hands on every frame due at `nowMs`, concealing lost ones. */
  drain(nowMs: number): void {
    const jitter = this.jitter;
    const decoder = this.decoder;
    if (!jitter || !decoder) return;
    const rate = decoder.sampleRate;
    for (let f = jitter.pop(nowMs); f; f = jitter.pop(nowMs)) {
      if (f.kind === 'packet') {
        const pcm = decoder.decode(f.payload);
        const t = this.mediaTimeOf(f.ssrc, f.timestamp, f.arrivalMs, f.nominalMs, jitter.targetDelayMs);
        this.remember(pcm, f.timestamp, t);
        // Only inside a pause (the frame before silent too), never the edge of a word.
        const silent = jitter.canShrink && isSilent(pcm);
        const drop = silent && this.lastSilent && jitter.dropSilence();
        this.lastSilent = silent;
        if (drop) continue;
        this.deliver(pcm, rate, t);
      } else {
        const samples = Math.round((f.samples * rate) / this.clockRate);
        const t = Number.isNaN(this.lastMediaMs)
          ? this.mediaTimeOf(f.ssrc, f.timestamp, f.arrivalMs, f.nominalMs, jitter.targetDelayMs)
          : this.lastMediaMs + (((f.timestamp - this.lastTs) | 0) * 1000) / this.clockRate;
        const pcm = decoder.codec === 'opus' ? decoder.conceal(samples) : this.fade(samples);
        this.lastTs = f.timestamp;
        this.lastMediaMs = t;
        this.lastSilent = false;
        this.deliver(pcm, rate, t);
      }
    }
  }

  /** Drops what is buffered (nothing decodes any more). */
  clear(): void {
    this.jitter?.reset();
    this.lastLength = 0;
    this.lastMediaMs = Number.NaN;
  }

  /** Frees the decoder; safe to call twice. */
  close(): void {
    this.clear();
    this.decoder?.close();
    this.decoder = undefined;
    this.decoderRemote = undefined;
  }

  private configure(remote: Readonly<RemoteDescription>): void {
    const old = this.decoderRemote;
    this.decoderRemote = remote;
    if (!this.jitter) {
      this.jitter = new AdaptiveJitterBuffer({ clockRate: remote.clockRate, frameMs: remote.ptime ?? 20, maxDelayMs: MAX_DELAY_MS });
    } else if (!old || old.codec !== remote.codec || old.clockRate !== remote.clockRate) {
      // Packets of the old codec must not reach the new decoder.
      this.jitter.reset(remote.clockRate);
    }
    this.clockRate = remote.clockRate;
    if (this.decoder && old && old.codec === remote.codec) return;
    this.decoder?.close();
    this.decoder = createDecoder(remote.codec);
    this.lastLength = 0;
  }

  /**
   * The MediaTimeline's time for the frame (fastest path, so parties line up). A sender whose
   * clock runs slower than ours falls behind that path little by little; before its frames would
   * reach the recorder later than it waits, the mapping starts over at the frame's jitter-free
   * arrival (a short hole in the recording rather than a run of dropped frames).
   */
  private mediaTimeOf(ssrc: number, ts: number, arrivalMs: number, nominalMs: number, delayMs: number): number {
    const t = this.timeline.timeOf(ssrc, ts, this.clockRate, arrivalMs);
    if (nominalMs - t <= Math.max(20, MEDIA_LAG_BUDGET_MS - delayMs)) return t;
    this.timeline = new MediaTimeline();
    this.reanchors++;
    return this.timeline.timeOf(ssrc, ts, this.clockRate, nominalMs);
  }

  private remember(pcm: Int16Array, ts: number, mediaMs: number): void {
    if (this.last.length < pcm.length) this.last = new Int16Array(pcm.length);
    this.last.set(pcm);
    this.lastLength = pcm.length;
    this.lostRun = 0;
    this.lastTs = ts;
    this.lastMediaMs = mediaMs;
  }

  /** The last frame again, fading by FADE_STEP per concealed frame (ramped, no clicks). */
  private fade(samples: number): Int16Array {
    if (this.concealed.length < samples) this.concealed = new Int16Array(samples);
    const out = this.concealed.subarray(0, samples);
    const n = this.lastLength;
    if (n === 0) return out.fill(0);
    const from = Math.max(0, 1 - FADE_STEP * this.lostRun);
    const to = Math.max(0, 1 - FADE_STEP * (this.lostRun + 1));
    const last = this.last;
    for (let i = 0; i < samples; i++) out[i] = Math.round((last[i % n] as number) * (from + ((to - from) * i) / samples));
    this.lostRun++;
    return out;
  }
}

function isSilent(pcm: Int16Array): boolean {
  for (let i = 0; i < pcm.length; i++) {
    const s = pcm[i] as number;
    if (s > SILENCE_PEAK || s < -SILENCE_PEAK) return false;
  }
  return true;
}
