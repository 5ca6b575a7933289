/**
 * One direction of a relay: packets `from` accepted go out of `to`.
 * - Same codec: the packet is forwarded as is, its payload type mapped to the one `to`
 *   negotiated; the endpoint's stream rewriter gives it `to`'s SSRC, sequence and timestamps.
 * - Different codecs: audio goes through a Transcoder and leaves as a synthetic stream (own
 *   SSRC, sequence, timestamps in `to`'s clock), so the far end sees one continuous stream.
 * Telephone-event packets follow when `to` negotiated telephone-event at the same clock rate
 * (payload type mapped); comfort noise only when `to` has CN and nothing is transcoded.
 * Transcoded audio first waits in an adaptive jitter buffer and is decoded in RTP order on the
 * ticks of the worker's media clock (the ticker): reordered packets put right, lost ones
 * concealed by the codec or the transcoder. A copy never waits.
 */
import type { RandomSource } from '../../core/index.js';
import { Transcoder } from '../codec/index.js';
import { AdaptiveJitterBuffer } from '../jitter/index.js';
import { PacketKind, type RemoteDescription, type RtpEndpoint } from '../endpoint/index.js';
import { RTP_FIXED_HEADER_LENGTH, setRtpPayloadType, writeU16, writeU32, type RtpHeaderView } from '../rtp/index.js';

export type RelayMode = 'idle' | 'copy' | 'transcode';

// Transcoded packets are built in a small ring: a UDP send normally completes synchronously,
// and the ring covers the rare send that waits for the socket.
const RING = 16;
const MAX_PACKET = 1500;

/** Puts a relay direction on the media clock while its jitter buffer holds packets. */
export interface RelayTicker {
  wake(path: RelayPath): void;
}

/** Highest playout delay of a transcoding relay (ms): the buffer follows the jitter up to it. */
const MAX_RELAY_DELAY_MS = 150;

export interface RelayCounters {
  forwarded: number;
  transcoded: number;
  dropped: number;
}

export class RelayPath {
  mode: RelayMode = 'idle';
  readonly counters: RelayCounters = { forwarded: 0, transcoded: 0, dropped: 0 };
  private audioPt = -1;
  private eventPt = -1;
  private noisePt = -1;
  private transcoder: Transcoder | undefined;
  private ring: Buffer[] = [];
  private ringIndex = 0;
  private readonly synthSsrc: number;
  private synthSeq: number;
  private synthTs: number;
  // Input-side continuity, for timestamp gaps (DTX, events).
  private hasAudio = false;
  private lastWasAudio = false;
  private lastAudioTs = 0;
  private inTicksPerPacket = 160;
  private inTicksMax = 1280;
  private tsScale = 1;
  private synthTsAtLastAudio = 0;
  private jitter: AdaptiveJitterBuffer | undefined;

  constructor(
    readonly from: RtpEndpoint,
    readonly to: RtpEndpoint,
    random: RandomSource,
    private readonly ticker: RelayTicker,
  ) {
    this.synthSsrc = random.bytes(4).readUInt32BE(0);
    this.synthSeq = random.int(0x10000);
    this.synthTs = random.bytes(4).readUInt32BE(0);
  }

  /** Recomputes the mode from both ends' remote descriptions (after setRemote or connect). */
  configure(): void {
    const a = this.from.remoteDescription;
    const b = this.to.remoteDescription;
    if (!a || !b) {
      this.setMode('idle', undefined, undefined);
      return;
    }
    this.audioPt = b.payloadType;
    this.eventPt = b.telephoneEventPayloadType !== undefined &&
      (a.telephoneEventClockRate ?? 8000) === (b.telephoneEventClockRate ?? 8000) ? b.telephoneEventPayloadType : -1;
    this.noisePt = b.comfortNoisePayloadType ?? -1;
    if (a.codec === b.codec && a.clockRate === b.clockRate) this.setMode('copy', a, b);
    else this.setMode('transcode', a, b);
  }

  /** Takes one packet accepted by `from`. */
  forward(packet: Buffer, view: RtpHeaderView, kind: PacketKind, nowMs: number): void {
    if (this.mode === 'copy') {
      const pt = kind === PacketKind.Audio ? this.audioPt : kind === PacketKind.TelephoneEvent ? this.eventPt : this.noisePt;
      if (pt < 0) {
        this.counters.dropped++;
        return;
      }
      setRtpPayloadType(packet, pt);
      this.counters.forwarded++;
      this.to.sendRelayed(packet, packet.length, nowMs);
    } else if (this.mode === 'transcode') {
      this.forwardTranscoded(packet, view, kind, nowMs);
      if (kind !== PacketKind.Audio) this.lastWasAudio = false;
    } else {
      this.counters.dropped++;
    }
  }

  /** True while buffered audio waits for the media clock. */
  get needsTick(): boolean {
    return this.mode === 'transcode' && (this.jitter?.size ?? 0) > 0;
  }

  /** One media tick: transcodes the buffered frames due now, in RTP order, concealing lost ones. */
  tick(nowMs: number): void {
    if (this.mode === 'transcode' && this.jitter !== undefined) this.playDue(this.jitter, nowMs, nowMs);
  }

  /** The jitter buffer's counters and delay (once transcoding). */
  jitterStats(): ReturnType<AdaptiveJitterBuffer['stats']> | undefined {
    return this.jitter?.stats();
  }

  /** Frees the transcoder; safe to call twice. */
  close(): void {
    this.setMode('idle', undefined, undefined);
  }

  private setMode(mode: RelayMode, a: RemoteDescription | undefined, b: RemoteDescription | undefined): void {
    const keep = mode === 'transcode' && this.transcoder && a && b &&
      this.transcoder.from === a.codec && this.transcoder.to === b.codec &&
      this.transcoder.timestampStep === Math.round((b.clockRate * (b.ptime ?? 20)) / 1000);
    if (!keep) {
      this.transcoder?.close();
      this.transcoder = undefined;
    }
    this.mode = mode;
    if (mode !== 'transcode' || !a || !b) return;
    if (!this.transcoder) this.transcoder = new Transcoder(a.codec, b.codec, { ptime: b.ptime ?? 20 });
    if (this.ring.length === 0) for (let i = 0; i < RING; i++) this.ring.push(Buffer.alloc(MAX_PACKET));
    this.tsScale = b.clockRate / a.clockRate;
    this.inTicksPerPacket = Math.round((a.clockRate * (a.ptime ?? 20)) / 1000);
    this.inTicksMax = Math.round((a.clockRate * 120) / 1000);
    this.hasAudio = false;
    if (this.jitter === undefined) {
      this.jitter = new AdaptiveJitterBuffer({ clockRate: a.clockRate, frameMs: a.ptime ?? 20, maxDelayMs: MAX_RELAY_DELAY_MS });
    } else {
      // Packets of the previous codec must not reach the new transcoder.
      this.jitter.reset(a.clockRate);
    }
  }

  /** Transcode mode: audio waits in the jitter buffer; events go at once (their time is mapped). */
  private forwardTranscoded(packet: Buffer, view: RtpHeaderView, kind: PacketKind, nowMs: number): void {
    const jitter = this.jitter!;
    if (kind === PacketKind.Audio) {
      const wasEmpty = jitter.size === 0;
      const r = jitter.put(view.ssrc, view.sequenceNumber, view.timestamp, view.marker, view.buffer, view.payloadOffset, view.payloadLength, nowMs);
      if (r === 'duplicate' || r === 'late') this.counters.dropped++;
      if (wasEmpty && jitter.size > 0) this.ticker.wake(this);
    } else if (kind === PacketKind.TelephoneEvent && this.eventPt >= 0) {
      this.flush(jitter, nowMs);
      this.forwardEvent(packet, view, nowMs);
    } else this.counters.dropped++;
  }

  /**
   * A digit interrupts the audio: what is buffered goes out now, before the event, so the far
   * end gets the stream in order; the audio after the digit starts a new playout (its sequence
   * numbers skip the event's packets, which are not losses).
   */
  private flush(jitter: AdaptiveJitterBuffer, nowMs: number): void {
    if (jitter.size === 0) return;
    this.playDue(jitter, nowMs + MAX_RELAY_DELAY_MS * 4, nowMs);
    jitter.reset();
  }

  /** Transcodes every buffered frame due by `dueMs`, in RTP order, concealing lost ones. */
  private playDue(jitter: AdaptiveJitterBuffer, dueMs: number, nowMs: number): void {
    for (let f = jitter.pop(dueMs); f; f = jitter.pop(dueMs)) this.playFrame(f.kind === 'packet' ? f.payload : null, f.timestamp, nowMs);
  }

  /** A frame out of the jitter buffer: a packet's payload, or null for a lost one to conceal. */
  private playFrame(payload: Uint8Array | null, ts: number, nowMs: number): void {
    if (this.hasAudio) {
      const tsDelta = (ts - this.lastAudioTs) >>> 0;
      if (payload !== null && this.lastWasAudio && tsDelta > 0 && tsDelta <= this.inTicksMax) this.inTicksPerPacket = tsDelta;
      // Time the sender skipped (DTX, events) stays a gap in our timestamps.
      const gap = tsDelta - this.inTicksPerPacket;
      if (gap > 0 && gap < this.inTicksMax * 250) this.synthTs = (this.synthTs + Math.round(gap * this.tsScale)) >>> 0;
    }
    this.hasAudio = true;
    this.lastWasAudio = true;
    this.lastAudioTs = ts;
    this.synthTsAtLastAudio = this.synthTs;
    this.emitAll(this.transcoder!.process(payload), nowMs);
  }

  private emitAll(payloads: readonly Buffer[], nowMs: number): void {
    const step = this.transcoder!.timestampStep;
    for (let i = 0; i < payloads.length; i++) {
      const payload = payloads[i]!;
      const out = this.ring[this.ringIndex]!;
      this.ringIndex = (this.ringIndex + 1) % RING;
      const length = RTP_FIXED_HEADER_LENGTH + payload.length;
      if (length > out.length) {
        this.counters.dropped++;
        continue;
      }
      out[0] = 0x80;
      out[1] = this.audioPt & 0x7f;
      writeU16(out, 2, this.synthSeq);
      writeU32(out, 4, this.synthTs);
      writeU32(out, 8, this.synthSsrc);
      out.set(payload, RTP_FIXED_HEADER_LENGTH);
      this.synthSeq = (this.synthSeq + 1) & 0xffff;
      this.synthTs = (this.synthTs + step) >>> 0;
      this.counters.transcoded++;
      this.to.sendRelayed(out, length, nowMs);
    }
  }

  /** An event packet joins the synthetic stream, its timestamp mapped from the audio's. */
  private forwardEvent(packet: Buffer, view: RtpHeaderView, nowMs: number): void {
    const offset = this.hasAudio ? ((view.timestamp - this.lastAudioTs) | 0) * this.tsScale : 0;
    const ts = (this.synthTsAtLastAudio + Math.round(offset)) >>> 0;
    setRtpPayloadType(packet, this.eventPt);
    writeU16(packet, 2, this.synthSeq);
    writeU32(packet, 4, ts);
    writeU32(packet, 8, this.synthSsrc);
    this.synthSeq = (this.synthSeq + 1) & 0xffff;
    this.counters.forwarded++;
    this.to.sendRelayed(packet, packet.length, nowMs);
  }
}
