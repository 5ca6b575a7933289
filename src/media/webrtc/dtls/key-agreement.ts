import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';
import type { ECDH, KeyObject } from 'node:crypto';

/** Named groups (RFC 8422 5.1.1, RFC 7748). */
export const NamedGroup = { secp256r1: 23, x25519: 29 } as const;

/** Groups we implement, in our order of preference (Chromium offers x25519 first too). */
export const SUPPORTED_GROUPS: readonly number[] = [NamedGroup.x25519, NamedGroup.secp256r1];

// SubjectPublicKeyInfo prefix of an X25519 key (RFC 8410): the raw 32 bytes follow it.
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** One ephemeral ECDHE key pair for one handshake. */
export interface EphemeralKey {
  readonly group: number;
  readonly publicKey: Buffer;
  /** The shared secret (the premaster secret), or undefined for an invalid peer point. */
  computeSecret(peerPublicKey: Buffer): Buffer | undefined;
}

class P256Key implements EphemeralKey {
  readonly group = NamedGroup.secp256r1;
  private readonly ecdh: ECDH = createECDH('prime256v1');
  readonly publicKey: Buffer;
  constructor() {
    this.ecdh.generateKeys();
    this.publicKey = this.ecdh.getPublicKey(null, 'uncompressed');
  }
  computeSecret(peer: Buffer): Buffer | undefined {
    // Only uncompressed points (RFC 8422 5.1.2: the only format left in TLS 1.2).
    if (peer.length !== 65 || peer.readUInt8(0) !== 4) return undefined;
    try {
      return this.ecdh.computeSecret(peer);
    } catch {
      // node throws on a point not on the curve: an invalid peer key, not our bug.
      return undefined;
    }
  }
}

class X25519Key implements EphemeralKey {
  readonly group = NamedGroup.x25519;
  private readonly privateKey: KeyObject;
  readonly publicKey: Buffer;
  constructor() {
    const pair = generateKeyPairSync('x25519');
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(X25519_SPKI_PREFIX.length);
  }
  computeSecret(peer: Buffer): Buffer | undefined {
    if (peer.length !== 32) return undefined;
    try {
      const publicKey = createPublicKey({ key: Buffer.concat([X25519_SPKI_PREFIX, peer]), format: 'der', type: 'spki' });
      const secret = diffieHellman({ privateKey: this.privateKey, publicKey });
      // An all-zero result means a small-order point (RFC 7748 6.1).
      return secret.every((b) => b === 0) ? undefined : secret;
    } catch {
      return undefined;
    }
  }
}

/** A fresh key for `group`, or undefined if we do not implement it. */
export function generateEphemeralKey(group: number): EphemeralKey | undefined {
  if (group === NamedGroup.secp256r1) return new P256Key();
  if (group === NamedGroup.x25519) return new X25519Key();
  return undefined;
}
