// The in-worker RTP endpoint: one call leg's media over a transport (plain UDP, SDES-SRTP over
// it; the WebRTC transport lives in webrtc/session and implements RtpTransport too).
export type {
  DtmfSource, EndpointEvent, EndpointOptions, EndpointStats, IceParameters, InbandDtmfMode, MediaDirection,
  RemoteDescription, RemoteDtlsParameters, SdesKeyDescription, SrtpDropCounters,
} from './endpoint-types.js';
export { checkRemoteDescription, transportRemoteOf } from './remote-description.js';
export { RtpLatch, type LatchDecision, type RtpLatchOptions } from './rtp-latch.js';
export type { DatagramGuard, RtpTransport, RtpTransportReceiver, TransportRemote } from './rtp-transport.js';
export { BindError, UdpRtpTransport, bindRtpSockets, bindUdpSocket, type UdpRtpTransportOptions } from './udp-rtp-transport.js';
export {
  DEFAULT_SDES_SUITE, SrtpRtpTransport, asBuffer, sdesCryptoOf, sdesKeyDescription,
} from './srtp-rtp-transport.js';
export { RtcpSession } from './rtcp-session.js';
export { DtmfTransmitter, type DtmfPacketSink } from './dtmf-transmitter.js';
export { RtpEndpoint, type RtpEndpointOptions } from './rtp-endpoint.js';
export { COMFORT_NOISE_PT, PacketKind, type RtpForwarder, type RtpTap } from './endpoint-hooks.js';
export { EndpointDigits, checkInbandDtmfMode, inbandDtmfWanted } from './endpoint-digits.js';
