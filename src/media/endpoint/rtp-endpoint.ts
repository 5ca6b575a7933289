/**
 * One call leg's media in a worker: an RTP session over an RtpTransport. It validates and
 * counts incoming RTP (loss and jitter through the quality meter), turns RFC 4733 packets into
 * `dtmf` events (merged with the in-band digits the media graph detects, one per key press),
 * hands accepted packets to its forwarder (a relay), splices every outgoing source into one
 * continuous stream (one SSRC, RFC 3550 7.3), sends RTCP reports and raises
 * `timeout` when the far end stops sending while it should not.
 *
 * Hot path: one RtpHeaderView reused for every packet, no closures or logging per packet.
 */
import type { Clock, RandomSource, TimerHandle } from '../../core/index.js';
import { CODECS } from '../codec/index.js';
import { Rfc4733Receiver, type DtmfDigit } from '../dtmf/index.js';
import { LegQualityMeter } from '../quality/index.js';
import { RtpHeaderView, RtpStreamRewriter, readU32 } from '../rtp/index.js';
import { DtmfTransmitter } from './dtmf-transmitter.js';
import { InbandDtmfTransmitter } from './inband-dtmf-transmitter.js';
import { EndpointDigits, checkInbandDtmfMode, inbandDtmfWanted } from './endpoint-digits.js';
import type { EndpointEvent, EndpointOptions, EndpointStats, InbandDtmfMode, RemoteDescription } from './endpoint-types.js';
import { COMFORT_NOISE_PT, PacketKind, type RtpForwarder, type RtpTap } from './endpoint-hooks.js';
import { RtcpSession } from './rtcp-session.js';
import type { RtpTransport, RtpTransportReceiver } from './rtp-transport.js';
import { checkRemoteDescription, transportRemoteOf } from './remote-description.js';

export interface RtpEndpointOptions extends EndpointOptions {
  id: string;
  transport: RtpTransport;
  clock: Clock;
  random: RandomSource;
  emit: (event: EndpointEvent) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_RTCP_INTERVAL_MS = 5_000;

// The mutable twin of dtmf's TelephoneEventPacket, filled in place for each event packet.
interface EventPacketSlot {
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payload: Uint8Array;
}

export class RtpEndpoint implements RtpTransportReceiver {
  readonly id: string;
  /** Our outgoing SSRC, kept whatever the source (relay, transcoder, DTMF, later players). */
  readonly ssrc: number;
  /** Who gets the packets this endpoint accepts (set by a relay). */
  forwarder: RtpForwarder | undefined;
  /** Who else reads the accepted packets (the media graph), before the forwarder. */
  tap: RtpTap | undefined;
  /** True while generated audio (a play, a mix, echo) replaces what the relay sends here. */
  relayPaused = false;
  private readonly transport: RtpTransport;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly emit: (event: EndpointEvent) => void;
  private readonly view = new RtpHeaderView();
  private remote: RemoteDescription | undefined;
  private meter: LegQualityMeter | undefined;
  private rtcp: RtcpSession | undefined;
  private rewriter: RtpStreamRewriter | undefined;
  private dtmfReceiver: Rfc4733Receiver | undefined;
  private dtmfTransmitter: DtmfTransmitter | undefined;
  // Digits as tones, for a far end without telephone-event (created on the first such digit).
  private inbandTransmitter: InbandDtmfTransmitter | undefined;
  private readonly digits: EndpointDigits;
  /** When in-band DTMF detection runs (EndpointOptions.inbandDtmf). */
  readonly inbandDtmfMode: InbandDtmfMode;
  private readonly eventSlot: EventPacketSlot = { sequenceNumber: 0, timestamp: 0, marker: false, payload: new Uint8Array(0) };
  private readonly cname: string;
  private readonly timeoutMs: number;
  private readonly rtcpIntervalMs: number;
  private readonly statsEvents: boolean;
  private rtcpTimer: TimerHandle | undefined;
  private timeoutTimer: TimerHandle | undefined;
  private lastRxAt = 0;
  private timeoutRaised = false;
  private lastSsrc = -1;
  private closed = false;
  private packetsIn = 0;
  private bytesIn = 0;
  private packetsOut = 0;
  private bytesOut = 0;
  private rejected = 0;

  constructor(options: RtpEndpointOptions) {
    this.id = options.id;
    this.transport = options.transport;
    this.clock = options.clock;
    this.random = options.random;
    this.emit = options.emit;
    this.timeoutMs = options.mediaTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.rtcpIntervalMs = options.rtcpIntervalMs ?? DEFAULT_RTCP_INTERVAL_MS;
    this.statsEvents = options.statsEvents ?? false;
    this.inbandDtmfMode = checkInbandDtmfMode(options.inbandDtmf);
    this.digits = new EndpointDigits((digit, source) => this.emit({ ev: 'dtmf', digit, source }));
    this.ssrc = options.random.bytes(4).readUInt32BE(0);
    this.cname = `atende-${options.random.token(9)}`;
    this.transport.receiver = this;
  }

  get localAddress(): string {
    return this.transport.localAddress;
  }
  get port(): number {
    return this.transport.port;
  }
  get rtcpPort(): number | undefined {
    return this.transport.rtcpPort;
  }
  /** The far end as last signalled, or undefined before setRemote. */
  get remoteDescription(): Readonly<RemoteDescription> | undefined {
    return this.remote;
  }

  /** Applies offer/answer results (first time, or a re-INVITE); throws RangeError on bad input. */
  setRemote(input: RemoteDescription): void {
    if (this.closed) throw new Error('endpoint closed');
    const remote = checkRemoteDescription(input);
    const now = this.clock.monotonic();
    const previous = this.remote;
    this.transport.setRemote(transportRemoteOf(remote), now);
    const encodingName = CODECS[remote.codec].encodingName;
    if (!this.meter || !previous || previous.codec !== remote.codec || previous.clockRate !== remote.clockRate) {
      this.meter = new LegQualityMeter({ codec: encodingName, clockRate: remote.clockRate });
    }
    if (!this.rtcp) this.rtcp = new RtcpSession(this.ssrc, this.cname, this.meter, remote.clockRate);
    this.rtcp.meter = this.meter;
    this.rtcp.clockRate = remote.clockRate;
    const ptime = remote.ptime ?? 20;
    if (!this.rewriter || !previous || previous.clockRate !== remote.clockRate || (previous.ptime ?? 20) !== ptime) {
      this.rewriter = new RtpStreamRewriter({
        clockRate: remote.clockRate, random: this.random, ssrc: this.ssrc, frameSamples: Math.round((remote.clockRate * ptime) / 1000),
      });
    }
    const teClock = remote.telephoneEventClockRate ?? 8000;
    if (remote.telephoneEventPayloadType !== undefined) {
      // Made with the first event packet (receiveTelephoneEvent): most calls never see a digit,
      // and its history tables are ~1.6 KB per endpoint.
      if (previous?.telephoneEventClockRate !== remote.telephoneEventClockRate) this.dtmfReceiver = undefined;
      if (!this.dtmfTransmitter) {
        this.dtmfTransmitter = new DtmfTransmitter(this.clock, this.random, (p, n) => this.sendFromSource(p, n), remote.telephoneEventPayloadType, teClock);
      } else {
        this.dtmfTransmitter.configure(remote.telephoneEventPayloadType, teClock);
      }
    } else {
      this.dtmfReceiver = undefined;
    }
    if (!previous || previous.direction !== remote.direction || previous.address !== remote.address || previous.port !== remote.port) {
      // Silence is measured from when sending became expected (new remote, unhold).
      this.lastRxAt = now;
      this.timeoutRaised = false;
    }
    this.remote = remote;
    this.startTimers();
    this.forwarder?.remoteChanged();
  }

  /**
   * True when the received audio should be searched for DTMF tones: mode 'on', or 'auto' while
   * the remote description has no telephone-event (re-evaluated by each setRemote).
   */
  get inbandDtmf(): boolean {
    return !this.closed && inbandDtmfWanted(this.inbandDtmfMode, this.remote);
  }

  /** A digit the in-band detector found, its tone starting at `atMs` (monotonic media time). */
  receiveInbandDigit(digit: DtmfDigit, atMs: number): void {
    if (!this.closed) this.digits.push(digit, 'inband', atMs);
  }

  /** True while an in-band digit is held back waiting for its RFC 4733 copy: call pollDigits. */
  get digitsPending(): boolean {
    return this.digits.pending;
  }

  /** Reports held in-band digits whose wait is over (from the media clock). */
  pollDigits(nowMs: number): void {
    if (!this.closed) this.digits.poll(nowMs);
  }

  /** True when the far end wants our RTP (RFC 3264: not to a sendonly or inactive peer). */
  get canSend(): boolean {
    const d = this.remote?.direction;
    return d === 'sendrecv' || d === 'recvonly';
  }

  /** Sends a relayed packet; muted while a digit of ours is playing. */
  sendRelayed(packet: Buffer, length: number, nowMs: number): void {
    if (this.relayPaused || this.dtmfTransmitter?.active || this.inbandTransmitter?.active) return;
    this.send(packet, length, nowMs);
  }

  /** Sends a packet of generated audio (player, mixer, echo); muted while a digit of ours plays. */
  sendGenerated(packet: Buffer, length: number, nowMs: number): void {
    if (this.dtmfTransmitter?.active || this.inbandTransmitter?.active) return;
    this.send(packet, length, nowMs);
  }

  /** The next packet starts a talkspurt: marker bit set, timestamp moved by the time elapsed. */
  restartOutgoing(): void {
    this.rewriter?.switchSource();
  }

  /**
   * Sends a digit to the far end: an RFC 4733 event when it negotiated telephone-event
   * (resolves when the last end packet left), else the tone pair in-band in its codec
   * (resolves when the tone was sent; InbandDtmfTransmitter says what happens to a play).
   */
  sendDtmf(digit: string, durationMs = 100): Promise<void> {
    if (!this.remote) return Promise.reject(new Error('no remote description yet'));
    if (!(durationMs >= 40 && durationMs <= 8000)) return Promise.reject(new RangeError('DTMF duration must be 40..8000 ms'));
    // A re-INVITE may have dropped telephone-event after the transmitter was made.
    if (this.dtmfTransmitter && this.remote.telephoneEventPayloadType !== undefined) return this.dtmfTransmitter.send(digit, durationMs);
    this.inbandTransmitter ??= new InbandDtmfTransmitter(this.clock, this.random, (p, n, first) => {
      if (first) this.rewriter?.switchSource();
      this.sendFromSource(p, n);
    }, () => this.remote);
    return this.inbandTransmitter.send(digit, durationMs);
  }

  stats(): EndpointStats {
    const q = this.meter?.snapshot();
    const srtpDrops = this.transport.srtpDrops;
    const jitterBuffer = this.tap?.jitterBufferStats;
    return {
      ...(srtpDrops ? { srtpDrops: { ...srtpDrops } } : {}),
      packetsIn: this.packetsIn,
      bytesIn: this.bytesIn,
      packetsOut: this.packetsOut,
      bytesOut: this.bytesOut,
      packetsDropped: this.rejected + this.transport.dropped,
      lost: q?.lost ?? 0,
      jitterMs: q ? Math.round(q.jitterMs * 100) / 100 : 0,
      rttMs: q?.rttMs,
      mos: q?.mos ?? 0,
      rtcpIn: this.rtcp?.received ?? 0,
      rtcpOut: this.rtcp?.sent ?? 0,
      dtmfIn: this.digits.reported,
      dtmfOut: (this.dtmfTransmitter?.sentDigits ?? 0) + (this.inbandTransmitter?.sentDigits ?? 0),
      remoteAddress: this.transport.remoteAddress,
      remotePort: this.transport.remotePort,
      latched: this.transport.latched,
      ...(jitterBuffer ? { jitterBuffer } : {}),
    };
  }

  /** Stops timers, fails pending digits and closes the transport; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimer(this.rtcpTimer);
    this.clock.clearTimer(this.timeoutTimer);
    this.dtmfTransmitter?.close();
    this.inbandTransmitter?.close();
    this.transport.receiver = undefined;
    this.transport.close();
    this.forwarder = undefined;
    this.tap = undefined;
  }

  // RtpTransportReceiver

  onRtp(packet: Buffer, nowMs: number): void {
    const view = this.view;
    const remote = this.remote;
    if (!remote || view.wrap(packet) !== undefined) {
      this.rejected++;
      return;
    }
    this.packetsIn++;
    this.bytesIn += packet.length;
    this.lastRxAt = nowMs;
    // A recvonly or inactive peer should not send (RFC 3264 5.1); what it sends anyway is dropped.
    if (remote.direction === 'recvonly' || remote.direction === 'inactive') {
      this.rejected++;
      return;
    }
    const pt = view.payloadType;
    let kind: PacketKind;
    if (pt === remote.payloadType) kind = PacketKind.Audio;
    else if (pt === remote.telephoneEventPayloadType) kind = PacketKind.TelephoneEvent;
    else if (pt === COMFORT_NOISE_PT || pt === remote.comfortNoisePayloadType) kind = PacketKind.ComfortNoise;
    else {
      this.rejected++;
      return;
    }
    const ssrc = view.ssrc;
    if (ssrc !== this.lastSsrc) {
      // A new source: its events are a new stream (RFC 4733 2.5.1.1 timestamps restart).
      this.lastSsrc = ssrc;
      this.dtmfReceiver?.reset();
      this.rtcp?.onRtpReceived(ssrc);
    }
    this.meter!.receive(view.sequenceNumber, view.timestamp, nowMs);
    if (kind === PacketKind.TelephoneEvent) this.receiveTelephoneEvent(view, nowMs);
    this.tap?.receive(packet, view, kind, nowMs);
    this.forwarder?.forward(packet, view, kind, nowMs);
  }

  onRtcp(packet: Buffer, _nowMs: number): void {
    this.rtcp?.receive(packet, this.clock.now());
  }

  onLatched(address: string, port: number, rtcp: boolean): void {
    this.emit({ ev: 'latched', address, port, rtcp });
  }

  private receiveTelephoneEvent(view: RtpHeaderView, nowMs: number): void {
    const remote = this.remote;
    if (remote?.telephoneEventPayloadType === undefined) return;
    const receiver = (this.dtmfReceiver ??= new Rfc4733Receiver({ clockRate: remote.telephoneEventClockRate ?? 8000 }));
    const slot = this.eventSlot;
    slot.sequenceNumber = view.sequenceNumber;
    slot.timestamp = view.timestamp;
    slot.marker = view.marker;
    slot.payload = view.payload();
    const outputs = receiver.process(slot);
    for (let i = 0; i < outputs.length; i++) {
      const out = outputs[i]!;
      if (out.type !== 'digit') continue;
      this.digits.push(out.digit, 'rfc4733', nowMs);
    }
  }

  /** Packets of our own sources (DTMF): never muted. */
  private sendFromSource(packet: Buffer, length: number): void {
    this.send(packet, length, this.clock.monotonic());
  }

  private send(packet: Buffer, length: number, nowMs: number): void {
    if (!this.canSend || this.closed) return;
    this.rewriter!.rewrite(packet, nowMs);
    const header = 12 + (packet[0]! & 0x0f) * 4;
    this.rtcp!.onRtpSent(readU32(packet, 4), length - header, nowMs);
    this.packetsOut++;
    this.bytesOut += length;
    this.transport.sendRtp(packet, length);
  }

  private startTimers(): void {
    if (!this.rtcpTimer && this.rtcpIntervalMs > 0) this.scheduleRtcp();
    if (!this.timeoutTimer && this.timeoutMs > 0) this.scheduleTimeoutCheck();
  }

  private scheduleRtcp(): void {
    // RFC 3550 6.2: randomize to 0.5..1.5 of the interval so reports do not synchronize.
    const delay = this.rtcpIntervalMs * (0.5 + this.random.int(1000) / 1000);
    this.rtcpTimer = this.clock.setTimer(delay, () => this.onRtcpTimer());
  }

  private onRtcpTimer(): void {
    this.rtcpTimer = undefined;
    if (this.closed) return;
    if (this.rtcp && this.remote && this.remote.direction !== 'inactive') {
      this.transport.sendRtcp(this.rtcp.buildReport(this.clock.now(), this.clock.monotonic()));
    }
    if (this.statsEvents) this.emit({ ev: 'stats', stats: this.stats() });
    this.scheduleRtcp();
  }

  private scheduleTimeoutCheck(delayMs = this.timeoutMs): void {
    // Armed for the moment the silence would reach the timeout, not re-armed every second: at
    // thousands of endpoints per worker, timers living a second each were most of what the
    // worker's old generation filled with.
    this.timeoutTimer = this.clock.setTimer(Math.max(10, delayMs), () => this.onTimeoutCheck());
  }

  private onTimeoutCheck(): void {
    this.timeoutTimer = undefined;
    if (this.closed) return;
    const now = this.clock.monotonic();
    // Only a sendrecv peer must be sending: sendonly/inactive is hold, recvonly is held by us.
    if (this.remote?.direction === 'sendrecv') {
      const silent = now - this.lastRxAt;
      if (silent < this.timeoutMs) {
        this.timeoutRaised = false;
        this.scheduleTimeoutCheck(this.timeoutMs - silent);
        return;
      }
      if (!this.timeoutRaised) {
        this.timeoutRaised = true;
        this.emit({ ev: 'timeout', silentMs: Math.round(silent) });
      }
    } else {
      this.lastRxAt = now;
    }
    this.scheduleTimeoutCheck();
  }
}
