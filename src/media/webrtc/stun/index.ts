export { STUN_ATTR, STUN_FINGERPRINT_XOR, STUN_HEADER_LENGTH, STUN_MAGIC_COOKIE, STUN_METHOD } from './stun-constants.js';
export type { StunClass } from './stun-constants.js';
export {
  hasStunAttribute, isStunPacket, isStunParseError, parseStunMessage, stunAttribute, stunMessageType,
  unknownRequiredAttributes,
} from './stun-message.js';
export type { StunAttribute, StunMessage, StunParseError } from './stun-message.js';
export {
  computeFingerprint, computeMessageIntegrity, verifyFingerprint, verifyMessageIntegrity,
} from './stun-integrity.js';
export {
  errorCodeAttribute, iceRoleAttribute, priorityAttribute, readErrorCode, readIceRole, readMappedAddress,
  readPriority, readText, readUsername, readXorMappedAddress, textAttribute, unknownAttributesAttribute,
  useCandidateAttribute, xorMappedAddressAttribute,
} from './stun-attributes.js';
export type { StunAttributeValue } from './stun-attributes.js';
export { serializeStunMessage } from './stun-serialize.js';
export type { StunMessageInit, StunSerializeOptions } from './stun-serialize.js';
export { bytesToIp, ipToBytes } from './transport-address.js';
export type { TransportAddress } from './transport-address.js';
export { crc32 } from './crc32.js';
