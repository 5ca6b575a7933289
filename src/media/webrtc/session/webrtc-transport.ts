/**
 * A browser's media transport (RFC 8834/8827): one UDP socket carrying STUN, DTLS and
 * SRTP/SRTCP, told apart by their first byte (RFC 7983), RTCP always multiplexed (RFC 5761).
 * STUN goes to an ICE-lite agent that answers the browser's checks and takes the address a
 * USE-CANDIDATE check came from as the one media goes to; DTLS runs over that address and its
 * exported keys start the SRTP session. No media flows before DTLS-SRTP is up, and only
 * addresses that passed an authenticated check may send DTLS or SRTP.
 */
import type { RemoteInfo, Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Clock, RandomSource, TimerHandle } from '../../../core/index.js';
import {
  asBuffer, bindUdpSocket, BindError, type RtpTransport, type RtpTransportReceiver, type SrtpDropCounters, type TransportRemote,
} from '../../endpoint/index.js';
import { classifyPacket } from '../../rtcp/index.js';
import { SrtpSession, srtpProfileFromDtlsId, type SrtpError } from '../../srtp/index.js';
import { certificateFingerprint, DtlsTransport, type DtlsCertificate, type DtlsConnected, type DtlsError, type DtlsRole } from '../dtls/index.js';
import { hostCandidate, IceLiteAgent, type IceCandidate, type IceCredentials } from '../ice/index.js';

/** What the transport tells its owner (the worker turns these into `ice`/`dtls` MediaEvents). */
export type WebRtcTransportEvent =
  | { ev: 'ice'; state: 'selected' | 'disconnected'; address: string; port: number }
  | { ev: 'dtls'; state: 'connected'; role: DtlsRole; srtpProfile: string }
  | { ev: 'dtls'; state: 'failed' | 'closed'; role: DtlsRole; reason: string };

export interface WebRtcTransportOptions {
  localAddress: string;
  port: number;
  clock: Clock;
  random: RandomSource;
  certificate: DtlsCertificate;
  emit: (event: WebRtcTransportEvent) => void;
  /** How often consent freshness (RFC 7675) is checked; 0 disables (default 5000). */
  consentCheckMs?: number;
}

/** Datagrams refused before SRTP had a say, by reason. */
export interface WebRtcDropCounters {
  /** DTLS or SRTP from an address that passed no ICE check, or before any check. */
  unchecked: number;
  /** Not STUN, DTLS, RTP or RTCP, or STUN the ICE agent ignored. */
  unknown: number;
}

// Addresses that passed a check but were not (yet) nominated: a few at most.
const MAX_CHECKED = 4;
// DTLS that arrives before setRemote told us the role (the browser answered faster than the signalling).
const MAX_EARLY_DTLS = 4;

export class WebRtcTransport implements RtpTransport {
  receiver: RtpTransportReceiver | undefined;
  readonly localAddress: string;
  readonly port: number;
  readonly rtcpPort = undefined;
  readonly ice: IceLiteAgent;
  /** Our one host candidate, in sdp-transform's field names. */
  readonly candidate: IceCandidate;
  readonly drops: WebRtcDropCounters = { unchecked: 0, unknown: 0 };
  readonly srtpDrops: SrtpDropCounters = { noKey: 0, authFailed: 0, replayed: 0, malformed: 0 };
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly certificate: DtlsCertificate;
  private readonly emit: (event: WebRtcTransportEvent) => void;
  private readonly checked: { address: string; port: number }[] = [];
  private destAddress: string | undefined;
  private destPort = 0;
  private selected = false;
  private dtls: DtlsTransport | undefined;
  private dtlsRole: DtlsRole = 'server';
  private remoteFingerprint: { algorithm: string; value: string } | undefined;
  private remoteIce: IceCredentials | undefined;
  private earlyDtls: Buffer[] = [];
  private srtp: SrtpSession | undefined;
  private consentTimer: TimerHandle | undefined;
  private consentLost = false;
  private closed = false;
  private sendErrors = 0;
  private readonly onMessage = (msg: Buffer, rinfo: RemoteInfo): void => this.receive(msg, rinfo);
  private readonly onSocketError = (): void => {
    this.sendErrors++;
  };

  private constructor(private readonly socket: Socket, options: WebRtcTransportOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.certificate = options.certificate;
    this.emit = options.emit;
    this.localAddress = options.localAddress;
    this.port = socket.address().port;
    this.ice = new IceLiteAgent({ random: options.random, software: 'Atende' });
    this.candidate = hostCandidate({ address: options.localAddress, port: this.port });
    socket.on('message', this.onMessage);
    socket.on('error', this.onSocketError);
    const every = options.consentCheckMs ?? 5000;
    if (every > 0) this.scheduleConsentCheck(every);
  }

  /** Binds the socket; rejects with BindError. */
  static async open(options: WebRtcTransportOptions): Promise<WebRtcTransport> {
    const family = isIP(options.localAddress);
    if (family === 0) throw new BindError('invalid_argument', `local address ${options.localAddress} is not an IP address`);
    const socket = await bindUdpSocket(family === 6 ? 'udp6' : 'udp4', options.localAddress, options.port);
    return new WebRtcTransport(socket, options);
  }

  /** Our a=ice-ufrag / a=ice-pwd. */
  get localIce(): IceCredentials {
    return this.ice.localCredentials;
  }
  /** Our a=fingerprint (sha-256). */
  get fingerprint(): string {
    return this.certificate.fingerprint;
  }
  get remoteAddress(): string | undefined {
    return this.destAddress;
  }
  get remotePort(): number | undefined {
    return this.destAddress === undefined ? undefined : this.destPort;
  }
  /** True once ICE nominated the address media goes to. */
  get latched(): boolean {
    return this.selected;
  }
  get dropped(): number {
    const d = this.drops;
    const s = this.srtpDrops;
    return d.unchecked + d.unknown + s.noKey + s.authFailed + s.replayed + s.malformed;
  }
  /** True once DTLS-SRTP keys are in place: media flows. */
  get secure(): boolean {
    return this.srtp !== undefined;
  }
  get dtlsState(): string {
    return this.dtls?.state ?? 'new';
  }

  /**
   * Takes the far end's ICE credentials, fingerprint and our DTLS role (the address in the SDP
   * is ignored: ICE decides). The same fingerprint and role again keep the DTLS association;
   * a change starts a new one. Throws RangeError when ice or dtls is missing or unusable.
   */
  setRemote(remote: TransportRemote, _nowMs: number): void {
    if (this.closed) return;
    const ice = remote.ice;
    const dtls = remote.dtls;
    if (ice === undefined || dtls === undefined) throw new RangeError('a WebRTC endpoint needs the far end\'s ice and dtls parameters');
    if (certificateFingerprint(this.certificate.der, dtls.fingerprint.algorithm) === undefined) {
      throw new RangeError(`fingerprint hash ${dtls.fingerprint.algorithm} is not supported`);
    }
    if (this.remoteIce?.ufrag !== ice.ufrag || this.remoteIce.pwd !== ice.pwd) {
      this.remoteIce = { ufrag: ice.ufrag, pwd: ice.pwd };
      this.ice.setRemoteCredentials(this.remoteIce);
    }
    const role: DtlsRole = dtls.localSetup === 'passive' ? 'server' : 'client';
    const fp = this.remoteFingerprint;
    const same = fp !== undefined && fp.algorithm.toLowerCase() === dtls.fingerprint.algorithm.toLowerCase()
      && fp.value.toUpperCase() === dtls.fingerprint.value.toUpperCase() && role === this.dtlsRole;
    // A re-INVITE after a failed or closed association tries again.
    const live = this.dtls !== undefined && this.dtls.state !== 'failed' && this.dtls.state !== 'closed';
    if (same && live) return;
    this.remoteFingerprint = { algorithm: dtls.fingerprint.algorithm, value: dtls.fingerprint.value };
    this.startDtls(role);
  }

  sendRtp(packet: Uint8Array, length = packet.length): void {
    const srtp = this.srtp;
    if (!srtp || this.destAddress === undefined || this.closed) return;
    const result = srtp.protectRtp(asBuffer(packet, length));
    if (result.ok) this.socket.send(result.packet, this.destPort, this.destAddress);
  }

  sendRtcp(packet: Uint8Array): void {
    const srtp = this.srtp;
    if (!srtp || this.destAddress === undefined || this.closed) return;
    const result = srtp.protectRtcp(asBuffer(packet, packet.length));
    if (result.ok) this.socket.send(result.packet, this.destPort, this.destAddress);
  }

  /** Sends DTLS close_notify, stops the consent timer and closes the socket; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.clock.clearTimer(this.consentTimer);
    this.consentTimer = undefined;
    const dtls = this.dtls;
    this.dtls = undefined;
    dtls?.close();
    this.closed = true;
    this.srtp = undefined;
    this.socket.close();
  }

  private startDtls(role: DtlsRole): void {
    const previous = this.dtls;
    this.dtls = undefined;
    previous?.close();
    this.srtp = undefined;
    this.dtlsRole = role;
    const fingerprint = this.remoteFingerprint!;
    const dtls: DtlsTransport = new DtlsTransport({
      role,
      certificate: this.certificate,
      clock: this.clock,
      random: this.random,
      remoteFingerprint: fingerprint,
      send: (datagram) => this.sendDatagram(datagram),
      onConnected: (connected) => {
        if (this.dtls === dtls) this.dtlsConnected(connected);
      },
      onClose: (error) => {
        if (this.dtls === dtls) this.dtlsClosed(error);
      },
    });
    this.dtls = dtls;
    // A server listens at once; a client speaks first, so it waits for somewhere to speak to.
    if (role === 'server') dtls.start();
    else if (this.selected) dtls.start();
    const early = this.earlyDtls;
    this.earlyDtls = [];
    for (const datagram of early) if (this.dtls === dtls) dtls.handleDatagram(datagram);
  }

  private dtlsConnected(connected: DtlsConnected): void {
    const keys = connected.srtp;
    const profile = srtpProfileFromDtlsId(keys.profile);
    if (profile === undefined) {
      this.emit({ ev: 'dtls', state: 'failed', role: this.dtlsRole, reason: `SRTP profile ${keys.profileName} is not supported` });
      return;
    }
    this.srtp = new SrtpSession({
      profile,
      local: { masterKey: Buffer.from(keys.localMasterKey), masterSalt: Buffer.from(keys.localMasterSalt) },
      remote: { masterKey: Buffer.from(keys.remoteMasterKey), masterSalt: Buffer.from(keys.remoteMasterSalt) },
    });
    this.emit({ ev: 'dtls', state: 'connected', role: this.dtlsRole, srtpProfile: profile.name });
  }

  private dtlsClosed(error: DtlsError | undefined): void {
    if (this.closed) return;
    // The keys of a closed association protect nothing any more (RFC 5764 4.2 ties them to it).
    this.srtp = undefined;
    if (error) this.emit({ ev: 'dtls', state: 'failed', role: this.dtlsRole, reason: `${error.code}: ${error.message}` });
    else this.emit({ ev: 'dtls', state: 'closed', role: this.dtlsRole, reason: 'close_notify' });
  }

  private sendDatagram(datagram: Buffer): void {
    if (this.closed || this.destAddress === undefined) return;
    this.socket.send(datagram, this.destPort, this.destAddress);
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.closed) return;
    switch (classifyPacket(msg)) {
      case 'stun':
        return this.receiveStun(msg, rinfo);
      case 'dtls':
        return this.receiveDtls(msg, rinfo);
      case 'rtp':
        return this.receiveSrtp(msg, rinfo, false);
      case 'rtcp':
        return this.receiveSrtp(msg, rinfo, true);
      default:
        this.drops.unknown++;
    }
  }

  private receiveStun(msg: Buffer, rinfo: RemoteInfo): void {
    const source = { address: rinfo.address, port: rinfo.port };
    const outcome = this.ice.handleBinding(msg, source, this.clock.monotonic());
    if (outcome.response) this.socket.send(outcome.response, rinfo.port, rinfo.address);
    if (outcome.kind !== 'accepted') {
      if (outcome.kind === 'ignored') this.drops.unknown++;
      return;
    }
    this.rememberChecked(rinfo.address, rinfo.port);
    if (this.destAddress === undefined) {
      // Before nomination, DTLS may already flow on the first pair that checked.
      this.destAddress = rinfo.address;
      this.destPort = rinfo.port;
    }
    if (outcome.selectedChanged && outcome.selected) {
      this.selected = true;
      this.consentLost = false;
      this.destAddress = outcome.selected.address;
      this.destPort = outcome.selected.port;
      this.emit({ ev: 'ice', state: 'selected', address: this.destAddress, port: this.destPort });
      if (this.dtls?.state === 'new') this.dtls.start();
    }
  }

  private receiveDtls(msg: Buffer, rinfo: RemoteInfo): void {
    if (!this.isChecked(rinfo.address, rinfo.port)) {
      this.drops.unchecked++;
      return;
    }
    if (this.dtls) this.dtls.handleDatagram(msg);
    else if (this.earlyDtls.length < MAX_EARLY_DTLS) this.earlyDtls.push(msg);
  }

  private receiveSrtp(msg: Buffer, rinfo: RemoteInfo, rtcp: boolean): void {
    const srtp = this.srtp;
    const receiver = this.receiver;
    if (!srtp || !receiver) {
      this.srtpDrops.noKey++;
      return;
    }
    if (!this.isChecked(rinfo.address, rinfo.port)) {
      this.drops.unchecked++;
      return;
    }
    const result = rtcp ? srtp.unprotectRtcp(msg) : srtp.unprotectRtp(msg);
    if (!result.ok) {
      this.countFailure(result.error);
      return;
    }
    // RTCP feedback (PT 205/206) reaches the RTCP session, which ignores what it does not use.
    if (rtcp) receiver.onRtcp(result.packet, this.clock.monotonic());
    else receiver.onRtp(result.packet, this.clock.monotonic());
  }

  private isChecked(address: string, port: number): boolean {
    if (port === this.destPort && address === this.destAddress) return true;
    const checked = this.checked;
    for (let i = 0; i < checked.length; i++) {
      const c = checked[i]!;
      if (c.port === port && c.address === address) return true;
    }
    return false;
  }

  private rememberChecked(address: string, port: number): void {
    const checked = this.checked;
    for (let i = 0; i < checked.length; i++) if (checked[i]!.port === port && checked[i]!.address === address) return;
    if (checked.length >= MAX_CHECKED) checked.shift();
    checked.push({ address, port });
  }

  private countFailure(error: SrtpError): void {
    if (error === 'auth-failed') this.srtpDrops.authFailed++;
    else if (error === 'replayed' || error === 'too-old') this.srtpDrops.replayed++;
    else this.srtpDrops.malformed++;
  }

  private scheduleConsentCheck(every: number): void {
    this.consentTimer = this.clock.setTimer(every, () => {
      this.consentTimer = undefined;
      if (this.closed) return;
      if (this.ice.consent(this.clock.monotonic()) === 'expired' && !this.consentLost && this.destAddress !== undefined) {
        this.consentLost = true;
        this.emit({ ev: 'ice', state: 'disconnected', address: this.destAddress, port: this.destPort });
      } else if (this.ice.state === 'completed') {
        this.consentLost = false;
      }
      this.scheduleConsentCheck(every);
    });
  }
}
