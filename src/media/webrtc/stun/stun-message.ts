import { STUN_ATTR, STUN_HEADER_LENGTH, STUN_MAGIC_COOKIE, type StunClass } from './stun-constants.js';

/** Where one attribute's value sits inside the raw message. */
export interface StunAttribute {
  readonly type: number;
  /** Offset of the value (after the 4-byte type/length header). */
  readonly offset: number;
  readonly length: number;
}

/** A parsed STUN message: a view over `raw`, whose bytes integrity checks need. */
export interface StunMessage {
  readonly method: number;
  readonly class: StunClass;
  /** 12 bytes (a view into raw). */
  readonly transactionId: Buffer;
  /** In order; those after MESSAGE-INTEGRITY other than FINGERPRINT are left out (RFC 5389 15.4). */
  readonly attributes: readonly StunAttribute[];
  /** Offset of the MESSAGE-INTEGRITY attribute header, -1 when absent. */
  readonly integrityOffset: number;
  /** Offset of the FINGERPRINT attribute header, -1 when absent. */
  readonly fingerprintOffset: number;
  readonly raw: Buffer;
}

export interface StunParseError {
  readonly type: 'parse-error';
  readonly reason: string;
}

const fail = (reason: string): StunParseError => ({ type: 'parse-error', reason });

export function isStunParseError(x: StunMessage | StunParseError): x is StunParseError {
  return (x as StunParseError).type === 'parse-error';
}

const CLASSES: readonly StunClass[] = ['request', 'indication', 'success', 'error'];

/** The 14-bit message type for a method and class (RFC 5389 6, figure 3). */
export function stunMessageType(method: number, cls: StunClass): number {
  const c = CLASSES.indexOf(cls);
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
}

/**
 * Whether a datagram looks like STUN: top two bits zero and the magic cookie (RFC 5389 6;
 * RFC 7983 demultiplexes first bytes 0..3 to STUN, 20..63 to DTLS, 128..191 to RTP/RTCP).
 */
export function isStunPacket(packet: Uint8Array): boolean {
  return packet.length >= STUN_HEADER_LENGTH && ((packet[0] ?? 0xff) & 0xc0) === 0 &&
    ((packet[4] ?? 0) << 24 | (packet[5] ?? 0) << 16 | (packet[6] ?? 0) << 8 | (packet[7] ?? 0)) >>> 0 === STUN_MAGIC_COOKIE;
}

/** Parses a STUN message with every length checked first; never throws. */
export function parseStunMessage(raw: Buffer): StunMessage | StunParseError {
  if (raw.length < STUN_HEADER_LENGTH) return fail('shorter than the STUN header');
  const type = raw.readUInt16BE(0);
  if (type & 0xc000) return fail('top bits of the message type are not zero');
  const length = raw.readUInt16BE(2);
  if (raw.readUInt32BE(4) !== STUN_MAGIC_COOKIE) return fail('no magic cookie');
  if (length % 4 !== 0) return fail('message length is not a multiple of 4');
  if (length + STUN_HEADER_LENGTH !== raw.length) return fail('message length does not match the datagram');
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const cls = CLASSES[((type >> 4) & 1) | ((type >> 7) & 2)] ?? 'request';
  const attributes: StunAttribute[] = [];
  let integrityOffset = -1;
  let fingerprintOffset = -1;
  let at = STUN_HEADER_LENGTH;
  while (at < raw.length) {
    if (fingerprintOffset >= 0) return fail('attribute after FINGERPRINT');
    if (at + 4 > raw.length) return fail('truncated attribute header');
    const attrType = raw.readUInt16BE(at);
    const attrLength = raw.readUInt16BE(at + 2);
    const next = at + 4 + ((attrLength + 3) & ~3);
    if (next > raw.length) return fail(`attribute 0x${attrType.toString(16)} overruns the message`);
    if (attrType === STUN_ATTR.fingerprint) {
      if (attrLength !== 4) return fail('FINGERPRINT must be 4 bytes');
      fingerprintOffset = at;
    } else if (integrityOffset >= 0) {
      at = next; // ignored after MESSAGE-INTEGRITY (RFC 5389 15.4)
      continue;
    } else if (attrType === STUN_ATTR.messageIntegrity) {
      if (attrLength !== 20) return fail('MESSAGE-INTEGRITY must be 20 bytes');
      integrityOffset = at;
    }
    attributes.push({ type: attrType, offset: at + 4, length: attrLength });
    at = next;
  }
  return {
    method,
    class: cls,
    transactionId: raw.subarray(8, 20),
    attributes,
    integrityOffset,
    fingerprintOffset,
    raw,
  };
}

/** The first value of attribute `type` (a view), or undefined. */
export function stunAttribute(message: StunMessage, type: number): Buffer | undefined {
  for (const a of message.attributes) {
    if (a.type === type) return message.raw.subarray(a.offset, a.offset + a.length);
  }
  return undefined;
}

/** Whether attribute `type` is present. */
export function hasStunAttribute(message: StunMessage, type: number): boolean {
  return message.attributes.some((a) => a.type === type);
}

/**
 * Comprehension-required attributes (type < 0x8000) this code does not understand
 * (RFC 5389 7.3.1: a request carrying one gets a 420).
 */
export function unknownRequiredAttributes(message: StunMessage, known: ReadonlySet<number>): number[] {
  return message.attributes.filter((a) => a.type < 0x8000 && !known.has(a.type)).map((a) => a.type);
}
