import { createHmac, createHash } from 'node:crypto';

/** The TLS 1.2 PRF (RFC 5246 section 5): P_SHA256(secret, label || seed) cut to `length` bytes. */
export function prf(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Buffer {
  const labelSeed = Buffer.concat([Buffer.from(label, 'latin1'), seed]);
  const out = Buffer.allocUnsafe(length);
  let a: Buffer = labelSeed;
  let written = 0;
  while (written < length) {
    // A(i) = HMAC(secret, A(i-1)); each output block is HMAC(secret, A(i) || seed).
    a = createHmac('sha256', secret).update(a).digest();
    const block = createHmac('sha256', secret).update(a).update(labelSeed).digest();
    written += block.copy(out, written, 0, Math.min(block.length, length - written));
  }
  return out;
}

/** SHA-256 of the handshake transcript: every suite we negotiate uses the SHA-256 PRF. */
export function transcriptHash(messages: readonly Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const m of messages) h.update(m);
  return h.digest();
}

/** master_secret: RFC 7627 (extended, bound to the session hash) or RFC 5246 8.1 (legacy). */
export function masterSecret(
  preMasterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | undefined,
): Buffer {
  if (sessionHash) return prf(preMasterSecret, 'extended master secret', sessionHash, 48);
  return prf(preMasterSecret, 'master secret', Buffer.concat([clientRandom, serverRandom]), 48);
}

/** The key block (RFC 5246 6.3): note the seed is server_random first. */
export function keyBlock(master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, length: number): Buffer {
  return prf(master, 'key expansion', Buffer.concat([serverRandom, clientRandom]), length);
}

/** Finished verify_data (RFC 5246 7.4.9): 12 bytes over the transcript hash. */
export function verifyData(master: Uint8Array, role: 'client' | 'server', handshakeHash: Uint8Array): Buffer {
  return prf(master, `${role} finished`, handshakeHash, 12);
}

/** Keying material exporter (RFC 5705) without a context value, as DTLS-SRTP uses it. */
export function exportKeyingMaterial(
  master: Uint8Array,
  label: string,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  length: number,
): Buffer {
  return prf(master, label, Buffer.concat([clientRandom, serverRandom]), length);
}
