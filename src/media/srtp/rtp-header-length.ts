/**
 * Length of the RTP header that SRTP leaves in the clear: fixed header, CSRCs and the header
 * extension (RFC 3550 5.1, 5.3.1). -1 when the packet is not RTP version 2 or is truncated.
 */
export function rtpHeaderLength(packet: Uint8Array, length = packet.length): number {
  if (length < 12) return -1;
  const b0 = packet[0] ?? 0;
  if (b0 >> 6 !== 2) return -1;
  let n = 12 + 4 * (b0 & 0x0f);
  if (b0 & 0x10) {
    if (length < n + 4) return -1;
    const words = ((packet[n + 2] ?? 0) << 8) | (packet[n + 3] ?? 0);
    n += 4 + 4 * words;
  }
  return n > length ? -1 : n;
}
