/**
 * The media half of a leg: one endpoint in the media workers and the offer/answer state of
 * the leg's SDP. It answers offers and makes offers with our address and port and our codec
 * preferences, and tells the endpoint where the far end is. It knows nothing of SIP.
 */
import type { RandomSource } from '../../core/index.js';
import type {
  EndpointBinding, EndpointKind, EndpointStats, MediaEvent, MediaWorkerPool, PlaySourceSpec,
} from '../../media/worker/index.js';
import { checkRemoteDescription } from '../../media/endpoint/index.js';
import {
  applyAnswer,
  createAnswer,
  createOffer,
  isSdpAnswerError,
  isSdpParseError,
  parseSessionDescription,
  SdpSessionVersion,
  type AudioCodecName,
  type Direction,
  type LocalIce,
  type LocalMediaCapabilities,
  type LocalTransport,
  type NegotiatedStream,
  type SessionDescription,
} from '../../sdp/index.js';
import type { LegStats, PlayItem, PlayOptions, PlayResult } from '../leg/leg-types.js';
import { defaultMediaFamily, MediaFamilyUnavailableError, type AddressFamily, type MediaAddresses } from './media-family.js';
import { parseRemembered } from './remembered-offer.js';
import { remoteDescriptionOf } from './remote-description.js';
import { codecsPreferring } from './codec-preference.js';

export interface LegMediaConfig {
  pool: MediaWorkerPool;
  random: RandomSource;
  /**
   * Where our RTP sockets bind and the address our SDP (c=) gives, per address family: each
   * leg uses the family of its far end (media-family.ts). A family left out is not served.
   */
  addresses: MediaAddresses;
  /** Codecs we terminate, best first. */
  codecs: readonly AudioCodecName[];
  /**
   * No RTP for this long from a far end that should be sending ends the leg with cause
   * 'media-timeout' (0 disables). Not while the far end holds us (it sends nothing then) nor
   * while we hold it with a=sendonly (its answer is recvonly).
   */
  mediaTimeoutMs: number;
}

/** What the leg hears from its endpoint. */
export type LegMediaEvent =
  | { type: 'dtmf'; digit: string; source: 'rfc4733' | 'inband' }
  | { type: 'timeout' }
  | { type: 'error'; message: string };

/**
 * The endpoint kind an offer needs: WebRTC (ICE, DTLS-SRTP) for UDP/TLS/RTP/SAVPF, SDES-SRTP for
 * RTP/SAVP(F) with a=crypto, plain RTP otherwise. Decided before the endpoint opens.
 */
export function endpointKindForOffer(offerText: string): EndpointKind {
  const offer = parseRemembered(offerText);
  if (isSdpParseError(offer)) return 'rtp';
  const audio = offer.media.find((m) => m.kind === 'audio' && m.port !== 0);
  if (audio === undefined) return 'rtp';
  if (audio.proto.toUpperCase().includes('TLS') && audio.dtls !== undefined) return 'webrtc';
  if (audio.proto.toUpperCase().startsWith('RTP/SAVP') && audio.crypto.length > 0) return 'srtp';
  return 'rtp';
}

/**
 * The video sections of a description as texts that stand on their own (a c= line of their
 * own, since a session-level c= would otherwise become ours when the text moves into our SDP):
 * what is relayed untouched between two plain-RTP legs so video flows phone to phone.
 */
export function relayableVideoSections(sdpText: string): { index: number; text: string }[] {
  const sdp = parseRemembered(sdpText);
  if (isSdpParseError(sdp)) return [];
  const out: { index: number; text: string }[] = [];
  for (const m of sdp.media) {
    if (m.kind !== 'video' || m.port === 0 || m.connection === undefined) continue;
    const lines = m.raw.split(/\r?\n/).filter((l) => l !== '');
    if (!lines.some((l) => l.startsWith('c='))) {
      const c = m.connection;
      lines.splice(1, 0, `c=IN ${c.address.includes(':') ? 'IP6' : 'IP4'} ${c.address}`);
    }
    out.push({ index: m.index, text: `${lines.join('\r\n')}\r\n` });
  }
  return out;
}

export type OfferAnswerOutcome = { ok: true; sdp: string; stream: NegotiatedStream } | { ok: false; reason: string };

function playSourceOf(item: PlayItem): PlaySourceSpec {
  switch (item.kind) {
    case 'file': return { kind: 'file', path: item.path };
    case 'silence': return { kind: 'silence', durationMs: item.durationMs };
    case 'tone': return { kind: 'tone', tone: item.tone, ...(item.durationMs !== undefined ? { durationMs: item.durationMs } : {}) };
    case 'folder': return { kind: 'folder', path: item.path };
  }
}

/** The leg's view of an endpoint's counters. */
export function legStatsOf(s: EndpointStats): LegStats {
  return {
    packets: s.packetsIn,
    packetsSent: s.packetsOut,
    lost: s.lost,
    jitterMs: s.jitterMs,
    ...(s.rttMs !== undefined ? { rttMs: s.rttMs } : {}),
    mos: s.mos,
  };
}

export class LegMedia {
  readonly endpointId: string;
  readonly port: number;
  private readonly version: SdpSessionVersion;
  private plays = 0;
  private lastOffer: SessionDescription | undefined;
  /** What an offer replaced, to go back to when the far end refuses it. */
  private beforeOffer: { localSdp: string | undefined; direction: Direction } | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** The quality read just before the endpoint was released. */
  lastStats: LegStats | undefined;
  /** The audio stream as last negotiated. */
  stream: NegotiatedStream | undefined;

  /** The negotiated audio codec, once there is one. */
  get audioCodec(): AudioCodecName | undefined {
    return this.stream?.codec?.name;
  }
  /** Our last description sent (answer or offer), repeated in a session refresh. */
  localSdp: string | undefined;
  /** Our own hold state, written in the next offer or answer. */
  direction: Direction = 'sendrecv';

  private constructor(
    private readonly cfg: LegMediaConfig,
    private readonly binding: EndpointBinding,
    readonly kind: EndpointKind,
    /** The far end's address family, which our endpoint's address is of. */
    readonly family: AddressFamily,
    /** The address our SDP gives (c=, ICE candidate). */
    private readonly advertised: string,
  ) {
    this.endpointId = binding.endpoint;
    this.port = binding.port;
    // RFC 4566 suggests an NTP-like number; any random decimal is as good.
    this.version = new SdpSessionVersion(String(1_000_000_000 + cfg.random.int(1_000_000_000)));
  }

  /**
   * Opens the endpoint (an RTP port) in the worker of `near` when given (an endpoint, or a worker
   * picked by the pool beforehand to open two endpoints at once). `kind`: plain RTP,
   * SDES-SRTP (RFC 4568) or WebRTC (ICE-lite, DTLS-SRTP): see `endpointKindForOffer`. `family`:
   * the far end's address family (media-family.ts); MediaFamilyUnavailableError when we have
   * no media address of it.
   */
  static async open(
    cfg: LegMediaConfig,
    near?: string | { worker: number },
    kind: EndpointKind = 'rtp',
    family: AddressFamily = defaultMediaFamily(cfg.addresses),
  ): Promise<LegMedia> {
    const address = cfg.addresses[family];
    if (address === undefined) throw new MediaFamilyUnavailableError(family);
    const binding = await cfg.pool.createEndpoint({
      localAddress: address.bind,
      kind,
      ...(typeof near === 'string' ? { near } : near !== undefined ? { worker: near.worker } : {}),
      ...(kind === 'webrtc' ? { rtcpMux: true } : {}),
      options: { mediaTimeoutMs: cfg.mediaTimeoutMs },
    });
    return new LegMedia(cfg, binding, kind, family, address.advertised);
  }

  /** What our SDP says about transport security for this endpoint's kind. */
  private securityForAnswer(): Pick<LocalMediaCapabilities, 'crypto' | 'webrtc' | 'plainRtp'> {
    const b = this.binding;
    if (this.kind === 'srtp' && b.crypto !== undefined) {
      return { plainRtp: false, crypto: [{ suite: b.crypto.suite, keyParams: b.crypto.keyParams }] };
    }
    if (this.kind === 'webrtc' && b.ice !== undefined && b.dtls !== undefined && b.candidate !== undefined) {
      return { plainRtp: false, webrtc: { ice: this.localIce(), fingerprint: b.dtls.fingerprint, setup: 'passive' } };
    }
    return {};
  }

  private localIce(): LocalIce {
    const b = this.binding;
    const c = b.candidate;
    return {
      ufrag: b.ice?.ufrag ?? '',
      pwd: b.ice?.pwd ?? '',
      lite: true,
      candidates: c === undefined ? [] : [{
        foundation: String(c.foundation), component: c.component, transport: c.transport, priority: c.priority,
        // A wildcard bind is reached on the address we advertise (same port).
        address: this.advertised, port: c.port, type: c.type,
      }],
    };
  }

  private transportForOffer(): LocalTransport {
    const b = this.binding;
    if (this.kind === 'srtp' && b.crypto !== undefined) {
      return { profile: 'RTP/SAVP', crypto: [{ suite: b.crypto.suite, keyParams: b.crypto.keyParams }] };
    }
    if (this.kind === 'webrtc' && b.dtls !== undefined) {
      return { profile: 'UDP/TLS/RTP/SAVPF', ice: this.localIce(), fingerprint: b.dtls.fingerprint, setup: 'actpass', mid: '0' };
    }
    return { profile: 'RTP/AVP' };
  }

  /**
   * Answers the far end's offer; on success the endpoint sends to the negotiated address.
   * `passthrough`: sections answered with the given text (video relayed from the other leg).
   * `preferCodec` goes first when the offer has it: the other leg's codec, so a bridge copies
   * packets instead of transcoding them (FreeSWITCH's inherit_codec does the same).
   */
  async answer(
    offerText: string,
    passthrough: readonly { index: number; text: string }[] = [],
    preferCodec?: AudioCodecName,
  ): Promise<OfferAnswerOutcome> {
    const offer = parseRemembered(offerText);
    if (isSdpParseError(offer)) return { ok: false, reason: `unreadable SDP: ${offer.reason}` };
    const answer = createAnswer(offer, {
      address: this.advertised,
      port: this.port,
      codecs: codecsPreferring(this.cfg.codecs, preferCodec),
      direction: this.direction,
      session: this.version,
      ...this.securityForAnswer(),
      ...(passthrough.length > 0 ? { passthrough } : {}),
    });
    const stream = answer.streams.find((s) => s.kind === 'audio' && !s.rejected && !s.passthrough);
    if (answer.allRejected || stream === undefined) {
      const why = answer.streams.map((s) => s.rejectReason).filter((r) => r !== undefined).join(', ');
      return { ok: false, reason: why || 'no audio stream' };
    }
    await this.setRemote(stream);
    this.localSdp = answer.sdp;
    return { ok: true, sdp: answer.sdp, stream };
  }

  /** Sections appended verbatim to our offers (the other leg's video, relayed untouched). */
  relayedSections: readonly string[] = [];
  /** The far end's answers to those sections, by their index in our offer (port 0 ones left out). */
  relayedAnswers: readonly { index: number; text: string }[] = [];

  /** Our offer (initial, late-offer 2xx, or a re-INVITE for hold). */
  offer(): string {
    this.beforeOffer = { localSdp: this.localSdp, direction: this.direction };
    const sdp = createOffer({
      address: this.advertised,
      port: this.port,
      codecs: this.cfg.codecs.map((name) => ({ name })),
      telephoneEvent: { pt: 101 },
      direction: this.direction,
      transport: this.transportForOffer(),
      session: this.version,
      ...(this.relayedSections.length > 0 ? { extraSections: this.relayedSections } : {}),
    });
    const parsed = parseSessionDescription(sdp);
    this.lastOffer = isSdpParseError(parsed) ? undefined : parsed;
    this.localSdp = sdp;
    return sdp;
  }

  /** The far end's answer to our last offer; a provisional one (a 18x's) leaves the offer open for the 2xx. */
  async answered(answerText: string, provisional = false): Promise<OfferAnswerOutcome> {
    if (this.lastOffer === undefined) return { ok: false, reason: 'no offer outstanding' };
    const answer = parseSessionDescription(answerText);
    if (isSdpParseError(answer)) return { ok: false, reason: `unreadable SDP: ${answer.reason}` };
    const streams = applyAnswer(this.lastOffer, answer);
    if (isSdpAnswerError(streams)) return { ok: false, reason: streams.reason };
    const stream = streams.find((s) => s.kind === 'audio' && !s.rejected);
    if (stream === undefined) return { ok: false, reason: 'audio refused' };
    if (this.relayedSections.length > 0) this.relayedAnswers = relayableVideoSections(answerText);
    if (!provisional) this.lastOffer = undefined;
    await this.setRemote(stream);
    return { ok: true, sdp: this.localSdp ?? '', stream };
  }

  /** The far end refused our last offer (a re-INVITE answered with an error): the session stays as it was. */
  abandonOffer(): void {
    const before = this.beforeOffer;
    if (before === undefined) return;
    this.beforeOffer = undefined;
    this.localSdp = before.localSdp;
    this.direction = before.direction;
    this.lastOffer = undefined;
  }

  /** Subscribes to the endpoint's digits, media timeout and failure. */
  onEvent(listener: (event: LegMediaEvent) => void): () => void {
    return this.cfg.pool.onEndpoint(this.endpointId, (ev: MediaEvent) => {
      if (ev.ev === 'dtmf') listener({ type: 'dtmf', digit: ev.digit, source: ev.source });
      else if (ev.ev === 'timeout') listener({ type: 'timeout' });
      else if (ev.ev === 'error') listener({ type: 'error', message: ev.error.message });
    });
  }

  /**
   * Plays to the far end and resolves when the playback ends (finished, stopped by a newer
   * play, or cut by a digit when bargeIn is set).
   */
  async play(items: readonly PlayItem[], opts: PlayOptions): Promise<PlayResult> {
    const playId = `${this.endpointId}.${++this.plays}`;
    let off: () => void = () => undefined;
    const done = new Promise<PlayResult>((resolve) => {
      off = this.cfg.pool.onEndpoint(this.endpointId, (ev: MediaEvent) => {
        if (ev.ev === 'playDone' && ev.playId === playId) {
          off();
          resolve({ reason: ev.reason });
        } else if (ev.ev === 'error') {
          off();
          resolve({ reason: 'error' });
        }
      });
    });
    try {
      await this.cfg.pool.play(this.endpointId, {
        playId,
        sources: items.map(playSourceOf),
        ...(opts.loop !== undefined ? { loop: opts.loop } : {}),
        ...(opts.bargeIn !== undefined ? { bargeIn: opts.bargeIn } : {}),
      });
    } catch (err) {
      off();
      throw err;
    }
    return done;
  }

  async stopPlay(): Promise<void> {
    await this.cfg.pool.stopPlay(this.endpointId);
  }

  /** Sends what the far end says back to it (echo test). */
  async echo(): Promise<void> {
    await this.cfg.pool.echo(this.endpointId, true);
  }

  async sendDigit(digit: string, durationMs?: number): Promise<void> {
    await this.cfg.pool.sendDtmf(this.endpointId, digit, durationMs);
  }

  async stats(): Promise<LegStats> {
    return legStatsOf(await this.cfg.pool.stats(this.endpointId));
  }

  /**
   * Releases the endpoint and its ports, reading its quality into `lastStats` first; safe to
   * call twice (the second call resolves when the first is done).
   */
  close(): Promise<void> {
    this.closing ??= this.release();
    return this.closing;
  }

  private async release(): Promise<void> {
    this.closed = true;
    // Destroying returns the last counters (one round trip); an endpoint already gone (worker
    // crash, socket error) has none.
    const last = await this.cfg.pool.destroy(this.endpointId).catch(() => undefined);
    this.lastStats = last !== undefined ? legStatsOf(last) : undefined;
  }

  /**
   * Gives the endpoint the far end's address and codec. Plain RTP is checked here, as the worker
   * would, and not waited for: the worker runs one endpoint's commands in order, so a bridge or
   * a prompt that follows finds it applied, and a call's 200 does not wait one more round trip.
   * remoteSettled() reports the worker's answer. SRTP and WebRTC wait (keys and DTLS can fail).
   */
  private async setRemote(stream: NegotiatedStream): Promise<void> {
    this.stream = stream;
    const remote = remoteDescriptionOf(stream);
    if (remote === undefined || this.closed) return;
    if (this.kind !== 'rtp') {
      await this.cfg.pool.setRemote(this.endpointId, remote);
      return;
    }
    checkRemoteDescription(remote);
    const applied = this.cfg.pool.setRemote(this.endpointId, remote);
    applied.catch(() => undefined); // read through remoteSettled()
    this.remoteApplied = applied;
  }

  private remoteApplied: Promise<void> = Promise.resolve();

  /** Resolves once the worker has applied the last remote description; rejects when it could not. */
  remoteSettled(): Promise<void> {
    return this.remoteApplied;
  }
}
