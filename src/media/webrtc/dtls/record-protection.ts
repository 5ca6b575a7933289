import { createCipheriv, createDecipheriv } from 'node:crypto';
import { RECORD_HEADER_LENGTH, writeRecordHeader } from './record-layer.js';

/** TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (RFC 5289): 16-byte keys, 4-byte implicit IVs. */
export const AES_128_GCM_KEY_LENGTH = 16;
export const AES_128_GCM_IMPLICIT_IV_LENGTH = 4;
const EXPLICIT_NONCE_LENGTH = 8;
const TAG_LENGTH = 16;

/** One direction's keys for an epoch. */
export interface TrafficKeys {
  key: Buffer;
  implicitIv: Buffer;
}

/** The four values an AEAD suite takes from the key block (RFC 5246 6.3). */
export function splitKeyBlock(block: Buffer): { client: TrafficKeys; server: TrafficKeys } {
  const k = AES_128_GCM_KEY_LENGTH;
  const iv = AES_128_GCM_IMPLICIT_IV_LENGTH;
  return {
    client: { key: block.subarray(0, k), implicitIv: block.subarray(2 * k, 2 * k + iv) },
    server: { key: block.subarray(k, 2 * k), implicitIv: block.subarray(2 * k + iv, 2 * k + 2 * iv) },
  };
}

export const KEY_BLOCK_LENGTH = 2 * AES_128_GCM_KEY_LENGTH + 2 * AES_128_GCM_IMPLICIT_IV_LENGTH;

/**
 * AES-128-GCM record protection (RFC 5288 section 3 with the DTLS sequence number, RFC 6347 4.1.2.1).
 * nonce = implicit IV || explicit nonce; the explicit nonce is epoch || sequence number, unique per key.
 * additional_data = epoch || seq (8) || type || version || plaintext length.
 */
export class AeadRecordProtection {
  private readonly nonce = Buffer.alloc(12);
  private readonly aad = Buffer.alloc(13);

  constructor(private readonly keys: TrafficKeys) {
    keys.implicitIv.copy(this.nonce, 0);
  }

  /** A whole protected record, header included. */
  seal(contentType: number, version: number, epoch: number, seq: number, plaintext: Uint8Array): Buffer {
    this.fillAad(contentType, version, epoch, seq, plaintext.length);
    this.nonce.writeUInt16BE(epoch, 4);
    this.nonce.writeUIntBE(seq, 6, 6);
    const cipher = createCipheriv('aes-128-gcm', this.keys.key, this.nonce);
    cipher.setAAD(this.aad);
    const fragmentLength = EXPLICIT_NONCE_LENGTH + plaintext.length + TAG_LENGTH;
    const out = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + fragmentLength);
    writeRecordHeader(out, 0, contentType, version, epoch, seq, fragmentLength);
    this.nonce.copy(out, RECORD_HEADER_LENGTH, 4, 12);
    const body = cipher.update(plaintext);
    cipher.final();
    body.copy(out, RECORD_HEADER_LENGTH + EXPLICIT_NONCE_LENGTH);
    cipher.getAuthTag().copy(out, RECORD_HEADER_LENGTH + EXPLICIT_NONCE_LENGTH + plaintext.length);
    return out;
  }

  /** The plaintext, or undefined when the record does not authenticate. */
  open(contentType: number, version: number, epoch: number, seq: number, fragment: Buffer): Buffer | undefined {
    if (fragment.length < EXPLICIT_NONCE_LENGTH + TAG_LENGTH) return undefined;
    const plaintextLength = fragment.length - EXPLICIT_NONCE_LENGTH - TAG_LENGTH;
    this.fillAad(contentType, version, epoch, seq, plaintextLength);
    fragment.copy(this.nonce, 4, 0, EXPLICIT_NONCE_LENGTH);
    try {
      const decipher = createDecipheriv('aes-128-gcm', this.keys.key, this.nonce);
      decipher.setAAD(this.aad);
      decipher.setAuthTag(fragment.subarray(fragment.length - TAG_LENGTH));
      const body = decipher.update(fragment.subarray(EXPLICIT_NONCE_LENGTH, fragment.length - TAG_LENGTH));
      decipher.final();
      return body;
    } catch {
      // A failed tag is the only way node reports a forged or corrupted record.
      return undefined;
    }
  }

  private fillAad(contentType: number, version: number, epoch: number, seq: number, length: number): void {
    this.aad.writeUInt16BE(epoch, 0);
    this.aad.writeUIntBE(seq, 2, 6);
    this.aad.writeUInt8(contentType, 8);
    this.aad.writeUInt16BE(version, 9);
    this.aad.writeUInt16BE(length, 11);
  }
}
