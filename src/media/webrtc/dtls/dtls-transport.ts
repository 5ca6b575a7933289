import { timingSafeEqual } from 'node:crypto';
import { AtendeError } from '../../../core/index.js';
import type { Clock, RandomSource, TimerHandle } from '../../../core/index.js';
import { certificateFingerprint } from './certificate.js';
import type { DtlsCertificate } from './certificate.js';
import { ClientHandshake } from './client-handshake.js';
import { DEFAULT_RETRANSMISSION, initialFlightState, transition } from './flight-retransmission.js';
import type { FlightEvent, FlightState, RetransmissionConfig } from './flight-retransmission.js';
import {
  fragmentHandshake,
  HANDSHAKE_HEADER_LENGTH,
  HandshakeReassembler,
  HandshakeType,
  parseHandshakeFragments,
  serializeFragment,
} from './handshake-fragment.js';
import { AlertDescription } from './handshake-host.js';
import type { FlightItem, HandshakeHost, HandshakeResult, HandshakeRole } from './handshake-host.js';
import { exportKeyingMaterial } from './prf.js';
import { ContentType, DTLS_1_0, DTLS_1_2, parseRecords, RECORD_HEADER_LENGTH, serializeRecord } from './record-layer.js';
import type { DtlsRecord } from './record-layer.js';
import { AeadRecordProtection, splitKeyBlock } from './record-protection.js';
import { ReplayWindow } from './replay-window.js';
import { ServerHandshake } from './server-handshake.js';
import { DEFAULT_SRTP_PROFILES, splitSrtpKeyingMaterial, srtpExporterLength } from './srtp-profile.js';
import type { SrtpKeyingMaterial } from './srtp-profile.js';

/** A DTLS failure: handshake rejected, peer alert, retransmissions exhausted, fingerprint mismatch. */
export class DtlsError extends AtendeError {}

export type DtlsRole = 'client' | 'server';
export type DtlsTransportState = 'new' | 'handshaking' | 'connected' | 'closed' | 'failed';

/** What `onConnected` reports: the SRTP keys, ready for the SRTP layer. */
export interface DtlsConnected {
  srtp: SrtpKeyingMaterial;
  /** The peer's certificate (DER) and its sha-256 fingerprint, already checked against the SDP. */
  remoteCertificate: Buffer;
  remoteFingerprint: string;
}

export interface DtlsTransportOptions {
  role: DtlsRole;
  certificate: DtlsCertificate;
  clock: Clock;
  random: RandomSource;
  /** Sends one datagram to the peer (over the ICE-selected pair). */
  send(datagram: Buffer): void;
  /** The peer's SDP a=fingerprint; may come later through setRemoteFingerprint. */
  remoteFingerprint?: { algorithm: string; value: string };
  /** SRTP protection profiles we accept, in our order of preference. */
  srtpProfiles?: readonly number[];
  /** Largest datagram we send (default 1200, safe under WebRTC's usual path MTU). */
  mtu?: number;
  retransmission?: Partial<RetransmissionConfig>;
  onConnected?(connected: DtlsConnected): void;
  /** Called once when the transport ends: close(), peer close_notify, or failure (with the error). */
  onClose?(error?: DtlsError): void;
}

/** Records of a new epoch that arrive before its keys (reordering) wait here, a few at most. */
const MAX_EARLY_RECORDS = 8;
const AEAD_OVERHEAD = 8 + 16;

/**
 * One DTLS 1.2 association for DTLS-SRTP (RFC 6347, RFC 5764), driven by datagrams: feed
 * `handleDatagram`, and it answers through `send`. Wire input never throws.
 */
export class DtlsTransport implements HandshakeHost {
  state: DtlsTransportState = 'new';
  readonly certificate: DtlsCertificate;
  readonly srtpProfiles: readonly number[];
  private readonly role: HandshakeRole;
  private readonly reassembler: HandshakeReassembler;
  private readonly retransmission: RetransmissionConfig;
  private readonly mtu: number;
  private readonly sendSeq = [0, 0];
  private writeEpoch = 0;
  private readProtection: AeadRecordProtection | undefined;
  private writeProtection: AeadRecordProtection | undefined;
  private readonly replay = new ReplayWindow();
  private earlyRecords: DtlsRecord[] = [];
  private flight: FlightItem[] = [];
  private flightState: FlightState = initialFlightState;
  private timer: TimerHandle | undefined;
  private retransmitRequested = false;
  private remoteFingerprint: { algorithm: string; value: string } | undefined;
  private result: HandshakeResult | undefined;
  /** The record version we write: DTLS 1.0 in a client's first hellos (RFC 6347 4.1), 1.2 after. */
  private recordVersion = DTLS_1_2;

  constructor(private readonly options: DtlsTransportOptions) {
    this.certificate = options.certificate;
    this.srtpProfiles = options.srtpProfiles ?? DEFAULT_SRTP_PROFILES;
    this.retransmission = { ...DEFAULT_RETRANSMISSION, ...options.retransmission };
    this.mtu = options.mtu ?? 1200;
    this.remoteFingerprint = options.remoteFingerprint;
    if (options.role === 'server') {
      this.reassembler = new HandshakeReassembler(undefined);
      this.role = new ServerHandshake(this, options.random.bytes(32));
    } else {
      this.reassembler = new HandshakeReassembler(0);
      this.recordVersion = DTLS_1_0;
      this.role = new ClientHandshake(this);
    }
  }

  /** Begins the handshake: a client sends its ClientHello, a server starts listening. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'handshaking';
    this.role.start();
  }

  /** Sets (or replaces) the peer's SDP fingerprint; a finished handshake waiting for it completes now. */
  setRemoteFingerprint(algorithm: string, value: string): void {
    this.remoteFingerprint = { algorithm, value };
    if (this.result && this.state === 'handshaking') this.finishIfVerified();
  }

  /** Feeds one datagram from the peer. */
  handleDatagram(datagram: Buffer): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    if (this.state === 'new') this.start();
    for (const record of parseRecords(datagram)) {
      this.handleRecord(record);
      if (this.isEnded()) return;
      // Early epoch-1 records are replayed between records, never inside a message handler.
      if (this.readProtection && this.earlyRecords.length > 0) this.replayEarlyRecords();
    }
    if (this.retransmitRequested) {
      this.retransmitRequested = false;
      this.flightEvent({ type: 'peer-retransmitted' });
    }
  }

  /** Sends close_notify if connected and releases the timer; safe to call twice. */
  close(): void {
    if (this.isEnded()) return;
    if (this.state === 'connected') this.sendAlert(1, AlertDescription.closeNotify);
    this.end(undefined);
  }

  private isEnded(): boolean {
    return this.state === 'closed' || this.state === 'failed';
  }

  private replayEarlyRecords(): void {
    const early = this.earlyRecords;
    this.earlyRecords = [];
    for (const r of early) {
      this.handleRecord(r);
      if (this.isEnded()) return;
    }
  }

  private handleRecord(record: DtlsRecord): void {
    let plaintext = record.fragment;
    if (record.epoch === 1) {
      if (!this.readProtection) {
        // The keys come with ClientKeyExchange; a reordered Finished may beat it here.
        if (this.earlyRecords.length < MAX_EARLY_RECORDS) this.earlyRecords.push({ ...record, fragment: Buffer.from(record.fragment) });
        return;
      }
      if (!this.replay.isAcceptable(record.sequenceNumber)) return;
      const opened = this.readProtection.open(record.contentType, record.version, 1, record.sequenceNumber, record.fragment);
      // RFC 6347 4.1.2.7: records that fail to authenticate are dropped silently.
      if (!opened) return;
      this.replay.markReceived(record.sequenceNumber);
      plaintext = opened;
    } else if (record.epoch !== 0) {
      return;
    }
    switch (record.contentType) {
      case ContentType.handshake:
        return this.handleHandshakeRecord(plaintext, record);
      case ContentType.alert:
        return this.handleAlert(plaintext, record.epoch);
      default:
        // change_cipher_spec carries nothing we need (epochs are explicit); no application data in DTLS-SRTP.
        return;
    }
  }

  private handleHandshakeRecord(plaintext: Buffer, record: DtlsRecord): void {
    const fragments = parseHandshakeFragments(plaintext);
    if (!fragments) return;
    for (const f of fragments) {
      const added = this.reassembler.add(f);
      if (added === 'old') this.retransmitRequested = true;
      if (added !== 'ok') continue;
      for (let msg = this.reassembler.next(); msg; msg = this.reassembler.next()) {
        if (msg.msgType !== HandshakeType.clientHello && msg.msgType !== HandshakeType.helloVerifyRequest) {
          this.flightEvent({ type: 'peer-flight-started' });
        }
        this.role.handleMessage(msg.msgType, msg.messageSeq, msg.body, record.epoch, record.sequenceNumber);
        if (this.isEnded()) return;
      }
    }
  }

  private handleAlert(plaintext: Buffer, epoch: number): void {
    if (plaintext.length < 2) return;
    // Once connected, unprotected alerts could be forged by anyone on the path: ignore them.
    // During the handshake the peer may legitimately alert in epoch 0 (before its ChangeCipherSpec).
    if (epoch === 0 && this.state === 'connected') return;
    const level = plaintext.readUInt8(0);
    const description = plaintext.readUInt8(1);
    if (description === AlertDescription.closeNotify) return this.end(undefined);
    if (level === 2) this.end(new DtlsError('dtls_peer_alert', `peer sent fatal alert ${description}`));
  }

  // --- HandshakeHost ---

  randomBytes(n: number): Buffer {
    return this.options.random.bytes(n);
  }

  sendFlight(items: FlightItem[], final: boolean): void {
    this.flight = items;
    this.transmitFlight();
    this.flightEvent({ type: 'flight-sent', final });
  }

  sendHelloVerifyRequest(body: Buffer, messageSeq: number, recordSeq: number): void {
    this.reassembler.clear();
    const msg = serializeFragment(HandshakeType.helloVerifyRequest, messageSeq, body, 0, body.length);
    this.safeSend(serializeRecord(ContentType.handshake, DTLS_1_0, 0, recordSeq, msg));
    // Our later epoch-0 records must not reuse that number: the client's replay window would drop them.
    this.sendSeq[0] = Math.max(this.sendSeq[0] ?? 0, recordSeq + 1);
  }

  expectMessageSeq(seq: number): void {
    this.reassembler.nextSeq = seq;
  }

  /** The server hello fixes the version: a client writes DTLS 1.2 records from then on. */
  useNegotiatedVersion(): void {
    this.recordVersion = DTLS_1_2;
  }

  installKeys(keyBlock: Buffer): void {
    const keys = splitKeyBlock(keyBlock);
    const server = this.options.role === 'server';
    this.readProtection = new AeadRecordProtection(server ? keys.client : keys.server);
    this.writeProtection = new AeadRecordProtection(server ? keys.server : keys.client);
  }

  acceptsPeerCertificate(der: Buffer): boolean {
    return this.fingerprintMatches(der) !== false;
  }

  complete(result: HandshakeResult): void {
    this.result = result;
    this.finishIfVerified();
  }

  fail(alert: number, reason: string): void {
    this.sendAlert(2, alert);
    this.end(new DtlsError('dtls_handshake_failed', reason));
  }

  // --- internals ---

  /** undefined while no fingerprint is known yet. */
  private fingerprintMatches(der: Buffer): boolean | undefined {
    const expected = this.remoteFingerprint;
    if (!expected) return undefined;
    const actual = certificateFingerprint(der, expected.algorithm);
    if (!actual) return false;
    const a = Buffer.from(actual.toUpperCase());
    const b = Buffer.from(expected.value.trim().toUpperCase());
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private finishIfVerified(): void {
    const result = this.result;
    if (!result || this.state !== 'handshaking') return;
    const matches = this.fingerprintMatches(result.peerCertificate);
    if (matches === undefined) return;
    if (!matches) return this.fail(AlertDescription.badCertificate, 'peer certificate does not match the SDP fingerprint');
    const material = exportKeyingMaterial(
      result.masterSecret,
      'EXTRACTOR-dtls_srtp',
      result.clientRandom,
      result.serverRandom,
      srtpExporterLength(result.srtpProfile),
    );
    const srtp = splitSrtpKeyingMaterial(result.srtpProfile, material, this.options.role);
    if (!srtp) return this.fail(AlertDescription.internalError, 'unknown SRTP profile');
    this.state = 'connected';
    try {
      this.options.onConnected?.({
        srtp,
        remoteCertificate: result.peerCertificate,
        remoteFingerprint: certificateFingerprint(result.peerCertificate) ?? '',
      });
    } catch {
      // A throwing listener must not break the record layer.
    }
  }

  private flightEvent(event: FlightEvent): void {
    const { state, effects } = transition(this.flightState, event, this.retransmission);
    this.flightState = state;
    for (const effect of effects) {
      switch (effect.type) {
        case 'retransmit':
          this.transmitFlight();
          break;
        case 'start-timer':
          this.options.clock.clearTimer(this.timer);
          this.timer = this.options.clock.setTimer(effect.delayMs, () => {
            this.timer = undefined;
            this.flightEvent({ type: 'timer-expired' });
          });
          break;
        case 'cancel-timer':
          this.options.clock.clearTimer(this.timer);
          this.timer = undefined;
          break;
        case 'give-up':
          this.end(new DtlsError('dtls_timeout', 'handshake timed out: peer stopped answering'));
          break;
      }
    }
  }

  /** Builds the flight's records afresh (new record sequence numbers) and packs them into datagrams. */
  private transmitFlight(): void {
    if (this.isEnded()) return;
    const records: Buffer[] = [];
    const maxBody = this.mtu - RECORD_HEADER_LENGTH - AEAD_OVERHEAD - HANDSHAKE_HEADER_LENGTH;
    for (const item of this.flight) {
      if (item.kind === 'change-cipher-spec') {
        records.push(this.protect(ContentType.changeCipherSpec, item.epoch, Buffer.from([1])));
        // Everything after our ChangeCipherSpec, alerts included, goes under the new epoch.
        this.writeEpoch = 1;
        continue;
      }
      for (const fragment of fragmentHandshake(item.msgType, item.messageSeq, item.body, maxBody)) {
        records.push(this.protect(ContentType.handshake, item.epoch, fragment));
      }
    }
    let batch: Buffer[] = [];
    let size = 0;
    for (const r of records) {
      if (size + r.length > this.mtu && batch.length > 0) {
        this.safeSend(Buffer.concat(batch, size));
        batch = [];
        size = 0;
      }
      batch.push(r);
      size += r.length;
    }
    if (batch.length > 0) this.safeSend(Buffer.concat(batch, size));
  }

  private protect(contentType: number, epoch: number, plaintext: Buffer): Buffer {
    const seq = this.sendSeq[epoch] ?? 0;
    this.sendSeq[epoch] = seq + 1;
    if (epoch === 0) return serializeRecord(contentType, this.recordVersion, 0, seq, plaintext);
    const protection = this.writeProtection;
    if (!protection) throw new DtlsError('dtls_internal', 'epoch 1 record without keys');
    return protection.seal(contentType, this.recordVersion, epoch, seq, plaintext);
  }

  private sendAlert(level: number, description: number): void {
    this.safeSend(this.protect(ContentType.alert, this.writeEpoch, Buffer.from([level, description])));
  }

  private safeSend(datagram: Buffer): void {
    try {
      this.options.send(datagram);
    } catch {
      // A failing socket send is the socket owner's problem; the flight timer retries.
    }
  }

  private end(error: DtlsError | undefined): void {
    if (this.isEnded()) return;
    this.state = error ? 'failed' : 'closed';
    this.options.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.flight = [];
    try {
      this.options.onClose?.(error);
    } catch {
      // Listener errors stay with the listener.
    }
  }
}
