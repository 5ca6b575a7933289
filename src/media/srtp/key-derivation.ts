import { createCipheriv } from 'node:crypto';
import type { SrtpProfile } from './srtp-profile.js';

/** Session keys for one direction of one of RTP or RTCP. */
export interface SessionKeys {
  readonly encryptionKey: Buffer;
  readonly salt: Buffer;
  /** Empty for AEAD profiles. */
  readonly authKey: Buffer;
}

/** Session keys for RTP and RTCP derived from one master key and salt. */
export interface DerivedKeys {
  readonly rtp: SessionKeys;
  readonly rtcp: SessionKeys;
}

/** Key derivation labels (RFC 3711 4.3.2). */
export const SRTP_LABEL = {
  rtpEncryption: 0,
  rtpAuth: 1,
  rtpSalt: 2,
  rtcpEncryption: 3,
  rtcpAuth: 4,
  rtcpSalt: 5,
} as const;

const ZEROS = Buffer.alloc(256);

/** `length` bytes of AES-128 counter-mode keystream starting at the 16-byte counter `iv`. */
export function aesCmKeystream(key: Buffer, iv: Buffer, length: number): Buffer {
  const cipher = createCipheriv('aes-128-ctr', key, iv);
  const input = length <= ZEROS.length ? ZEROS.subarray(0, length) : Buffer.alloc(length);
  return cipher.update(input);
}

/**
 * The AES-CM PRF of RFC 3711 4.3.3 with key_derivation_rate 0: x = (label || 0^48) XOR salt,
 * right-aligned in the 112-bit salt, IV = x * 2^16. A 96-bit GCM salt (RFC 7714 11) sits at the
 * same left edge, so the label byte lands in the same place.
 */
export function deriveSessionKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, Math.min(masterSalt.length, 14));
  iv[7] = (iv[7] ?? 0) ^ label;
  return aesCmKeystream(masterKey, iv, length);
}

/** All six session keys of a profile from its master key and salt. */
export function deriveSrtpKeys(profile: SrtpProfile, masterKey: Buffer, masterSalt: Buffer): DerivedKeys {
  const d = (label: number, length: number): Buffer =>
    length === 0 ? Buffer.alloc(0) : deriveSessionKey(masterKey, masterSalt, label, length);
  return {
    rtp: {
      encryptionKey: d(SRTP_LABEL.rtpEncryption, profile.keyLength),
      authKey: d(SRTP_LABEL.rtpAuth, profile.authKeyLength),
      salt: d(SRTP_LABEL.rtpSalt, profile.saltLength),
    },
    rtcp: {
      encryptionKey: d(SRTP_LABEL.rtcpEncryption, profile.keyLength),
      authKey: d(SRTP_LABEL.rtcpAuth, profile.authKeyLength),
      salt: d(SRTP_LABEL.rtcpSalt, profile.saltLength),
    },
  };
}
