import { createCipheriv, createDecipheriv, type Cipher } from 'node:crypto';
import { HmacSha1 } from './hmac-sha1.js';
import type { SessionKeys } from './key-derivation.js';

/**
 * The cryptographic transforms of one set of session keys (RTP or RTCP, one direction):
 * AES-CM with HMAC-SHA1 (RFC 3711 4.1.1, 4.2.1) or AES-GCM (RFC 7714 8, 9). Holds the
 * IV scratch buffers so a packet allocates only the cipher and its output.
 *
 * AES-CM runs through one long-lived AES-ECB cipher fed the packet's counter blocks: creating
 * an aes-128-ctr cipher per packet costs several times more than the encryption itself.
 */
export class SrtpCipher {
  private readonly key: Buffer;
  private readonly salt: Buffer;
  private readonly hmac: HmacSha1 | undefined;
  private readonly cmIv = Buffer.alloc(16);
  private readonly gcmIv = Buffer.alloc(12);
  private readonly rocWord = Buffer.alloc(4);
  private readonly tag = Buffer.alloc(20);
  private readonly ecb: Cipher;
  private counters = Buffer.alloc(16 * 16);

  constructor(keys: SessionKeys) {
    this.key = keys.encryptionKey;
    this.salt = keys.salt;
    this.hmac = keys.authKey.length > 0 ? new HmacSha1(keys.authKey) : undefined;
    this.ecb = createCipheriv('aes-128-ecb', this.key, null);
    this.ecb.setAutoPadding(false);
  }

  /**
   * Writes `data` XOR the AES-CM keystream for (ssrc, index) into `out` at `at`
   * (IV = salt*2^16 ^ ssrc*2^64 ^ index*2^16; RFC 3711 4.1.1). Encrypts and decrypts.
   */
  counterMode(data: Uint8Array, ssrc: number, index: number, out: Buffer, at: number): void {
    const iv = this.cmIv;
    this.salt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
    iv.writeUInt16BE(iv.readUInt16BE(8) ^ Math.floor(index / 0x100000000), 8);
    iv.writeUInt32BE((iv.readUInt32BE(10) ^ index) >>> 0, 10);
    const len = data.length;
    if (len === 0) return;
    const blocks = (len + 15) >>> 4;
    if (this.counters.length < blocks * 16) this.counters = Buffer.alloc(blocks * 16);
    const counters = this.counters;
    // Packets are far below 2^16 blocks, so the counter lives in the IV's zeroed last 16 bits.
    for (let i = 0; i < blocks; i++) {
      iv.copy(counters, i * 16);
      counters.writeUInt16BE(i, i * 16 + 14);
    }
    const keystream = this.ecb.update(counters.subarray(0, blocks * 16));
    for (let i = 0; i < len; i++) out[at + i] = data[i]! ^ keystream[i]!;
  }

  /**
   * Full 20-byte HMAC-SHA1 over `data`, followed by the ROC when `roc` is given (SRTP only).
   * Returns a scratch buffer that the next call overwrites: copy or compare it at once.
   */
  authTag(data: Uint8Array, roc?: number): Buffer {
    // Only AES-CM profiles call this; their keys always carry an auth key.
    const hmac = this.hmac as HmacSha1;
    if (roc === undefined) return hmac.digest(data, undefined, this.tag);
    this.rocWord.writeUInt32BE(roc >>> 0, 0);
    return hmac.digest(data, this.rocWord, this.tag);
  }

  /** RFC 7714 8.1 / 9.1 IV: 0x0000 || SSRC || high || low, XOR the 96-bit salt. */
  private gcmNonce(ssrc: number, high: number, low16or32: number, lowIs32: boolean): Buffer {
    const iv = this.gcmIv;
    iv.writeUInt16BE(0, 0);
    iv.writeUInt32BE(ssrc >>> 0, 2);
    if (lowIs32) {
      iv.writeUInt16BE(0, 6);
      iv.writeUInt32BE(low16or32 >>> 0, 8);
    } else {
      iv.writeUInt32BE(high >>> 0, 6);
      iv.writeUInt16BE(low16or32 & 0xffff, 10);
    }
    for (let i = 0; i < 12; i++) iv[i] = (iv[i] ?? 0) ^ (this.salt[i] ?? 0);
    return iv;
  }

  /** SRTP IV for GCM from SSRC, ROC and SEQ. */
  rtpNonce(ssrc: number, roc: number, seq: number): Buffer {
    return this.gcmNonce(ssrc, roc, seq, false);
  }

  /** SRTCP IV for GCM from SSRC and the 31-bit SRTCP index. */
  rtcpNonce(ssrc: number, index: number): Buffer {
    return this.gcmNonce(ssrc, 0, index, true);
  }

  /** AES-GCM encryption: ciphertext and the 16-byte tag. */
  gcmSeal(nonce: Buffer, aad: Uint8Array, aad2: Uint8Array | undefined, plaintext: Uint8Array): [Buffer, Buffer] {
    const c = createCipheriv('aes-128-gcm', this.key, nonce, { authTagLength: 16 });
    c.setAAD(aad2 === undefined ? aad : Buffer.concat([aad, aad2]));
    const out = c.update(plaintext);
    c.final();
    return [out, c.getAuthTag()];
  }

  /** AES-GCM decryption, or undefined when the tag does not verify. */
  gcmOpen(nonce: Buffer, aad: Uint8Array, aad2: Uint8Array | undefined, ciphertext: Uint8Array, tag: Uint8Array): Buffer | undefined {
    const d = createDecipheriv('aes-128-gcm', this.key, nonce, { authTagLength: 16 });
    d.setAAD(aad2 === undefined ? aad : Buffer.concat([aad, aad2]));
    d.setAuthTag(tag);
    const out = d.update(ciphertext);
    try {
      d.final();
    } catch {
      // OpenSSL reports a tag mismatch by throwing; that is an expected outcome here.
      return undefined;
    }
    return out;
  }
}
