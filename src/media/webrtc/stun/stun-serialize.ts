import { STUN_ATTR, STUN_HEADER_LENGTH, STUN_MAGIC_COOKIE, type StunClass } from './stun-constants.js';
import { computeFingerprint, computeMessageIntegrity } from './stun-integrity.js';
import { stunMessageType } from './stun-message.js';
import type { StunAttributeValue } from './stun-attributes.js';

export interface StunMessageInit {
  readonly method: number;
  readonly class: StunClass;
  /** 12 bytes. */
  readonly transactionId: Buffer;
  readonly attributes: readonly StunAttributeValue[];
}

export interface StunSerializeOptions {
  /** Adds MESSAGE-INTEGRITY keyed with this (short-term: the password's UTF-8 bytes). */
  readonly integrityKey?: Uint8Array;
  /** Adds FINGERPRINT last. */
  readonly fingerprint?: boolean;
}

/**
 * Serializes a STUN message: attributes padded to 4 bytes with zeros, then MESSAGE-INTEGRITY
 * and FINGERPRINT as asked (RFC 5389 15.4, 15.5), in one buffer.
 */
export function serializeStunMessage(init: StunMessageInit, options: StunSerializeOptions = {}): Buffer {
  let length = 0;
  for (const a of init.attributes) length += 4 + ((a.value.length + 3) & ~3);
  const integrity = options.integrityKey !== undefined;
  const total = STUN_HEADER_LENGTH + length + (integrity ? 24 : 0) + (options.fingerprint ? 8 : 0);
  const out = Buffer.alloc(total);
  out.writeUInt16BE(stunMessageType(init.method, init.class), 0);
  out.writeUInt16BE(total - STUN_HEADER_LENGTH, 2);
  out.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  init.transactionId.copy(out, 8, 0, 12);
  let at = STUN_HEADER_LENGTH;
  for (const a of init.attributes) {
    out.writeUInt16BE(a.type, at);
    out.writeUInt16BE(a.value.length, at + 2);
    a.value.copy(out, at + 4);
    at += 4 + ((a.value.length + 3) & ~3);
  }
  if (options.integrityKey !== undefined) {
    out.writeUInt16BE(STUN_ATTR.messageIntegrity, at);
    out.writeUInt16BE(20, at + 2);
    computeMessageIntegrity(out, at, options.integrityKey).copy(out, at + 4);
    at += 24;
  }
  if (options.fingerprint) {
    out.writeUInt16BE(STUN_ATTR.fingerprint, at);
    out.writeUInt16BE(4, at + 2);
    out.writeUInt32BE(computeFingerprint(out, at), at + 4);
  }
  return out;
}
