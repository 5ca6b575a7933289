/**
 * Shapes an RTP endpoint is configured with and reports; shared by the worker protocol,
 * which re-exports them, so the main thread and the worker speak the same types.
 */
import type { CodecName } from '../codec/index.js';
import type { JitterBufferStats } from '../jitter/index.js';

/** An SDP direction attribute (RFC 3264 6.1), as the REMOTE side wrote it. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** What offer/answer settled for the far end of one endpoint (RFC 3264, RFC 5761). */
export interface RemoteDescription {
  /** Where the far end wants our RTP (c= and m= lines). */
  address: string;
  port: number;
  /** RTCP port (a=rtcp); RTP port + 1 when absent. Ignored with rtcpMux. */
  rtcpPort?: number;
  /** a=rtcp-mux was negotiated: RTCP shares the RTP port both ways. */
  rtcpMux: boolean;
  /** The negotiated audio codec, its payload type and RTP clock rate. */
  codec: CodecName;
  payloadType: number;
  clockRate: number;
  /** RFC 4733 telephone-event payload type, when negotiated. */
  telephoneEventPayloadType?: number;
  /** Clock rate of telephone-event (default 8000). */
  telephoneEventClockRate?: number;
  /** Comfort noise payload type (RFC 3389, usually 13) when the far end offered CN. */
  comfortNoisePayloadType?: number;
  /** Packetization in ms (a=ptime), default 20. */
  ptime?: number;
  /** The far end's direction attribute: 'sendonly' and 'inactive' mean it holds the call. */
  direction: MediaDirection;
  /** The far end's SDES key (its a=crypto), for 'srtp' endpoints. */
  crypto?: SdesKeyDescription;
  /** The far end's ICE credentials (a=ice-ufrag, a=ice-pwd), for 'webrtc' endpoints. */
  ice?: IceParameters;
  /** The far end's certificate fingerprint and our settled DTLS role, for 'webrtc' endpoints. */
  dtls?: RemoteDtlsParameters;
}

/**
 * One SDES key as an a=crypto line carries it (RFC 4568 9.1): `a=crypto:<tag> <suite>
 * <keyParams> [<sessionParams>...]`; the tag belongs to the SDP layer.
 */
export interface SdesKeyDescription {
  /** AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32 or AEAD_AES_128_GCM. */
  suite: string;
  /** `inline:<base64 key||salt>[|lifetime][|mki:length]`. */
  keyParams: string;
  /** Session parameters, when any (those that change the transform are refused). */
  sessionParams?: string[];
}

/** ICE username fragment and password (a=ice-ufrag, a=ice-pwd; RFC 8839 5.4). */
export interface IceParameters {
  ufrag: string;
  pwd: string;
}

/** What DTLS-SRTP needs from the far end's SDP (RFC 8842, RFC 8122). */
export interface RemoteDtlsParameters {
  /** The far end's a=fingerprint: hash name as SDP writes it ('sha-256') and the hex pairs. */
  fingerprint: { algorithm: string; value: string };
  /**
   * OUR role as offer/answer settled it (RFC 8842 5): 'passive' makes us the DTLS server,
   * 'active' the client (we then start the handshake once ICE selected an address).
   */
  localSetup: 'active' | 'passive';
}

/** Settings fixed when an endpoint is created. */
export interface EndpointOptions {
  /** No RTP for this long while the far end should send raises `timeout` (default 60000; 0 disables). */
  mediaTimeoutMs?: number;
  /** Latching stays possible this long after setRemote changed the remote (default 5000). */
  latchWindowMs?: number;
  /** ...and only for this many received packets (default 20). */
  latchWindowPackets?: number;
  /** RTCP report interval (default 5000; randomized 0.5..1.5 as RFC 3550 6.2 asks). */
  rtcpIntervalMs?: number;
  /**
   * Emit a `stats` event with each RTCP report (default false: the call layer asks for stats when
   * it needs them; at 700 calls, events on by default were ~280 messages a second to the main
   * thread that nothing read).
   */
  statsEvents?: boolean;
  /**
   * In-band DTMF detection on the received audio: 'auto' (default) while the remote description
   * negotiated no telephone-event (carriers and old gateways that send tones in the audio),
   * 'on' always (digits arriving both ways are reported once), 'off' never.
   */
  inbandDtmf?: InbandDtmfMode;
}

/** When an endpoint looks for DTMF tones in its received audio. */
export type InbandDtmfMode = 'auto' | 'on' | 'off';

/** How a received digit arrived: RFC 4733 telephone-event or tones in the audio. */
export type DtmfSource = 'rfc4733' | 'inband';

/** Counters and quality of one endpoint at one moment. */
export interface EndpointStats {
  packetsIn: number;
  bytesIn: number;
  packetsOut: number;
  bytesOut: number;
  /** Datagrams dropped: from a foreign source, malformed, unknown payload type or while held. */
  packetsDropped: number;
  /** RFC 3550 A.3 loss of the received stream (never negative). */
  lost: number;
  jitterMs: number;
  rttMs: number | undefined;
  mos: number;
  rtcpIn: number;
  rtcpOut: number;
  /** Digits reported (RFC 4733 and in-band), duplicates of one key press counted once. */
  dtmfIn: number;
  dtmfOut: number;
  /** Where RTP is sent now (after latching), if a remote is known. */
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  latched: boolean;
  /** 'srtp' and 'webrtc': incoming packets SRTP refused, by reason (also in packetsDropped). */
  srtpDrops?: SrtpDropCounters;
  /** While received audio is decoded (recorded, mixed, detected): its jitter buffer. */
  jitterBuffer?: JitterBufferStats;
}

/** Incoming SRTP/SRTCP refused by a secure transport, by reason. */
export interface SrtpDropCounters {
  /** Arrived before the keys were known (SDES remote key, or DTLS-SRTP not up yet). */
  noKey: number;
  authFailed: number;
  /** Replayed, or older than the replay window. */
  replayed: number;
  /** Too short, malformed, or carrying another MKI. */
  malformed: number;
}

/** Events an endpoint raises towards its owner (the worker runtime turns them into MediaEvents). */
export type EndpointEvent =
  | { ev: 'dtmf'; digit: string; source: DtmfSource }
  | { ev: 'timeout'; silentMs: number }
  | { ev: 'stats'; stats: EndpointStats }
  | { ev: 'latched'; address: string; port: number; rtcp: boolean }
  | { ev: 'error'; error: { code: string; message: string } };
