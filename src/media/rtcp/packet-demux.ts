/**
 * Telling packets apart on one port: RTP from RTCP under rtcp-mux (RFC 5761 4) and STUN,
 * DTLS and RTP/RTCP by their first byte (RFC 7983 7).
 */

export type PacketClass = 'stun' | 'dtls' | 'rtp' | 'rtcp' | 'unknown';

/**
 * True when an RTP/RTCP-looking packet is RTCP: its second byte (RTCP packet type, or RTP
 * marker + PT) falls in 192..223, i.e. RTP payload types 64..95 with the marker set
 * (RFC 5761 4), which is why those PTs must not be used for RTP under rtcp-mux.
 */
export function isRtcp(buf: Uint8Array): boolean {
  if (buf.length < 4 || buf[0]! >> 6 !== 2) return false;
  const pt = buf[1]!;
  return pt >= 192 && pt <= 223;
}

/** Classifies a datagram by its first byte (RFC 7983): 0-3 STUN, 20-63 DTLS, 128-191 RTP/RTCP. */
export function classifyPacket(buf: Uint8Array): PacketClass {
  if (buf.length === 0) return 'unknown';
  const b = buf[0]!;
  // A STUN header is 20 bytes; anything shorter cannot be one.
  if (b <= 3) return buf.length >= 20 ? 'stun' : 'unknown';
  // A DTLS record header is 13 bytes.
  if (b >= 20 && b <= 63) return buf.length >= 13 ? 'dtls' : 'unknown';
  if (b >= 128 && b <= 191) {
    if (isRtcp(buf)) return 'rtcp';
    return buf.length >= 12 ? 'rtp' : 'unknown';
  }
  // 16-19 ZRTP and 64-79 TURN channels are not spoken here.
  return 'unknown';
}
