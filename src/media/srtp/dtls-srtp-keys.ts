import { srtpProfile, type SrtpProfile, type SrtpProfileName } from './srtp-profile.js';
import type { SrtpMasterKey } from './srtp-session.js';

/** Label for the DTLS exporter (RFC 5764 4.2). */
export const DTLS_SRTP_EXPORTER_LABEL = 'EXTRACTOR-dtls_srtp';

/** Bytes to ask the DTLS exporter for: two keys and two salts. */
export function dtlsSrtpKeyingMaterialLength(profile: SrtpProfile): number {
  return 2 * (profile.keyLength + profile.saltLength);
}

export interface DtlsSrtpKeys {
  readonly profile: SrtpProfile;
  readonly local: SrtpMasterKey;
  readonly remote: SrtpMasterKey;
}

/**
 * Splits DTLS-exported keying material, laid out client_write_key | server_write_key |
 * client_write_salt | server_write_salt (RFC 5764 4.2), into our and the peer's master keys.
 * Undefined when the profile is unknown or the material has the wrong length.
 */
export function srtpKeysFromDtlsExport(
  material: Buffer,
  profile: SrtpProfileName | SrtpProfile,
  role: 'client' | 'server',
): DtlsSrtpKeys | undefined {
  const p = typeof profile === 'string' ? srtpProfile(profile) : profile;
  if (p === undefined || material.length !== dtlsSrtpKeyingMaterialLength(p)) return undefined;
  const k = p.keyLength;
  const s = p.saltLength;
  // Copies: the exporter's buffer may be reused or wiped by its owner.
  const client: SrtpMasterKey = {
    masterKey: Buffer.from(material.subarray(0, k)),
    masterSalt: Buffer.from(material.subarray(2 * k, 2 * k + s)),
  };
  const server: SrtpMasterKey = {
    masterKey: Buffer.from(material.subarray(k, 2 * k)),
    masterSalt: Buffer.from(material.subarray(2 * k + s, 2 * k + 2 * s)),
  };
  return role === 'client'
    ? { profile: p, local: client, remote: server }
    : { profile: p, local: server, remote: client };
}
