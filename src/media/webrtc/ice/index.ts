export { IceLiteAgent } from './ice-lite-agent.js';
export type { BindingOutcome, IceLiteAgentOptions, IceLiteState } from './ice-lite-agent.js';
export { generateIceCredentials, isValidIcePwd, isValidIceUfrag } from './ice-credentials.js';
export type { IceCredentials } from './ice-credentials.js';
export {
  candidateFoundation, candidatePriority, formatCandidate, hostCandidate, ICE_TYPE_PREFERENCE,
} from './ice-candidate.js';
export type { HostCandidateOptions, IceCandidate, IceCandidateType } from './ice-candidate.js';
