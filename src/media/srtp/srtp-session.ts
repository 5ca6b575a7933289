import { AtendeError } from '../../core/index.js';
import { deriveSrtpKeys } from './key-derivation.js';
import { srtpProfile, type SrtpProfile, type SrtpProfileName } from './srtp-profile.js';
import { SrtpReceiver } from './srtp-receiver.js';
import type { SrtpResult } from './srtp-result.js';
import { SrtpSender } from './srtp-sender.js';

/** One side's master key material. */
export interface SrtpMasterKey {
  readonly masterKey: Buffer;
  readonly masterSalt: Buffer;
  /** Master key identifier carried in each packet (RFC 3711 3.1), when signalled. */
  readonly mki?: Buffer;
}

export interface SrtpSessionOptions {
  readonly profile: SrtpProfileName | SrtpProfile;
  /** Our key: protects what we send. */
  readonly local: SrtpMasterKey;
  /** The peer's key: checks what we receive. */
  readonly remote: SrtpMasterKey;
}

/** Keys that do not fit the profile: a programming or signalling error caught before use. */
export class SrtpKeyError extends AtendeError {
  constructor(message: string) {
    super('srtp_key_invalid', message);
  }
}

/** Why a key does not fit a profile, or undefined when it does. */
export function srtpKeyProblem(profile: SrtpProfile, key: SrtpMasterKey): string | undefined {
  if (key.masterKey.length !== profile.keyLength) {
    return `${profile.name} needs a ${profile.keyLength}-byte master key, got ${key.masterKey.length}`;
  }
  if (key.masterSalt.length !== profile.saltLength) {
    return `${profile.name} needs a ${profile.saltLength}-byte master salt, got ${key.masterSalt.length}`;
  }
  return undefined;
}

/**
 * An SRTP/SRTCP session (RFC 3711): protects outgoing RTP/RTCP with the local key and
 * unprotects incoming with the remote key. Results, never exceptions, for packets.
 */
export class SrtpSession {
  readonly profile: SrtpProfile;
  private readonly sender: SrtpSender;
  private readonly receiver: SrtpReceiver;

  /** @throws SrtpKeyError when a key does not fit the profile. */
  constructor(options: SrtpSessionOptions) {
    const profile = typeof options.profile === 'string' ? srtpProfile(options.profile) : options.profile;
    if (profile === undefined) throw new SrtpKeyError(`unknown SRTP profile ${String(options.profile)}`);
    const problem = srtpKeyProblem(profile, options.local) ?? srtpKeyProblem(profile, options.remote);
    if (problem !== undefined) throw new SrtpKeyError(problem);
    this.profile = profile;
    const { local, remote } = options;
    this.sender = new SrtpSender(profile, deriveSrtpKeys(profile, local.masterKey, local.masterSalt), local.mki);
    this.receiver = new SrtpReceiver(profile, deriveSrtpKeys(profile, remote.masterKey, remote.masterSalt), remote.mki);
  }

  /** RTP -> SRTP. */
  protectRtp(packet: Buffer): SrtpResult {
    return this.sender.protectRtp(packet);
  }

  /** SRTP -> RTP, or why it was dropped. */
  unprotectRtp(packet: Buffer): SrtpResult {
    return this.receiver.unprotectRtp(packet);
  }

  /** RTCP -> SRTCP. */
  protectRtcp(packet: Buffer): SrtpResult {
    return this.sender.protectRtcp(packet);
  }

  /** SRTCP -> RTCP, or why it was dropped. */
  unprotectRtcp(packet: Buffer): SrtpResult {
    return this.receiver.unprotectRtcp(packet);
  }

  /** ROC of an outgoing SSRC (for diagnostics and tests). */
  localRolloverCounter(ssrc: number): number {
    return this.sender.rolloverCounter(ssrc);
  }

  /** ROC estimated for an incoming SSRC. */
  remoteRolloverCounter(ssrc: number): number {
    return this.receiver.rolloverCounter(ssrc);
  }
}
