import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from './crc32.js';
import { STUN_FINGERPRINT_XOR, STUN_HEADER_LENGTH } from './stun-constants.js';
import type { StunMessage } from './stun-message.js';

/**
 * HMAC-SHA1 over the message up to `end` (the start of MESSAGE-INTEGRITY), with the header's
 * length field set as though the message ended right after MESSAGE-INTEGRITY (RFC 5389 15.4).
 */
export function computeMessageIntegrity(raw: Uint8Array, end: number, key: Uint8Array): Buffer {
  const header = Buffer.from(raw.subarray(0, STUN_HEADER_LENGTH));
  header.writeUInt16BE(end + 24 - STUN_HEADER_LENGTH, 2);
  return createHmac('sha1', key).update(header).update(raw.subarray(STUN_HEADER_LENGTH, end)).digest();
}

/** CRC-32 XOR 0x5354554e over the message up to `end` (the start of FINGERPRINT), length adjusted. */
export function computeFingerprint(raw: Uint8Array, end: number): number {
  const header = Buffer.from(raw.subarray(0, STUN_HEADER_LENGTH));
  header.writeUInt16BE(end + 8 - STUN_HEADER_LENGTH, 2);
  return (crc32(raw.subarray(STUN_HEADER_LENGTH, end), crc32(header)) ^ STUN_FINGERPRINT_XOR) >>> 0;
}

/**
 * Whether MESSAGE-INTEGRITY is present and matches `key` (for short-term credentials, the
 * password's UTF-8 bytes). Compared in constant time.
 */
export function verifyMessageIntegrity(message: StunMessage, key: Uint8Array): boolean {
  const at = message.integrityOffset;
  if (at < 0) return false;
  const expected = computeMessageIntegrity(message.raw, at, key);
  return timingSafeEqual(expected, message.raw.subarray(at + 4, at + 24));
}

/** Whether FINGERPRINT is present and matches. */
export function verifyFingerprint(message: StunMessage): boolean {
  const at = message.fingerprintOffset;
  if (at < 0) return false;
  return message.raw.readUInt32BE(at + 4) === computeFingerprint(message.raw, at);
}
