export * from './b2bua/index.js';
export { OutboundLeg, type OutboundLegRequest } from './leg/outbound-leg.js';
export { originate, OriginateError, isOriginateError, causeForStatus, type OriginateTarget, type OriginateOptions } from './leg/originate.js';
export { bridge, BridgeError, type BridgeEnd, type BridgeOptions, type MediaConnector } from './leg/bridge.js';
export { OutboundLegIndex } from './leg/outbound-leg-index.js';
