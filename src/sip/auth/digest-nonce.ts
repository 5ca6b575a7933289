/**
 * Stateless server nonces: base64url(issuedAt | salt | HMAC(secret, issuedAt | salt | realm)).
 * Any process holding the same secret recognises them (restarts, other nodes), and the issue
 * time inside tells expiry without a table. The random salt keeps two challenges issued in the
 * same millisecond apart, so their nonce counts are tracked separately.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const timeBytes = 8;
const saltBytes = 8;
const macBytes = 16;
const nonceBytes = timeBytes + saltBytes + macBytes;

function mac(secret: Buffer, head: Buffer, realm: string): Buffer {
  return createHmac('sha256', secret).update(head).update(realm, 'utf8').digest().subarray(0, macBytes);
}

/** Mints a nonce for `realm` issued at `issuedAt` (epoch ms). `salt` must be 8 random bytes. */
export function mintDigestNonce(secret: Buffer, realm: string, issuedAt: number, salt: Buffer): string {
  const head = Buffer.alloc(timeBytes + saltBytes);
  head.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(issuedAt))), 0);
  salt.copy(head, timeBytes, 0, saltBytes);
  return Buffer.concat([head, mac(secret, head, realm)]).toString('base64url');
}

/** The issue time of a nonce this secret minted for `realm`, or undefined when it is not ours. */
export function readDigestNonce(secret: Buffer, realm: string, nonce: string): number | undefined {
  if (nonce.length !== Math.ceil((nonceBytes * 4) / 3)) return undefined;
  const raw = Buffer.from(nonce, 'base64url');
  // Buffer.from is lenient: insist the text is exactly the canonical encoding.
  if (raw.length !== nonceBytes || raw.toString('base64url') !== nonce) return undefined;
  const head = raw.subarray(0, timeBytes + saltBytes);
  if (!timingSafeEqual(raw.subarray(timeBytes + saltBytes), mac(secret, head, realm))) return undefined;
  const issuedAt = raw.readBigUInt64BE(0);
  return issuedAt > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(issuedAt);
}
