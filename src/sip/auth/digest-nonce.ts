/**
 * Stateless server nonces: base64url(issuedAt | salt | HMAC(secret, issuedAt | salt | realm)).
 * Any process holding the same secret recognises them (restarts, other nodes), and the issue
 * time inside tells expiry without a table. The random salt keeps two challenges issued in the
 * same millisecond apart, so their nonce counts are tracked separately.
 */
import { hash, timingSafeEqual } from 'node:crypto';

const timeBytes = 8;
const saltBytes = 8;
const macBytes = 16;
const nonceBytes = timeBytes + saltBytes + macBytes;

const blockBytes = 64;
const pads = new WeakMap<Buffer, { inner: Buffer; outer: Buffer }>();

/** The HMAC-SHA256 key pads (RFC 2104) of a secret, computed once per secret. */
function padsOf(secret: Buffer): { inner: Buffer; outer: Buffer } {
  let p = pads.get(secret);
  if (p === undefined) {
    const key = Buffer.alloc(blockBytes);
    (secret.length > blockBytes ? hash('sha256', secret, 'buffer') : secret).copy(key);
    const inner = Buffer.alloc(blockBytes);
    const outer = Buffer.alloc(blockBytes);
    for (let i = 0; i < blockBytes; i++) {
      inner[i] = (key[i] ?? 0) ^ 0x36;
      outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
    p = { inner, outer };
    pads.set(secret, p);
  }
  return p;
}

/**
 * HMAC-SHA256(secret, head | realm), truncated. Written out with one-shot hashes because an
 * Hmac object per nonce was a measurable share of a registration's CPU; same result as createHmac.
 */
function mac(secret: Buffer, head: Buffer, realm: string): Buffer {
  const { inner, outer } = padsOf(secret);
  const innerDigest = hash('sha256', Buffer.concat([inner, head, Buffer.from(realm, 'utf8')]), 'buffer');
  return hash('sha256', Buffer.concat([outer, innerDigest]), 'buffer').subarray(0, macBytes);
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
