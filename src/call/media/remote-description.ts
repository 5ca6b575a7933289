import type { RemoteDescription } from '../../media/worker/index.js';
import type { NegotiatedStream } from '../../sdp/index.js';

/** The negotiated audio stream in the form the media endpoint takes. */
export function remoteDescriptionOf(stream: NegotiatedStream): RemoteDescription | undefined {
  const codec = stream.codec;
  if (stream.rejected || codec === undefined || codec.name === undefined || stream.remoteAddress === undefined) return undefined;
  const remote: RemoteDescription = {
    address: stream.remoteAddress,
    port: stream.remotePort,
    rtcpMux: stream.rtcpMux,
    codec: codec.name,
    payloadType: codec.pt,
    clockRate: codec.clockRate,
    direction: stream.remoteDirection,
    ...(stream.ptime !== undefined ? { ptime: stream.ptime } : {}),
    ...(stream.remoteRtcpPort !== undefined ? { rtcpPort: stream.remoteRtcpPort } : {}),
    ...(stream.telephoneEvent !== undefined
      ? { telephoneEventPayloadType: stream.telephoneEvent.pt, telephoneEventClockRate: stream.telephoneEvent.clockRate }
      : {}),
    ...(stream.crypto !== undefined
      ? { crypto: { suite: stream.crypto.remote.suite, keyParams: stream.crypto.remote.keyParams } }
      : {}),
    ...(stream.ice !== undefined ? { ice: { ufrag: stream.ice.ufrag, pwd: stream.ice.pwd } } : {}),
    ...(stream.dtls !== undefined
      ? { dtls: { fingerprint: { algorithm: stream.dtls.fingerprint.algorithm, value: stream.dtls.fingerprint.value }, localSetup: stream.dtls.localSetup } }
      : {}),
  };
  return remote;
}
