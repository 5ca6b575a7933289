import { createHash } from 'node:crypto';
import type { DigestAlgorithm } from './schema.js';

/** HA1 = H(username ":" realm ":" password), lowercase hex (RFC 7616 section 3.4.2, RFC 8760). */
export function digestHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  const hash = algorithm === 'MD5' ? 'md5' : 'sha256';
  return createHash(hash).update(`${username}:${realm}:${password}`, 'utf8').digest('hex');
}
