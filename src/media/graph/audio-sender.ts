/**
 * Generated audio towards one endpoint: 20 ms PCM frames (from a player or a mixer, at any
 * telephony rate) resampled to the negotiated codec's rate if needed, cut into packets of the
 * endpoint's ptime, encoded and sent through the endpoint's one outgoing stream. The first
 * packet after silence starts a talkspurt (marker bit, timestamp moved by the time elapsed).
 * Follows re-INVITEs: a new codec or ptime rebuilds the encoder on the next frame.
 */
import type { RandomSource } from '../../core/index.js';
import {
  CODECS, Resampler, createEncoder, maxPayloadBytes, samplesPerPacket, timestampTicks, type CodecEncoder, type SampleRate,
} from '../codec/index.js';
import type { RemoteDescription, RtpEndpoint } from '../endpoint/index.js';
import { RTP_FIXED_HEADER_LENGTH, RtpSender } from '../rtp/index.js';

// Packets are built in a small ring: a UDP send normally completes synchronously, and the ring
// covers the rare one that waits for the socket.
const RING = 8;

export class AudioSender {
  private remote: Readonly<RemoteDescription> | undefined;
  private encoder: CodecEncoder | undefined;
  private sender: RtpSender | undefined;
  private resampler: Resampler | undefined;
  private packetSamples = 0;
  private packetTicks = 0;
  private pending = new Int16Array(0);
  private filled = 0;
  private ring: Buffer[] = [];
  private ringIndex = 0;
  private talking = false;
  /** Packets sent. */
  packets = 0;

  constructor(
    readonly endpoint: RtpEndpoint,
    private readonly random: RandomSource,
  ) {}

  /** True between the first frame of a talkspurt and the next idle tick. */
  get active(): boolean {
    return this.talking;
  }

  /** One tick's frame; `pcm` is read now and not kept. */
  push(pcm: Int16Array, rate: SampleRate, nowMs: number): void {
    if (!this.configure()) return;
    const encoder = this.encoder!;
    let samples = pcm;
    if (rate !== encoder.sampleRate) {
      if (!this.resampler || this.resampler.fromRate !== rate) this.resampler = new Resampler(rate, encoder.sampleRate);
      samples = this.resampler.process(pcm);
    }
    if (!this.talking) {
      this.talking = true;
      this.filled = 0;
      this.endpoint.restartOutgoing();
    }
    const pending = this.pending;
    const size = this.packetSamples;
    for (let i = 0; i < samples.length; ) {
      const k = Math.min(size - this.filled, samples.length - i);
      for (let j = 0; j < k; j++) pending[this.filled + j] = samples[i + j] as number;
      this.filled += k;
      i += k;
      if (this.filled === size) {
        this.filled = 0;
        this.sendPacket(encoder.encode(pending), nowMs);
      }
    }
  }

  /** Nothing to send this tick: the talkspurt (if any) ends; a partial packet is dropped. */
  idle(): void {
    this.talking = false;
    this.filled = 0;
  }

  close(): void {
    this.encoder?.close();
    this.encoder = undefined;
    this.remote = undefined;
  }

  private sendPacket(payload: Uint8Array, nowMs: number): void {
    const out = this.ring[this.ringIndex]!;
    this.ringIndex = (this.ringIndex + 1) % RING;
    const length = this.sender!.writeNext(payload, this.packetTicks, out);
    this.packets++;
    this.endpoint.sendGenerated(out, length, nowMs);
  }

  /** (Re)builds the encoder when the endpoint's codec or ptime changed; false without a remote. */
  private configure(): boolean {
    const remote = this.endpoint.remoteDescription;
    if (!remote) return false;
    if (remote === this.remote) return true;
    const old = this.remote;
    this.remote = remote;
    const ptime = remote.ptime ?? 20;
    if (old && old.codec === remote.codec && (old.ptime ?? 20) === ptime && old.payloadType === remote.payloadType) return true;
    this.encoder?.close();
    this.encoder = createEncoder(remote.codec);
    this.resampler = undefined;
    this.packetSamples = samplesPerPacket(remote.codec, ptime);
    this.packetTicks = timestampTicks(remote.codec, ptime);
    this.pending = new Int16Array(this.packetSamples);
    this.filled = 0;
    this.sender = new RtpSender({ payloadType: remote.payloadType, clockRate: CODECS[remote.codec].clockRate, random: this.random });
    const size = RTP_FIXED_HEADER_LENGTH + maxPayloadBytes(remote.codec, this.packetSamples);
    this.ring = Array.from({ length: RING }, () => Buffer.alloc(size));
    this.ringIndex = 0;
    // A new stream source: the far end's jitter buffer resynchronises on a marked packet.
    this.talking = false;
    return true;
  }
}
