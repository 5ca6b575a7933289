/** The fixed magic cookie of RFC 5389 6. */
export const STUN_MAGIC_COOKIE = 0x2112a442;
export const STUN_HEADER_LENGTH = 20;

/** Methods (RFC 5389 18.1). */
export const STUN_METHOD = { binding: 0x001 } as const;

export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** Attribute types (RFC 5389 18.2, RFC 8445 16.1). */
export const STUN_ATTR = {
  mappedAddress: 0x0001,
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  unknownAttributes: 0x000a,
  realm: 0x0014,
  nonce: 0x0015,
  xorMappedAddress: 0x0020,
  priority: 0x0024,
  useCandidate: 0x0025,
  software: 0x8022,
  alternateServer: 0x8023,
  fingerprint: 0x8028,
  iceControlled: 0x8029,
  iceControlling: 0x802a,
} as const;

/** XORed into the CRC-32 of FINGERPRINT (RFC 5389 15.5). */
export const STUN_FINGERPRINT_XOR = 0x5354554e;
