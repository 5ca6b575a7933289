export type { MediaParseError } from './parse-error.js';
export { isMediaParseError, mediaParseError } from './parse-error.js';
export { readU16, readU32, writeU16, writeU32 } from './network-byte-order.js';
export { RTP_SEQ_MOD, sequenceBefore, sequenceDelta, timestampDelta } from './sequence-arithmetic.js';
export type { RtpHeaderExtension, RtpPacket } from './rtp-packet.js';
export {
  RTP_FIXED_HEADER_LENGTH,
  RTP_VERSION,
  parseRtpPacket,
  rtpPacketLength,
  rtpParseErrors,
  serializeRtpPacket,
  writeRtpPacket,
} from './rtp-packet.js';
export {
  RtpHeaderView,
  rewriteRtpHeader,
  setRtpMarker,
  setRtpPayloadType,
  setRtpSequenceNumber,
  setRtpSsrc,
  setRtpTimestamp,
} from './rtp-header-view.js';
export type { RtpReceiveOutcome, RtpSequenceTrackerOptions } from './rtp-sequence-tracker.js';
export { MAX_DROPOUT, MAX_MISORDER, MIN_SEQUENTIAL, RtpSequenceTracker } from './rtp-sequence-tracker.js';
export type { RtpSenderOptions } from './rtp-sender.js';
export { RtpSender } from './rtp-sender.js';
export type { RtpStreamRewriterOptions } from './rtp-stream-rewriter.js';
export { RtpStreamRewriter } from './rtp-stream-rewriter.js';
