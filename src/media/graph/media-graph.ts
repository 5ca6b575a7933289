/**
 * Everything a media worker does beyond relaying: players, echo, recordings and mixes over its
 * endpoints, and in-band DTMF detection on the endpoints that want it, driven by the worker's one
 * MediaClock (started while something needs ticks, stopped when nothing does). Per tick: mixes first (their outputs land on member nodes), then every
 * node with a play or a mix output, then recordings. One PromptCache serves every endpoint.
 * Lifecycle: destroying an endpoint ends its plays ('stopped'), the recordings it is in
 * (recordDone) and its mix memberships; close() ends everything.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, RandomSource } from '../../core/index.js';
import { CODECS, type SampleRate } from '../codec/index.js';
import type { RtpEndpoint } from '../endpoint/index.js';
import { PromptCache } from '../player/index.js';
import { CallRecorder, isRecorderError } from '../recorder/index.js';
import { EndpointNode, type EndpointNodeHost } from './endpoint-node.js';
import type { GraphEvent, MixMemberSpec, PlaySpec, RecordResult, RecordSpec } from './graph-types.js';
import { MediaClock } from './media-clock.js';
import { Mix } from './mix.js';
import { playSourceOf } from './play-source.js';
import { Recording } from './recording.js';

/** A graph command that cannot be done, with the code its reply carries. */
export class GraphError extends Error {
  constructor(
    readonly code: 'unknown_endpoint' | 'unknown_recording' | 'recording_exists' | 'record_failed' | 'already_mixed' | 'invalid_argument',
    message: string,
  ) {
    super(message);
  }
}

export interface MediaGraphOptions {
  clock: Clock;
  random: RandomSource;
  emit: (event: GraphEvent) => void;
  /** The worker's endpoint of that id, if it exists. */
  endpoint: (id: string) => RtpEndpoint | undefined;
  prompts?: PromptCache;
}

/** Something the media clock ticks while it asks to (an endpoint node, a transcoding relay direction). */
export interface MediaTicked {
  tick(tickMs: number): void;
  readonly needsTick: boolean;
}

export class MediaGraph {
  readonly prompts: PromptCache;
  private readonly clock: Clock;
  private readonly media: MediaClock;
  private readonly nodes = new Map<string, EndpointNode>();
  private readonly ticking = new Set<MediaTicked>();
  private readonly recordings = new Map<string, Recording>();
  private readonly mixes = new Map<string, Mix>();
  private readonly mixOf = new Map<string, Mix>();
  private readonly host: EndpointNodeHost;
  private closed = false;

  constructor(private readonly options: MediaGraphOptions) {
    this.clock = options.clock;
    this.prompts = options.prompts ?? new PromptCache();
    this.media = new MediaClock({ clock: options.clock, onTick: (t) => this.tick(t) });
    this.host = { prompts: this.prompts, random: options.random, emit: options.emit, wake: (node) => this.wake(node) };
  }

  /** Counts for tests and metrics. */
  get counts(): { nodes: number; recordings: number; mixes: number; clockRunning: boolean } {
    return { nodes: this.nodes.size, recordings: this.recordings.size, mixes: this.mixes.size, clockRunning: this.media.running };
  }

  /** The worker's media clock (ticks, skipped ticks). */
  get mediaClock(): MediaClock {
    return this.media;
  }

  play(endpoint: string, spec: PlaySpec): void {
    if (typeof spec.playId !== 'string' || !Array.isArray(spec.sources)) throw new GraphError('invalid_argument', 'play needs a playId and sources');
    const sources = spec.sources.map(playSourceOf);
    const node = this.nodeOf(endpoint);
    node.play({ playId: spec.playId, sources, loop: spec.loop === true, bargeIn: spec.bargeIn === true });
    this.wake(node);
  }

  stopPlay(endpoint: string, playId?: string): { stopped: boolean } {
    const node = this.nodes.get(endpoint);
    if (!node) {
      this.endpointOf(endpoint);
      return { stopped: false };
    }
    return { stopped: node.stopPlay(playId) };
  }

  echo(endpoint: string, on: boolean): void {
    if (!on && !this.nodes.has(endpoint)) {
      this.endpointOf(endpoint);
      return;
    }
    this.nodeOf(endpoint).setEcho(on);
  }

  /**
   * The endpoint's remote description changed (or it was created): in-band DTMF detection starts
   * or stops as its mode asks (an 'auto' endpoint stops once a re-INVITE adds telephone-event).
   */
  endpointChanged(endpoint: string): void {
    const ep = this.endpointOf(endpoint);
    if (ep.inbandDtmf) this.nodeOf(endpoint).setInbandDtmf(true);
    else this.nodes.get(endpoint)?.setInbandDtmf(false);
  }

  /** True while `endpoint` searches its received audio for DTMF tones. */
  inbandDtmf(endpoint: string): boolean {
    return this.nodes.get(endpoint)?.inbandDtmf === true;
  }

  /** A digit arrived on `endpoint` (RFC 4733 or in-band): barge-in. */
  digit(endpoint: string): void {
    this.nodes.get(endpoint)?.digit();
  }

  record(spec: RecordSpec): void {
    if (typeof spec.recId !== 'string' || typeof spec.path !== 'string' || spec.path === '') {
      throw new GraphError('invalid_argument', 'record needs a recId and a path');
    }
    const ids = spec.endpoints;
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 2 || ids[0] === ids[1]) {
      throw new GraphError('invalid_argument', 'record takes one or two distinct endpoints');
    }
    if (spec.sampleRate !== undefined && spec.sampleRate !== 8000 && spec.sampleRate !== 16000) {
      throw new GraphError('invalid_argument', 'record sampleRate is 8000 or 16000');
    }
    if (this.recordings.has(spec.recId)) throw new GraphError('recording_exists', `recording ${spec.recId} exists`);
    for (const id of ids) this.endpointOf(id);
    try {
      mkdirSync(dirname(spec.path), { recursive: true });
    } catch {
      // CallRecorder.open reports the real problem.
    }
    const recorder = CallRecorder.open({
      path: spec.path,
      startMediaTimeMs: this.clock.monotonic(),
      sampleRate: spec.sampleRate ?? 8000,
      // One party is a mono recording: channel 1 stays silent and the mix is channel 0.
      layout: ids.length === 1 ? 'mixed' : (spec.layout ?? 'stereo'),
    });
    if (isRecorderError(recorder)) throw new GraphError('record_failed', recorder.message);
    this.recordings.set(spec.recId, new Recording(spec.recId, recorder, ids.map((id) => this.nodeOf(id))));
    this.media.start();
  }

  stopRecord(recId: string): RecordResult {
    const rec = this.recordings.get(recId);
    if (!rec) throw new GraphError('unknown_recording', `no recording ${recId}`);
    const r = this.finishRecording(rec);
    if ('type' in r) throw new GraphError('record_failed', r.message);
    return r;
  }

  // ---- Recording pause/resume (MixMonitor-style mute: silence keeps the file's timeline) ----

  /** Pauses `recId`: silence is recorded from now until resumeRecord; idempotent. */
  pauseRecord(recId: string): void {
    this.liveRecording(recId).pause(this.clock.monotonic());
  }

  /** Resumes `recId` (nothing when it is not paused). */
  resumeRecord(recId: string): void {
    this.liveRecording(recId).resume(this.clock.monotonic());
  }

  private liveRecording(recId: string): Recording {
    const rec = this.recordings.get(recId);
    if (!rec) throw new GraphError('unknown_recording', `no recording ${String(recId)}`);
    return rec;
  }

  // ---- end of recording pause/resume ----

  mix(mixId: string, members: MixMemberSpec[]): void {
    if (typeof mixId !== 'string' || !Array.isArray(members)) throw new GraphError('invalid_argument', 'mix needs a mixId and members');
    const seen = new Set<string>();
    for (const m of members) {
      if (typeof m?.endpoint !== 'string' || seen.has(m.endpoint)) throw new GraphError('invalid_argument', 'mix members must be distinct endpoints');
      if (m.hears !== 'all-but-self' && !(Array.isArray(m.hears) && m.hears.every((h) => typeof h === 'string'))) {
        throw new GraphError('invalid_argument', `bad hears for ${m.endpoint}`);
      }
      seen.add(m.endpoint);
      this.endpointOf(m.endpoint);
      const other = this.mixOf.get(m.endpoint);
      if (other && other.mixId !== mixId) throw new GraphError('already_mixed', `${m.endpoint} is in mix ${other.mixId}`);
    }
    const rate = this.mixRateOf(members);
    let mix = this.mixes.get(mixId);
    if (mix && mix.rate !== rate) {
      this.dropMix(mix);
      mix = undefined;
    }
    if (!mix) {
      mix = new Mix(mixId, rate);
      this.mixes.set(mixId, mix);
    }
    for (const id of mix.endpoints) if (!seen.has(id)) this.mixOf.delete(id);
    mix.setMembers(members, (id) => this.nodeOf(id));
    for (const m of members) {
      this.mixOf.set(m.endpoint, mix);
      this.wake(this.nodeOf(m.endpoint));
    }
    this.media.start();
  }

  unmix(mixId: string): void {
    const mix = this.mixes.get(mixId);
    if (mix) this.dropMix(mix);
  }

  /** The endpoint is being destroyed: its plays, recordings and mix memberships end. */
  endpointDestroyed(endpoint: string): void {
    for (const rec of [...this.recordings.values()]) if (rec.records(endpoint)) this.finishRecording(rec);
    const mix = this.mixOf.get(endpoint);
    if (mix) {
      mix.remove(endpoint);
      this.mixOf.delete(endpoint);
    }
    const node = this.nodes.get(endpoint);
    if (node) {
      node.close();
      this.nodes.delete(endpoint);
      this.ticking.delete(node);
    }
    this.sleepIfIdle();
  }

  /** Ends every play, recording and mix and stops the clock; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const rec of [...this.recordings.values()]) this.finishRecording(rec);
    for (const mix of [...this.mixes.values()]) this.dropMix(mix);
    for (const node of this.nodes.values()) node.close();
    this.nodes.clear();
    this.ticking.clear();
    this.media.stop();
  }

  private tick(tickMs: number): void {
    for (const mix of this.mixes.values()) mix.tick();
    for (const node of this.ticking) {
      node.tick(tickMs);
      if (!node.needsTick) this.ticking.delete(node);
    }
    for (const rec of this.recordings.values()) {
      if (!rec.tick(tickMs)) this.finishRecording(rec);
    }
    this.sleepIfIdle();
  }

  private finishRecording(rec: Recording): RecordResult | { type: 'recorder-error'; message: string } {
    this.recordings.delete(rec.recId);
    const r = rec.stop(this.clock.monotonic());
    if (isRecorderError(r)) {
      this.options.emit({ ev: 'recordDone', recId: rec.recId, path: rec.path, durationMs: 0, bytes: 0, error: r.message });
    } else {
      this.options.emit({ ev: 'recordDone', recId: rec.recId, path: r.path, durationMs: r.durationMs, bytes: r.bytes });
    }
    this.sleepIfIdle();
    return r;
  }

  private dropMix(mix: Mix): void {
    for (const id of mix.endpoints) this.mixOf.delete(id);
    mix.close();
    this.mixes.delete(mix.mixId);
    this.sleepIfIdle();
  }

  /** 16 kHz when a member speaks a wideband codec, else 8 kHz. */
  private mixRateOf(members: readonly MixMemberSpec[]): SampleRate {
    for (const m of members) {
      const remote = this.options.endpoint(m.endpoint)?.remoteDescription;
      if (remote && CODECS[remote.codec].sampleRate > 8000) return 16000;
    }
    return 8000;
  }

  /** Ticks `t` on the media clock until it no longer needs ticks (e.g. a relay's jitter buffer). */
  schedule(t: MediaTicked): void {
    this.wake(t);
  }

  private wake(t: MediaTicked): void {
    if (t.needsTick) this.ticking.add(t);
    if (this.ticking.size > 0) this.media.start();
  }

  private sleepIfIdle(): void {
    if (this.ticking.size === 0 && this.recordings.size === 0 && this.mixes.size === 0) this.media.stop();
  }

  private endpointOf(id: string): RtpEndpoint {
    const endpoint = this.options.endpoint(id);
    if (!endpoint) throw new GraphError('unknown_endpoint', `no endpoint ${String(id)} in this worker`);
    return endpoint;
  }

  private nodeOf(id: string): EndpointNode {
    let node = this.nodes.get(id);
    if (!node) {
      node = new EndpointNode(id, this.endpointOf(id), this.host);
      this.nodes.set(id, node);
    }
    return node;
  }
}
