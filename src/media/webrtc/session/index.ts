// WebRTC media transport: ICE-lite + DTLS-SRTP + SRTP/SRTCP on one rtcp-muxed socket, an RtpTransport.
export {
  WebRtcTransport, type WebRtcDropCounters, type WebRtcTransportEvent, type WebRtcTransportOptions,
} from './webrtc-transport.js';
