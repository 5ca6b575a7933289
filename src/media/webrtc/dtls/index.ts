/** DTLS 1.2 for DTLS-SRTP (RFC 6347, RFC 5764): our own, on node:crypto primitives. */
export { DtlsTransport, DtlsError } from './dtls-transport.js';
export type { DtlsConnected, DtlsRole, DtlsTransportOptions, DtlsTransportState } from './dtls-transport.js';
export { generateDtlsCertificate, sharedDtlsCertificate, certificateFingerprint, formatFingerprint } from './certificate.js';
export type { DtlsCertificate } from './certificate.js';
export { SrtpProfile, DEFAULT_SRTP_PROFILES, srtpProfileInfo, srtpExporterLength, splitSrtpKeyingMaterial } from './srtp-profile.js';
export type { SrtpKeyingMaterial, SrtpProfileName } from './srtp-profile.js';
export { DEFAULT_RETRANSMISSION } from './flight-retransmission.js';
export type { RetransmissionConfig } from './flight-retransmission.js';
export { isDtlsPacket } from './record-layer.js';
