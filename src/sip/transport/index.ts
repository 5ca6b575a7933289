/** The SIP transport layer: UDP, TCP, TLS, WS and WSS (RFC 3261 18, RFC 3581, RFC 5626, RFC 7118). */
export * from './types.js';
export { TransportError } from './transport-error.js';
export { TransportLayer } from './transport-layer.js';
export type { TransportLayerOptions } from './transport-layer.js';
export type { TlsClientOptions, TlsServerCredentials } from './tls-transport.js';
export type { WebSocketMountOptions } from './websocket-transport.js';
export { loadOrCreateCertificate } from './tls-certificate.js';
export type { CertificatePair } from './tls-certificate.js';
export { routeResponse, prepareResponse, protocolOfViaTransport, viaTransportOf, defaultPort } from './response-routing.js';
export { readInbound } from './inbound-message.js';
export { sendResponseWith } from './send-response.js';
export type { InboundResult } from './inbound-message.js';
export type { ResponseRoute } from './response-routing.js';
export { StreamFramer, defaultStreamFramerLimits } from './stream-framer.js';
export type { StreamFrame, StreamFramerLimits } from './stream-framer.js';
export { addressFamilyOf, plainAddress } from './address-family.js';
export type { AddressFamily } from './address-family.js';
