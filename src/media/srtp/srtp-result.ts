/** Why a packet could not be protected or unprotected. Never thrown: returned. */
export type SrtpError =
  /** Shorter than the header, trailer and tag it must carry. */
  | 'too-short'
  /** Not an RTP/RTCP packet (version, header lengths). */
  | 'malformed'
  /** The authentication tag (or AEAD tag) does not match: tampered or wrong key. */
  | 'auth-failed'
  /** Already received (inside the replay window). */
  | 'replayed'
  /** Older than the replay window: cannot tell, so dropped (RFC 3711 3.3.2). */
  | 'too-old'
  /** Carries a master key identifier other than the one signalled. */
  | 'mki-mismatch';

export interface SrtpFailure {
  readonly ok: false;
  readonly error: SrtpError;
}

export interface SrtpSuccess {
  readonly ok: true;
  /** A new buffer: the protected packet, or the plain RTP/RTCP packet. */
  readonly packet: Buffer;
}

export type SrtpResult = SrtpSuccess | SrtpFailure;

// Frozen failures: the hot path returns these without allocating.
export const SRTP_FAILURE: Readonly<Record<SrtpError, SrtpFailure>> = Object.freeze({
  'too-short': Object.freeze({ ok: false, error: 'too-short' }),
  malformed: Object.freeze({ ok: false, error: 'malformed' }),
  'auth-failed': Object.freeze({ ok: false, error: 'auth-failed' }),
  replayed: Object.freeze({ ok: false, error: 'replayed' }),
  'too-old': Object.freeze({ ok: false, error: 'too-old' }),
  'mki-mismatch': Object.freeze({ ok: false, error: 'mki-mismatch' }),
} as const);

export function srtpSuccess(packet: Buffer): SrtpSuccess {
  return { ok: true, packet };
}
