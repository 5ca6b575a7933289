/** RTCP packet shapes (RFC 3550 6.4-6.6; feedback types from RFC 4585 kept raw). */

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
/** Transport-layer feedback (RFC 4585: NACK; RFC 8888 and TWCC live here too). */
export const RTCP_RTPFB = 205;
/** Payload-specific feedback (RFC 4585: PLI, FIR, REMB). */
export const RTCP_PSFB = 206;

/** SDES item types (RFC 3550 6.5). */
export const SDES_END = 0;
export const SDES_CNAME = 1;
export const SDES_NAME = 2;
export const SDES_TOOL = 6;
export const SDES_PRIV = 8;

/** One reception report block (RFC 3550 6.4.1). */
export interface RtcpReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, 8-bit fixed point (0..255). */
  fractionLost: number;
  /** Signed 24-bit cumulative number of packets lost. */
  cumulativeLost: number;
  extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (LSR), 0 when none. */
  lastSenderReport: number;
  /** Delay since that SR in units of 1/65536 s (DLSR). */
  delaySinceLastSenderReport: number;
}

export interface RtcpSenderReport {
  type: 'sr';
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
  reports: RtcpReportBlock[];
  /** Profile-specific extension after the report blocks, kept raw. */
  extension?: Uint8Array;
}

export interface RtcpReceiverReport {
  type: 'rr';
  ssrc: number;
  reports: RtcpReportBlock[];
  extension?: Uint8Array;
}

/** An SDES item kept as bytes (text is UTF-8; PRIV has its own inner structure). */
export interface RtcpSdesItem {
  type: number;
  data: Uint8Array;
}

export interface RtcpSdesChunk {
  ssrc: number;
  items: RtcpSdesItem[];
}

export interface RtcpSourceDescription {
  type: 'sdes';
  chunks: RtcpSdesChunk[];
}

export interface RtcpBye {
  type: 'bye';
  ssrcs: number[];
  reason?: string;
}

/** Any other packet type (APP, RTPFB, PSFB, XR...) passed through untouched. */
export interface RtcpUnknown {
  type: 'unknown';
  packetType: number;
  /** The 5-bit count/format field. */
  count: number;
  /** Bytes after the 4-byte header, padding excluded. */
  body: Uint8Array;
}

export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpUnknown;

/** The CNAME of an SDES chunk, if it has one. */
export function sdesCname(chunk: RtcpSdesChunk): string | undefined {
  const item = chunk.items.find((i) => i.type === SDES_CNAME);
  return item ? Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength).toString('utf8') : undefined;
}

/** A chunk carrying just a CNAME (what every compound packet needs, RFC 3550 6.5.1). */
export function cnameChunk(ssrc: number, cname: string): RtcpSdesChunk {
  return { ssrc, items: [{ type: SDES_CNAME, data: Buffer.from(cname, 'utf8') }] };
}
