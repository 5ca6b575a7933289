/**
 * The seam between an RTP session (RtpEndpoint) and the wire. The plain UDP transport
 * implements it; SRTP (RFC 3711) and WebRTC (ICE + DTLS-SRTP) transports will wrap a UDP
 * transport and implement it too, protecting on send and unprotecting before onRtp/onRtcp,
 * so the endpoint only ever sees plain RTP/RTCP.
 */
import type { IceParameters, RemoteDtlsParameters, SdesKeyDescription, SrtpDropCounters } from './endpoint-types.js';

/** Where the far end said it listens (from the SDP). */
export interface TransportRemote {
  address: string;
  port: number;
  /** Ignored with rtcpMux. */
  rtcpPort: number;
  rtcpMux: boolean;
  /** The far end's keys and credentials, for the secure transports that need them. */
  crypto?: SdesKeyDescription;
  ice?: IceParameters;
  dtls?: RemoteDtlsParameters;
}

/**
 * Checks and opens a datagram before the transport latches onto its source or delivers it
 * (SRTP): returns the plain packet, or undefined to drop it (the guard counts why).
 */
export interface DatagramGuard {
  admit(datagram: Buffer, rtcp: boolean): Buffer | undefined;
}

/** Receives what a transport accepted. Buffers are owned by the callee from then on. */
export interface RtpTransportReceiver {
  onRtp(packet: Buffer, nowMs: number): void;
  onRtcp(packet: Buffer, nowMs: number): void;
  /** The remote moved to the real source of incoming packets. */
  onLatched(address: string, port: number, rtcp: boolean): void;
}

export interface RtpTransport {
  readonly localAddress: string;
  readonly port: number;
  /** undefined when RTCP is multiplexed on the RTP port. */
  readonly rtcpPort: number | undefined;
  /** Current destination of RTP (the signalled one or the latched one). */
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly latched: boolean;
  /** Datagrams refused (foreign source, wrong family, too short). */
  readonly dropped: number;
  /** Secure transports: what SRTP refused, by reason (counted in `dropped` too). */
  readonly srtpDrops?: Readonly<SrtpDropCounters>;
  receiver: RtpTransportReceiver | undefined;
  setRemote(remote: TransportRemote, nowMs: number): void;
  /** Sends `length` bytes of `packet` (all when absent); the buffer may be reused once this returns. */
  sendRtp(packet: Uint8Array, length?: number): void;
  sendRtcp(packet: Uint8Array): void;
  /** Closes the sockets; safe to call twice. */
  close(): void;
}
