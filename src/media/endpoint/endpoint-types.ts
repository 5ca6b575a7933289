/**
 * Shapes an RTP endpoint is configured with and reports; shared by the worker protocol,
 * which re-exports them, so the main thread and the worker speak the same types.
 */
import type { CodecName } from '../codec/index.js';

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
  /** Emit a `stats` event with each RTCP report (default true). */
  statsEvents?: boolean;
}

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
  dtmfIn: number;
  dtmfOut: number;
  /** Where RTP is sent now (after latching), if a remote is known. */
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  latched: boolean;
}

/** Events an endpoint raises towards its owner (the worker runtime turns them into MediaEvents). */
export type EndpointEvent =
  | { ev: 'dtmf'; digit: string; source: 'rfc4733' }
  | { ev: 'timeout'; silentMs: number }
  | { ev: 'stats'; stats: EndpointStats }
  | { ev: 'latched'; address: string; port: number; rtcp: boolean }
  | { ev: 'error'; error: { code: string; message: string } };
