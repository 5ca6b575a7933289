/**
 * One endpoint's place in the media graph. Outgoing: while a play is active its Player feeds
 * the endpoint (else the endpoint's mix output, if it is a listening mix member), encoded by an
 * AudioSender; echo sends the endpoint's own audio packets back. Any of them pauses the relay
 * towards the endpoint, which resumes when they end. Incoming: as the endpoint's tap, while
 * something listens (recorders, mixer inlets, the in-band DTMF detector) it puts audio packets in
 * its DecodePath's jitter buffer, and each tick decodes the frames due, in order with losses
 * concealed, once for every sink, placed on media time. Echo never waits in the buffer. In-band
 * digits held back by the endpoint's digit stream are released from tick().
 *
 * Plays queued before the endpoint knows its codec (before setRemote) start once it does; the
 * Player then runs at that codec's rate. A new play replaces the current one ('stopped').
 */
import type { RandomSource } from '../../core/index.js';
import { CODECS, type SampleRate } from '../codec/index.js';
import { PacketKind, type RemoteDescription, type RtpEndpoint, type RtpTap } from '../endpoint/index.js';
import { Player, type PlayEvent, type PlayRequest, type PromptSource } from '../player/index.js';
import type { JitterBufferStats } from '../jitter/index.js';
import type { RtpHeaderView } from '../rtp/index.js';
import { AudioSender } from './audio-sender.js';
import { DecodePath } from './decode-path.js';
import type { GraphEvent } from './graph-types.js';
import { InbandDtmfSink } from './inband-dtmf-sink.js';

/** Takes an endpoint's decoded incoming audio; `pcm` is only valid during the call. */
export interface AudioSink {
  audio(pcm: Int16Array, rate: SampleRate, mediaTimeMs: number): void;
}

export interface EndpointNodeHost {
  readonly prompts: PromptSource;
  readonly random: RandomSource;
  emit(event: GraphEvent): void;
  /** The node needs ticks again (an in-band digit is held): put it on the media clock. */
  wake(node: EndpointNode): void;
}

const ECHO_RING = 8;
const MAX_PACKET = 1500;

export class EndpointNode implements RtpTap {
  private player: Player | undefined;
  private pending: PlayRequest[] = [];
  private echoOn = false;
  private echoRing: Buffer[] = [];
  private echoIndex = 0;
  private readonly sinks: AudioSink[] = [];
  private inband: InbandDtmfSink | undefined;
  private inbandOn = false;
  private readonly decodePath = new DecodePath((pcm, rate, t) => this.decoded(pcm, rate, t));
  private readonly sender: AudioSender;
  // In a mix that it hears: the mix output replaces the relay.
  private mixListener = false;
  private mixRate: SampleRate = 8000;
  /** This tick's mix output for the endpoint (set by its mix, consumed by tick()). */
  mixOutput: Int16Array | undefined;
  /** Echoed packets. */
  echoed = 0;

  constructor(
    readonly id: string,
    readonly endpoint: RtpEndpoint,
    private readonly host: EndpointNodeHost,
  ) {
    this.sender = new AudioSender(endpoint, host.random);
  }

  /** True while the clock must tick this node (a play, mix output, held digits or buffered audio). */
  get needsTick(): boolean {
    return this.pending.length > 0 || this.player?.playing === true || this.mixListener || this.endpoint.digitsPending
      || this.decodePath.holding;
  }

  /** The jitter buffer's counters and delay, once received audio was decoded. */
  get jitterBufferStats(): JitterBufferStats | undefined {
    return this.decodePath.stats();
  }

  /** True while the received audio is searched for DTMF tones. */
  get inbandDtmf(): boolean {
    return this.inbandOn;
  }

  /** Digits the in-band detector found (before duplicates were dropped). */
  get inbandDetected(): number {
    return this.inband?.detected ?? 0;
  }

  /** Starts or stops in-band DTMF detection on the received audio. */
  setInbandDtmf(on: boolean): void {
    if (on === this.inbandOn) return;
    this.inbandOn = on;
    if (on) {
      this.inband ??= new InbandDtmfSink(this.endpoint);
      this.inband.reset();
    }
    this.update();
  }

  /** Plays `request`, replacing the current play (which ends 'stopped') and any echo. */
  play(request: PlayRequest): void {
    this.stopPlay();
    this.echoOn = false;
    if (this.player) this.player.enqueue(request);
    else this.pending.push(request);
    this.update();
  }

  /** Stops `playId` (or whatever plays); true if something was stopped. */
  stopPlay(playId?: string): boolean {
    let stopped = this.player?.stop(playId) ?? false;
    const keep: PlayRequest[] = [];
    const drop: PlayRequest[] = [];
    for (const r of this.pending) (playId === undefined || r.playId === playId ? drop : keep).push(r);
    this.pending = keep;
    for (const r of drop) this.onPlayEvent({ playId: r.playId, reason: 'stopped' });
    stopped ||= drop.length > 0;
    this.update();
    return stopped;
  }

  setEcho(on: boolean): void {
    this.echoOn = on;
    if (on && this.echoRing.length === 0) this.echoRing = Array.from({ length: ECHO_RING }, () => Buffer.alloc(MAX_PACKET));
    this.update();
  }

  /** A digit arrived on the endpoint (RFC 4733 or in-band): barge-in for a play that allows it. */
  digit(): void {
    if (this.player?.bargeIn()) this.update();
  }

  /** Joins (listens = it hears someone) or leaves (listens = false) a mix's output. */
  setMixRole(listens: boolean, rate: SampleRate): void {
    this.mixListener = listens;
    this.mixRate = rate;
    if (!listens) this.mixOutput = undefined;
    this.update();
  }

  addSink(sink: AudioSink): void {
    this.sinks.push(sink);
    this.update();
  }

  removeSink(sink: AudioSink): void {
    const i = this.sinks.indexOf(sink);
    if (i >= 0) this.sinks.splice(i, 1);
    this.update();
  }

  /** One media tick: received frames due are decoded; the frame of the current play, else the mix output, is sent. */
  tick(tickMs: number): void {
    if (this.decodePath.holding) this.decodePath.drain(tickMs);
    // Held in-band digits first, so a barge-in stops the play before this tick's frame.
    if (this.endpoint.digitsPending) this.endpoint.pollDigits(tickMs);
    const remote = this.endpoint.remoteDescription;
    const mix = this.mixOutput;
    this.mixOutput = undefined;
    if (!remote) {
      this.sender.idle();
      return;
    }
    if (!this.player && this.pending.length > 0) this.startPlayer(remote);
    const player = this.player;
    let sent = false;
    if (player?.playing) {
      const frame = player.next(player.sampleRate / 50);
      if (frame) {
        this.sender.push(frame, player.sampleRate, tickMs);
        sent = true;
      }
    }
    if (!sent && mix && this.mixListener) {
      this.sender.push(mix, this.mixRate, tickMs);
      sent = true;
    }
    if (!sent || !this.needsTick) this.sender.idle();
    this.update();
  }

  /** Ends plays ('stopped'), echo and taps; safe to call twice. */
  close(): void {
    this.player?.close();
    this.stopPlay();
    this.player = undefined;
    this.echoOn = false;
    this.sinks.length = 0;
    this.inbandOn = false;
    this.mixListener = false;
    if (this.endpoint.tap === this) this.endpoint.tap = undefined;
    this.endpoint.relayPaused = false;
    this.sender.close();
    this.decodePath.close();
  }

  // RtpTap: accepted packets of the endpoint, before its relay.
  receive(packet: Buffer, view: RtpHeaderView, kind: PacketKind, nowMs: number): void {
    if (kind !== PacketKind.Audio) return;
    if (this.echoOn && !this.playing && !this.mixListener) this.echo(packet, nowMs);
    if (this.sinks.length === 0 && !this.inbandOn) return;
    const remote = this.endpoint.remoteDescription;
    if (!remote) return;
    // Decoded on the media clock, in RTP order, once the jitter buffer's delay has passed.
    if (this.decodePath.put(view, remote, nowMs)) this.host.wake(this);
  }

  private decoded(pcm: Int16Array, rate: SampleRate, t: number): void {
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.audio(pcm, rate, t);
    const inband = this.inbandOn ? this.inband : undefined;
    if (inband) {
      inband.audio(pcm, rate, t);
      if (inband.found && this.endpoint.digitsPending) this.host.wake(this);
    }
  }

  private get playing(): boolean {
    return this.pending.length > 0 || this.player?.playing === true;
  }

  private echo(packet: Buffer, nowMs: number): void {
    if (packet.length > MAX_PACKET) return;
    const out = this.echoRing[this.echoIndex]!;
    this.echoIndex = (this.echoIndex + 1) % ECHO_RING;
    packet.copy(out, 0, 0, packet.length);
    this.echoed++;
    this.endpoint.sendGenerated(out, packet.length, nowMs);
  }

  private startPlayer(remote: Readonly<RemoteDescription>): void {
    const player = new Player({
      sampleRate: CODECS[remote.codec].sampleRate,
      prompts: this.host.prompts,
      random: this.host.random,
      onEvent: (e) => this.onPlayEvent(e),
    });
    this.player = player;
    const queued = this.pending;
    this.pending = [];
    for (const r of queued) player.enqueue(r);
  }

  private onPlayEvent(e: PlayEvent): void {
    const ev: GraphEvent = { ev: 'playDone', endpoint: this.id, playId: e.playId, reason: e.reason };
    if (e.error) ev.error = `${e.error.code}: ${e.error.message}`;
    this.host.emit(ev);
  }

  /** Installs the tap only when something reads packets, and pauses the relay while we send. */
  private update(): void {
    const decodes = this.sinks.length > 0 || this.inbandOn;
    // Nobody listens any more: what waits in the buffer is dropped, so the node can sleep.
    if (!decodes && this.decodePath.holding) this.decodePath.clear();
    const wantsTap = this.echoOn || decodes;
    if (wantsTap) this.endpoint.tap = this;
    else if (this.endpoint.tap === this) this.endpoint.tap = undefined;
    this.endpoint.relayPaused = this.echoOn || this.playing || this.mixListener;
  }
}
