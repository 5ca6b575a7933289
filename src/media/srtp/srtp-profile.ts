/**
 * SRTP protection profiles (RFC 3711 8.2, RFC 4568 6.2, RFC 5764 4.1.2, RFC 7714 14.2): the
 * sizes a session needs and the names each signalling path uses for them.
 */

export type SrtpProfileName = 'AES_CM_128_HMAC_SHA1_80' | 'AES_CM_128_HMAC_SHA1_32' | 'AEAD_AES_128_GCM';

export interface SrtpProfile {
  readonly name: SrtpProfileName;
  /** Master (and session) encryption key length in bytes. */
  readonly keyLength: number;
  /** Master (and session) salt length in bytes. */
  readonly saltLength: number;
  /** Session authentication key length in bytes (0 for AEAD). */
  readonly authKeyLength: number;
  /** Authentication tag appended to SRTP packets, in bytes. */
  readonly rtpTagLength: number;
  /** Authentication tag appended to SRTCP packets, in bytes. */
  readonly rtcpTagLength: number;
  readonly aead: boolean;
  /** DTLS-SRTP protection profile id (RFC 5764 4.1.2, RFC 7714 14.2). */
  readonly dtlsId: number;
}

// SHA1_32 shortens only the SRTP tag; SRTCP keeps 80 bits (RFC 4568 6.2.2, RFC 5764 4.1.2).
const PROFILES: Readonly<Record<SrtpProfileName, SrtpProfile>> = {
  AES_CM_128_HMAC_SHA1_80: {
    name: 'AES_CM_128_HMAC_SHA1_80', keyLength: 16, saltLength: 14, authKeyLength: 20,
    rtpTagLength: 10, rtcpTagLength: 10, aead: false, dtlsId: 0x0001,
  },
  AES_CM_128_HMAC_SHA1_32: {
    name: 'AES_CM_128_HMAC_SHA1_32', keyLength: 16, saltLength: 14, authKeyLength: 20,
    rtpTagLength: 4, rtcpTagLength: 10, aead: false, dtlsId: 0x0002,
  },
  AEAD_AES_128_GCM: {
    name: 'AEAD_AES_128_GCM', keyLength: 16, saltLength: 12, authKeyLength: 0,
    rtpTagLength: 16, rtcpTagLength: 16, aead: true, dtlsId: 0x0007,
  },
};

/** The profile named `name`, or undefined for a suite we do not implement. */
export function srtpProfile(name: string): SrtpProfile | undefined {
  return Object.hasOwn(PROFILES, name) ? PROFILES[name as SrtpProfileName] : undefined;
}

/** The profile for a DTLS-SRTP `use_srtp` protection profile id, or undefined. */
export function srtpProfileFromDtlsId(id: number): SrtpProfile | undefined {
  for (const p of Object.values(PROFILES)) if (p.dtlsId === id) return p;
  return undefined;
}

/** Every implemented profile, most preferred first (for offers). */
export const SRTP_PROFILES: readonly SrtpProfile[] = [
  PROFILES.AES_CM_128_HMAC_SHA1_80,
  PROFILES.AES_CM_128_HMAC_SHA1_32,
  PROFILES.AEAD_AES_128_GCM,
];
