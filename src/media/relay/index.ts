// Relays between two endpoints of one worker: packets copied when the codecs agree,
// transcoded when they differ; telephone-event mapped, comfort noise dropped where unknown.
export { RelayPath, type RelayCounters, type RelayMode, type RelayTicker } from './relay-path.js';
export { RtpRelay } from './rtp-relay.js';
