// The in-worker RTP endpoint: one call leg's media over a transport (plain UDP now; SRTP and
// WebRTC transports implement RtpTransport and wrap the UDP one later).
export type {
  EndpointEvent, EndpointOptions, EndpointStats, MediaDirection, RemoteDescription,
} from './endpoint-types.js';
export { checkRemoteDescription } from './remote-description.js';
export { RtpLatch, type LatchDecision, type RtpLatchOptions } from './rtp-latch.js';
export type { RtpTransport, RtpTransportReceiver, TransportRemote } from './rtp-transport.js';
export { BindError, UdpRtpTransport, type UdpRtpTransportOptions } from './udp-rtp-transport.js';
export { RtcpSession } from './rtcp-session.js';
export { DtmfTransmitter, type DtmfPacketSink } from './dtmf-transmitter.js';
export {
  COMFORT_NOISE_PT, PacketKind, RtpEndpoint, type RtpEndpointOptions, type RtpForwarder, type RtpTap,
} from './rtp-endpoint.js';
