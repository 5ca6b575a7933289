export type {
  RtcpBye,
  RtcpPacket,
  RtcpReceiverReport,
  RtcpReportBlock,
  RtcpSdesChunk,
  RtcpSdesItem,
  RtcpSenderReport,
  RtcpSourceDescription,
  RtcpUnknown,
} from './rtcp-packet.js';
export {
  RTCP_APP,
  RTCP_BYE,
  RTCP_PSFB,
  RTCP_RR,
  RTCP_RTPFB,
  RTCP_SDES,
  RTCP_SR,
  SDES_CNAME,
  SDES_END,
  SDES_NAME,
  SDES_PRIV,
  SDES_TOOL,
  cnameChunk,
  sdesCname,
} from './rtcp-packet.js';
export { parseRtcpCompound } from './rtcp-parse.js';
export { serializeRtcpCompound } from './rtcp-serialize.js';
export type { PacketClass } from './packet-demux.js';
export { classifyPacket, isRtcp } from './packet-demux.js';
export type { NtpTimestamp } from './ntp-timestamp.js';
export { NTP_UNIX_OFFSET_SECONDS, msFromNtp, ntpFromMs, ntpMiddle32, ntpMiddle32FromMs } from './ntp-timestamp.js';
export type { LastSenderReport, ReceptionStatistics } from './report-block.js';
export {
  buildReportBlock,
  lastSenderReportFrom,
  roundTripTimeCompact,
  roundTripTimeMs,
} from './report-block.js';
