/** DTLS-SRTP protection profiles (RFC 5764 4.1.2, RFC 7714 14.2) and their key sizes. */

export const SrtpProfile = {
  aes128CmHmacSha1_80: 0x0001,
  aes128CmHmacSha1_32: 0x0002,
  aeadAes128Gcm: 0x0007,
  aeadAes256Gcm: 0x0008,
} as const;

export type SrtpProfileName =
  | 'SRTP_AES128_CM_HMAC_SHA1_80'
  | 'SRTP_AES128_CM_HMAC_SHA1_32'
  | 'SRTP_AEAD_AES_128_GCM'
  | 'SRTP_AEAD_AES_256_GCM';

interface ProfileInfo {
  name: SrtpProfileName;
  keyLength: number;
  saltLength: number;
}

const PROFILES = new Map<number, ProfileInfo>([
  [SrtpProfile.aes128CmHmacSha1_80, { name: 'SRTP_AES128_CM_HMAC_SHA1_80', keyLength: 16, saltLength: 14 }],
  [SrtpProfile.aes128CmHmacSha1_32, { name: 'SRTP_AES128_CM_HMAC_SHA1_32', keyLength: 16, saltLength: 14 }],
  [SrtpProfile.aeadAes128Gcm, { name: 'SRTP_AEAD_AES_128_GCM', keyLength: 16, saltLength: 12 }],
  [SrtpProfile.aeadAes256Gcm, { name: 'SRTP_AEAD_AES_256_GCM', keyLength: 32, saltLength: 12 }],
]);

/** Our default preference: AES-CM/HMAC-SHA1-80 is what every SRTP stack has. */
export const DEFAULT_SRTP_PROFILES: readonly number[] = [SrtpProfile.aes128CmHmacSha1_80, SrtpProfile.aeadAes128Gcm];

export function srtpProfileInfo(id: number): ProfileInfo | undefined {
  return PROFILES.get(id);
}

/** The master keys and salts one side uses, cut from the exporter output (RFC 5764 4.2). */
export interface SrtpKeyingMaterial {
  profile: number;
  profileName: SrtpProfileName;
  /** The raw exporter output: client key, server key, client salt, server salt. */
  material: Buffer;
  localMasterKey: Buffer;
  localMasterSalt: Buffer;
  remoteMasterKey: Buffer;
  remoteMasterSalt: Buffer;
}

/** Exporter length for a profile: 2 * (key + salt). */
export function srtpExporterLength(id: number): number {
  const p = PROFILES.get(id);
  return p ? 2 * (p.keyLength + p.saltLength) : 0;
}

/** Splits exporter output into our keys and the peer's, by DTLS role. */
export function splitSrtpKeyingMaterial(id: number, material: Buffer, role: 'client' | 'server'): SrtpKeyingMaterial | undefined {
  const p = PROFILES.get(id);
  if (!p || material.length !== 2 * (p.keyLength + p.saltLength)) return undefined;
  const k = p.keyLength;
  const s = p.saltLength;
  const clientKey = material.subarray(0, k);
  const serverKey = material.subarray(k, 2 * k);
  const clientSalt = material.subarray(2 * k, 2 * k + s);
  const serverSalt = material.subarray(2 * k + s, 2 * k + 2 * s);
  const client = role === 'client';
  return {
    profile: id,
    profileName: p.name,
    material,
    localMasterKey: client ? clientKey : serverKey,
    localMasterSalt: client ? clientSalt : serverSalt,
    remoteMasterKey: client ? serverKey : clientKey,
    remoteMasterSalt: client ? serverSalt : clientSalt,
  };
}
