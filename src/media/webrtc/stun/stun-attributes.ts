import { STUN_ATTR, STUN_MAGIC_COOKIE } from './stun-constants.js';
import { stunAttribute, type StunMessage } from './stun-message.js';
import { bytesToIp, ipToBytes, type TransportAddress } from './transport-address.js';

/** An attribute to serialize. */
export interface StunAttributeValue {
  readonly type: number;
  readonly value: Buffer;
}

const COOKIE = Buffer.from([0x21, 0x12, 0xa4, 0x42]);

/** Decodes (XOR-)MAPPED-ADDRESS bytes (RFC 5389 15.1, 15.2); undefined when malformed. */
function decodeAddress(value: Buffer, xorWith: Buffer | undefined): TransportAddress | undefined {
  if (value.length < 4) return undefined;
  const family = value[1];
  const size = family === 0x01 ? 4 : family === 0x02 ? 16 : 0;
  if (size === 0 || value.length !== 4 + size) return undefined;
  let port = value.readUInt16BE(2);
  const ip = Buffer.from(value.subarray(4));
  if (xorWith !== undefined) {
    port ^= STUN_MAGIC_COOKIE >>> 16;
    for (let i = 0; i < size; i++) ip[i] = (ip[i] ?? 0) ^ (xorWith[i] ?? 0);
  }
  return { address: bytesToIp(ip), port };
}

/** XOR-MAPPED-ADDRESS of a message, or undefined when absent or malformed. */
export function readXorMappedAddress(message: StunMessage): TransportAddress | undefined {
  const v = stunAttribute(message, STUN_ATTR.xorMappedAddress);
  // The address is XORed with the cookie, then (IPv6) with the transaction id.
  return v === undefined ? undefined : decodeAddress(v, Buffer.concat([COOKIE, message.transactionId]));
}

/** MAPPED-ADDRESS (RFC 3489 servers), or undefined. */
export function readMappedAddress(message: StunMessage): TransportAddress | undefined {
  const v = stunAttribute(message, STUN_ATTR.mappedAddress);
  return v === undefined ? undefined : decodeAddress(v, undefined);
}

/** The XOR-MAPPED-ADDRESS value for `address` in a message with `transactionId`; undefined for a bad IP. */
export function xorMappedAddressAttribute(address: TransportAddress, transactionId: Buffer): StunAttributeValue | undefined {
  const ip = ipToBytes(address.address);
  if (ip === undefined) return undefined;
  const mask = Buffer.concat([COOKIE, transactionId]);
  const value = Buffer.alloc(4 + ip.length);
  value[1] = ip.length === 4 ? 0x01 : 0x02;
  value.writeUInt16BE((address.port ^ (STUN_MAGIC_COOKIE >>> 16)) & 0xffff, 2);
  for (let i = 0; i < ip.length; i++) value[4 + i] = (ip[i] ?? 0) ^ (mask[i] ?? 0);
  return { type: STUN_ATTR.xorMappedAddress, value };
}

/** A UTF-8 text attribute (USERNAME, SOFTWARE, REALM, NONCE). */
export function textAttribute(type: number, text: string): StunAttributeValue {
  return { type, value: Buffer.from(text, 'utf8') };
}

/** A text attribute's value, or undefined. */
export function readText(message: StunMessage, type: number): string | undefined {
  return stunAttribute(message, type)?.toString('utf8');
}

/** USERNAME, or undefined. */
export function readUsername(message: StunMessage): string | undefined {
  return readText(message, STUN_ATTR.username);
}

/** PRIORITY attribute (RFC 8445 7.1.1). */
export function priorityAttribute(priority: number): StunAttributeValue {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(priority >>> 0, 0);
  return { type: STUN_ATTR.priority, value };
}

/** PRIORITY value, or undefined when absent or not 4 bytes. */
export function readPriority(message: StunMessage): number | undefined {
  const v = stunAttribute(message, STUN_ATTR.priority);
  return v?.length === 4 ? v.readUInt32BE(0) : undefined;
}

/** USE-CANDIDATE (no value). */
export function useCandidateAttribute(): StunAttributeValue {
  return { type: STUN_ATTR.useCandidate, value: Buffer.alloc(0) };
}

/** ICE-CONTROLLING or ICE-CONTROLLED with its 64-bit tie-breaker (RFC 8445 7.1.3). */
export function iceRoleAttribute(role: 'controlling' | 'controlled', tieBreaker: bigint): StunAttributeValue {
  const value = Buffer.alloc(8);
  value.writeBigUInt64BE(BigInt.asUintN(64, tieBreaker), 0);
  return { type: role === 'controlling' ? STUN_ATTR.iceControlling : STUN_ATTR.iceControlled, value };
}

/** The ICE role the sender claims and its tie-breaker, or undefined when it claims none. */
export function readIceRole(message: StunMessage): { role: 'controlling' | 'controlled'; tieBreaker: bigint } | undefined {
  const ing = stunAttribute(message, STUN_ATTR.iceControlling);
  if (ing?.length === 8) return { role: 'controlling', tieBreaker: ing.readBigUInt64BE(0) };
  const ed = stunAttribute(message, STUN_ATTR.iceControlled);
  if (ed?.length === 8) return { role: 'controlled', tieBreaker: ed.readBigUInt64BE(0) };
  return undefined;
}

/** ERROR-CODE (RFC 5389 15.6): class and number, then a UTF-8 reason phrase. */
export function errorCodeAttribute(code: number, reason: string): StunAttributeValue {
  const text = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + text.length);
  value[2] = Math.floor(code / 100) & 0x07;
  value[3] = code % 100;
  text.copy(value, 4);
  return { type: STUN_ATTR.errorCode, value };
}

/** ERROR-CODE of a message, or undefined when absent or malformed. */
export function readErrorCode(message: StunMessage): { code: number; reason: string } | undefined {
  const v = stunAttribute(message, STUN_ATTR.errorCode);
  if (v === undefined || v.length < 4) return undefined;
  const cls = (v[2] ?? 0) & 0x07;
  const num = v[3] ?? 0;
  if (cls < 3 || cls > 6 || num > 99) return undefined;
  return { code: cls * 100 + num, reason: v.subarray(4).toString('utf8') };
}

/** UNKNOWN-ATTRIBUTES listing the types a 420 refuses (RFC 5389 15.9). */
export function unknownAttributesAttribute(types: readonly number[]): StunAttributeValue {
  const value = Buffer.alloc(types.length * 2);
  types.forEach((t, i) => value.writeUInt16BE(t, i * 2));
  return { type: STUN_ATTR.unknownAttributes, value };
}
