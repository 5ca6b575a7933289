// Mixers: N-party conferences with mix-minus and the supervisor spy modes (listen, whisper,
// barge) expressed as hears lists, mixed one 20 ms tick at a time without per-tick allocation.
export { type Hears, type MixMember, type SpyMode, type SpyParties, spyMembers } from './mix-member.js';
export { type ConferenceMixerOptions, ConferenceMixer } from './conference-mixer.js';
