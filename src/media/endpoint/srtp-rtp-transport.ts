/**
 * SDES-SRTP (RFC 4568, RFC 3711) over the plain UDP transport, for SIP phones over TLS: every
 * outgoing RTP/RTCP packet is protected with our key, every incoming one is authenticated and
 * decrypted with the far end's key before the UDP transport latches onto its source or delivers
 * it (the latch peeks, we check, it commits), so forged or replayed packets neither reach the
 * endpoint nor move the remote. Failures are counted, never thrown.
 */
import type { RandomSource } from '../../core/index.js';
import {
  formatSdesCrypto, generateSdesCrypto, isSdesParseError, parseSdesCrypto, srtpProfile, srtpSessionFromSdes,
  type SdesCrypto, type SrtpError, type SrtpSession,
} from '../srtp/index.js';
import type { SdesKeyDescription, SrtpDropCounters } from './endpoint-types.js';
import type { DatagramGuard, RtpTransport, RtpTransportReceiver, TransportRemote } from './rtp-transport.js';
import type { UdpRtpTransport } from './udp-rtp-transport.js';

/** The suite we offer when nobody asked for another: the one every SRTP phone has. */
export const DEFAULT_SDES_SUITE = 'AES_CM_128_HMAC_SHA1_80';


/** Key params and session params of an SdesCrypto as the SDP layer writes them. */
export function sdesKeyDescription(c: SdesCrypto): SdesKeyDescription {
  const fields = formatSdesCrypto(c).split(' ');
  const out: SdesKeyDescription = { suite: c.suite, keyParams: fields[2] ?? '' };
  if (c.sessionParams.length > 0) out.sessionParams = [...c.sessionParams];
  return out;
}

/** The SdesCrypto of a description, or why it is unusable. */
export function sdesCryptoOf(d: SdesKeyDescription): SdesCrypto | string {
  const params = d.sessionParams && d.sessionParams.length > 0 ? ` ${d.sessionParams.join(' ')}` : '';
  const parsed = parseSdesCrypto(`1 ${d.suite} ${d.keyParams}${params}`);
  return isSdesParseError(parsed) ? parsed.reason : parsed;
}

const sameKey = (a: SdesKeyDescription | undefined, b: SdesKeyDescription): boolean =>
  a !== undefined && a.suite === b.suite && a.keyParams === b.keyParams
  && (a.sessionParams ?? []).join(' ') === (b.sessionParams ?? []).join(' ');

export class SrtpRtpTransport implements RtpTransport, DatagramGuard {
  /** Our key, for our a=crypto line. */
  readonly localKey: SdesKeyDescription;
  readonly srtpDrops: SrtpDropCounters = { noKey: 0, authFailed: 0, replayed: 0, malformed: 0 };
  private readonly local: SdesCrypto;
  private session: SrtpSession | undefined;
  private remoteKey: SdesKeyDescription | undefined;
  private protectFailures = 0;

  /** Wraps `inner` with our key `local` (generate one with `generateLocalKey`). */
  constructor(private readonly inner: UdpRtpTransport, local: SdesCrypto) {
    this.local = local;
    this.localKey = sdesKeyDescription(local);
    inner.guard = this;
  }

  /** A fresh SDES key for `suite`; throws RangeError for a suite we do not implement. */
  static generateLocalKey(suite: string, random: RandomSource): SdesCrypto {
    const crypto = srtpProfile(suite) ? generateSdesCrypto(1, suite, random) : undefined;
    if (!crypto) throw new RangeError(`SRTP suite ${suite} is not supported`);
    return crypto;
  }

  get receiver(): RtpTransportReceiver | undefined {
    return this.inner.receiver;
  }
  set receiver(r: RtpTransportReceiver | undefined) {
    this.inner.receiver = r;
  }
  get localAddress(): string {
    return this.inner.localAddress;
  }
  get port(): number {
    return this.inner.port;
  }
  get rtcpPort(): number | undefined {
    return this.inner.rtcpPort;
  }
  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }
  get remotePort(): number | undefined {
    return this.inner.remotePort;
  }
  get latched(): boolean {
    return this.inner.latched;
  }
  get dropped(): number {
    const d = this.srtpDrops;
    return this.inner.dropped + d.noKey + d.authFailed + d.replayed + d.malformed;
  }
  /** Outgoing packets that could not be protected (malformed RTP from a source). */
  get unprotectable(): number {
    return this.protectFailures;
  }

  /**
   * Takes the far end's key with its address. The same key again (a re-INVITE that keeps it)
   * keeps the session, its rollover counters and replay windows; a new key starts a new one.
   * Throws RangeError when the key is missing or unusable with ours.
   */
  setRemote(remote: TransportRemote, nowMs: number): void {
    const key = remote.crypto;
    if (key === undefined) throw new RangeError('an SRTP endpoint needs the far end\'s crypto key');
    if (!sameKey(this.remoteKey, key)) {
      const crypto = sdesCryptoOf(key);
      if (typeof crypto === 'string') throw new RangeError(`remote crypto: ${crypto}`);
      const session = srtpSessionFromSdes(this.local, crypto);
      if (typeof session === 'string') throw new RangeError(`SRTP: ${session}`);
      this.session = session;
      this.remoteKey = { ...key };
    }
    this.inner.setRemote(remote, nowMs);
  }

  // DatagramGuard: called by the UDP transport after the latch peeked and before it commits.
  admit(datagram: Buffer, rtcp: boolean): Buffer | undefined {
    const session = this.session;
    if (!session) {
      this.srtpDrops.noKey++;
      return undefined;
    }
    const result = rtcp ? session.unprotectRtcp(datagram) : session.unprotectRtp(datagram);
    if (result.ok) return result.packet;
    this.countFailure(result.error);
    return undefined;
  }

  sendRtp(packet: Uint8Array, length = packet.length): void {
    const session = this.session;
    if (!session) return;
    const result = session.protectRtp(asBuffer(packet, length));
    if (result.ok) this.inner.sendRtp(result.packet);
    else this.protectFailures++;
  }

  sendRtcp(packet: Uint8Array): void {
    const session = this.session;
    if (!session) return;
    const result = session.protectRtcp(asBuffer(packet, packet.length));
    if (result.ok) this.inner.sendRtcp(result.packet);
    else this.protectFailures++;
  }

  close(): void {
    this.inner.guard = undefined;
    this.inner.close();
    this.session = undefined;
  }

  private countFailure(error: SrtpError): void {
    if (error === 'auth-failed') this.srtpDrops.authFailed++;
    else if (error === 'replayed' || error === 'too-old') this.srtpDrops.replayed++;
    else this.srtpDrops.malformed++;
  }
}

/** A Buffer view of the first `length` bytes (no copy). */
export function asBuffer(packet: Uint8Array, length: number): Buffer {
  if (Buffer.isBuffer(packet) && length === packet.length) return packet;
  return Buffer.from(packet.buffer, packet.byteOffset, length);
}
