export type { CallSignallingDeps, CallPlan, ForkTarget } from './signalling/types.js';
export { ALLOWED_METHODS, SUPPORTED_EXTENSIONS } from './signalling/callee-fork.js';
export type {
  Leg, LegState, LegEvent, Party, HangupCause, PlayItem, PlayOptions, PlayResult, CollectOptions, RecordOptions, Recording,
  LegRecording, LegStats, IncomingRefer, ReferHandler, TransferOptions, RecordingHandle,
} from './leg/leg-types.js';
export { TransferError, isTransferError } from './leg/refer-issuer.js';
export { ReinviteError } from './leg/reinvite.js';
export { HangupError, isHangupError, statusForCause, q850ForCause } from './leg/hangup-error.js';
export { LegEnd, type EndSignal } from './leg/leg-end.js';
export { InboundLeg } from './leg/inbound-leg.js';
export { LegRegistry } from './leg/leg-registry.js';
export type { LegDeps } from './leg/leg-deps.js';
export { LegMedia, endpointKindForOffer, relayableVideoSections, type LegMediaConfig } from './media/leg-media.js';
export {
  offerAddressFamily, inboundMediaFamily, targetMediaFamily, defaultMediaFamily, MediaFamilyUnavailableError,
  type AddressFamily, type MediaAddress, type MediaAddresses,
} from './media/media-family.js';
export { OutboundLeg, type OutboundLegRequest } from './leg/outbound-leg.js';
export { originate, mediaKindForForks, OriginateError, isOriginateError, causeForStatus, type OriginateTarget, type OriginateOptions } from './leg/originate.js';
export { bridge, BridgeError, type BridgeEnd, type BridgeOptions, type BridgeRecordOptions, type MediaConnector } from './leg/bridge.js';
export { LegMix, LegMixError, conference, spy, spyMembers, type LegMixMember, type MediaMixer, type SpyMode } from './leg/leg-mix.js';
export { forkForSipUri, type UriTargetResult } from './leg/uri-target.js';
export { partyOf } from './leg/party.js';
