// The SDP offer/answer layer (RFC 4566, RFC 3264) the call layer uses for every leg.
export { parseSessionDescription } from './parse.js';
export { isSdpParseError, sdpParseError, bundleGroupOf } from './model.js';
export type {
  CryptoAttribute, Direction, DtlsFingerprint, DtlsParameters, DtlsSetup, IceCandidateAttribute, IceParameters,
  MediaGroup, MediaKind, MediaSection, PayloadCodec, SdpConnection, SdpOrigin, SdpParseError, SessionDescription,
  SsrcAttribute,
} from './model.js';
export { AUDIO_CODECS, audioCodecOf, canPacketize, isTelephoneEvent, staticPayloadType } from './codecs.js';
export type { AudioCodecName, AudioCodecSpec } from './codecs.js';
export {
  answerDirection, effectiveDirection, isHoldAddress, isHoldOffer, receives, reverseDirection, sends,
} from './directions.js';
export { SdpSessionVersion } from './version.js';
export type { SdpSessionIdentity } from './version.js';
export type {
  AnswerCodec, LocalCrypto, LocalIce, LocalIceCandidate, LocalMediaCapabilities, LocalMediaOffer, LocalSsrc,
  LocalTransport, OfferCodec, PassthroughSection, SessionIdentitySource, TelephoneEventOffer,
} from './local-media.js';
export type { NegotiatedCodec, NegotiatedDtls, NegotiatedStream, RejectReason } from './negotiated-stream.js';
export { createOffer } from './offer.js';
export { createAnswer } from './answer.js';
export type { SdpAnswer } from './answer.js';
export { applyAnswer, isSdpAnswerError } from './apply-answer.js';
export type { SdpAnswerError } from './apply-answer.js';
export { SdpLocalParametersError } from './sdp-error.js';
