export { SRTP_PROFILES, srtpProfile, srtpProfileFromDtlsId } from './srtp-profile.js';
export type { SrtpProfile, SrtpProfileName } from './srtp-profile.js';
export { aesCmKeystream, deriveSessionKey, deriveSrtpKeys, SRTP_LABEL } from './key-derivation.js';
export type { DerivedKeys, SessionKeys } from './key-derivation.js';
export { SrtpSession, SrtpKeyError, srtpKeyProblem } from './srtp-session.js';
export type { SrtpMasterKey, SrtpSessionOptions } from './srtp-session.js';
export type { SrtpError, SrtpFailure, SrtpResult, SrtpSuccess } from './srtp-result.js';
export { ReplayWindow, REPLAY_WINDOW_SIZE } from './replay-window.js';
export type { ReplayVerdict } from './replay-window.js';
export { RtpIndexTracker } from './packet-index.js';
export {
  answerSdesOffer, formatSdesCrypto, generateSdesCrypto, isSdesCryptoSupported, isSdesParseError,
  parseSdesCrypto, srtpSessionFromSdes,
} from './sdes.js';
export type { SdesCrypto, SdesKeyParam, SdesParseError } from './sdes.js';
export {
  DTLS_SRTP_EXPORTER_LABEL, dtlsSrtpKeyingMaterialLength, srtpKeysFromDtlsExport,
} from './dtls-srtp-keys.js';
export type { DtlsSrtpKeys } from './dtls-srtp-keys.js';
