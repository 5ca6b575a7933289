// The outcome of offer/answer for one m-section: what the media layer needs to send and receive.
import type { AudioCodecName } from './codecs.js';
import { audioCodecOfPayload } from './codecs.js';
import { effectiveDirection, receives, sends } from './directions.js';
import type {
  CryptoAttribute, Direction, DtlsParameters, IceParameters, MediaKind, MediaSection, PayloadCodec,
} from './model.js';

/** Why a section ended with port 0. */
export type RejectReason =
  | 'offered-port-zero'      // the offerer disabled it (or our offer did)
  | 'unsupported-media'      // a kind we do not terminate and no passthrough was given
  | 'extra-audio'            // we terminate the first usable audio section only
  | 'unsupported-profile'    // proto we cannot speak (or SRTP without keys, WebRTC without DTLS)
  | 'no-common-codec'
  | 'no-common-crypto'       // RTP/SAVP with no a=crypto suite we have keys for
  | 'missing-dtls'           // UDP/TLS/RTP/SAVPF without fingerprint or ICE credentials
  | 'passthrough-invalid'    // the caller's replacement section did not fit the offered one
  | 'rejected-by-answer';    // the remote answered port 0

/** The codec chosen for a stream. */
export interface NegotiatedCodec {
  /** Encoding name as the remote wrote it. */
  readonly encodingName: string;
  /** Ours, when we terminate it; undefined for relayed sections' codecs. */
  readonly name: AudioCodecName | undefined;
  readonly pt: number;
  readonly clockRate: number;
  readonly channels: number;
  /** The remote's a=fmtp for it (what it can receive). */
  readonly fmtp: Readonly<Record<string, string>>;
}

/** DTLS as negotiated: the remote's fingerprint and setup, and our resulting role. */
export interface NegotiatedDtls extends DtlsParameters {
  readonly localSetup: 'active' | 'passive';
  /** active initiates the handshake (RFC 5763 5): client. */
  readonly role: 'client' | 'server';
}

/** One m-section after offer/answer. */
export interface NegotiatedStream {
  readonly kind: MediaKind;
  readonly index: number;
  readonly mid: string | undefined;
  readonly proto: string;
  readonly rejected: boolean;
  readonly rejectReason: RejectReason | undefined;
  /** A section we relay (or that the caller supplied), not one we terminate. */
  readonly passthrough: boolean;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number;
  readonly remoteRtcpAddress: string | undefined;
  readonly remoteRtcpPort: number | undefined;
  /** Both sides agreed on rtcp-mux (RFC 5761). */
  readonly rtcpMux: boolean;
  readonly codec: NegotiatedCodec | undefined;
  readonly telephoneEvent: { readonly pt: number; readonly clockRate: number } | undefined;
  /** Packetization to send with, in ms. */
  readonly ptime: number | undefined;
  /** The direction we wrote. */
  readonly localDirection: Direction;
  /** The remote's direction, with c=0.0.0.0 read as "will not receive". */
  readonly remoteDirection: Direction;
  /** The remote will not receive media we would send: it holds us (sendonly/inactive/0.0.0.0). */
  readonly remoteHold: boolean;
  readonly crypto: { readonly remote: CryptoAttribute; readonly local: CryptoAttribute } | undefined;
  readonly ice: IceParameters | undefined;
  readonly dtls: NegotiatedDtls | undefined;
}

/** The negotiated codec built from the remote's description of a payload type. */
export function negotiatedCodec(codec: PayloadCodec): NegotiatedCodec {
  return {
    encodingName: codec.encodingName, name: audioCodecOfPayload(codec), pt: codec.pt,
    clockRate: codec.clockRate, channels: codec.channels, fmtp: codec.fmtpParams,
  };
}

/** Fields every stream takes from the remote's section. */
export function remoteTransport(
  remote: MediaSection, rtcpMux: boolean, localDirection: Direction, ourOfferDirection?: Direction,
): Pick<
  NegotiatedStream,
  'kind' | 'index' | 'mid' | 'proto' | 'remoteAddress' | 'remotePort' | 'remoteRtcpAddress' | 'remoteRtcpPort'
  | 'rtcpMux' | 'localDirection' | 'remoteDirection' | 'remoteHold' | 'ice'
> {
  const remoteDirection = effectiveDirection(remote);
  const remoteAddress = remote.connection?.address;
  let remoteRtcpPort: number | undefined;
  if (remote.port !== 0) remoteRtcpPort = rtcpMux ? remote.port : remote.rtcp?.port ?? remote.port + 1;
  return {
    kind: remote.kind, index: remote.index, mid: remote.mid, proto: remote.proto,
    remoteAddress, remotePort: remote.port,
    remoteRtcpAddress: rtcpMux ? remoteAddress : remote.rtcp?.address ?? remoteAddress,
    remoteRtcpPort, rtcpMux, localDirection, remoteDirection,
    // In an offer, not receiving is hold (RFC 3264 8.4); in an answer, only if our offer would send.
    remoteHold: !receives(remoteDirection) && (ourOfferDirection === undefined || sends(ourOfferDirection)),
    ice: remote.ice,
  };
}

/** A stream that ended with port 0. */
export function rejectedStream(remote: MediaSection, reason: RejectReason, passthrough = false): NegotiatedStream {
  return {
    ...remoteTransport(remote, false, 'inactive'),
    remoteHold: false, rejected: true, rejectReason: reason, passthrough,
    codec: undefined, telephoneEvent: undefined, ptime: undefined, crypto: undefined, dtls: undefined,
  };
}
