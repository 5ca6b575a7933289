/** DTLS record framing (RFC 6347 4.1): a 13-byte header, then the (possibly protected) fragment. */

export const ContentType = {
  changeCipherSpec: 20,
  alert: 21,
  handshake: 22,
  applicationData: 23,
} as const;

/** DTLS 1.2 on the wire is {254, 253}; DTLS 1.0 {254, 255} appears in first hellos and HelloVerifyRequest. */
export const DTLS_1_2 = 0xfefd;
export const DTLS_1_0 = 0xfeff;

export const RECORD_HEADER_LENGTH = 13;
/** Largest fragment RFC 6347 allows in a record (2^14 plus expansion); anything longer is malformed. */
const MAX_RECORD_FRAGMENT = 16384 + 2048;

export interface DtlsRecord {
  contentType: number;
  version: number;
  epoch: number;
  /** The 48-bit record sequence number, exact in a JS number. */
  sequenceNumber: number;
  /** A view into the datagram. */
  fragment: Buffer;
}

/**
 * Splits a datagram into records. A malformed record ends the walk (RFC 6347 4.1.2.7: invalid
 * records are discarded silently); the records before it are still returned.
 */
export function parseRecords(datagram: Buffer): DtlsRecord[] {
  const records: DtlsRecord[] = [];
  let pos = 0;
  while (datagram.length - pos >= RECORD_HEADER_LENGTH) {
    const contentType = datagram.readUInt8(pos);
    const version = datagram.readUInt16BE(pos + 1);
    const length = datagram.readUInt16BE(pos + 11);
    if (contentType < 20 || contentType > 23) break;
    if ((version !== DTLS_1_2 && version !== DTLS_1_0) || length > MAX_RECORD_FRAGMENT) break;
    if (pos + RECORD_HEADER_LENGTH + length > datagram.length) break;
    records.push({
      contentType,
      version,
      epoch: datagram.readUInt16BE(pos + 3),
      sequenceNumber: datagram.readUIntBE(pos + 5, 6),
      fragment: datagram.subarray(pos + RECORD_HEADER_LENGTH, pos + RECORD_HEADER_LENGTH + length),
    });
    pos += RECORD_HEADER_LENGTH + length;
  }
  return records;
}

/** Writes a record header into `out` at `offset`. */
export function writeRecordHeader(
  out: Buffer,
  offset: number,
  contentType: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  length: number,
): void {
  out.writeUInt8(contentType, offset);
  out.writeUInt16BE(version, offset + 1);
  out.writeUInt16BE(epoch, offset + 3);
  out.writeUIntBE(sequenceNumber, offset + 5, 6);
  out.writeUInt16BE(length, offset + 11);
}

/** One record as bytes. */
export function serializeRecord(
  contentType: number,
  version: number,
  epoch: number,
  sequenceNumber: number,
  fragment: Uint8Array,
): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_LENGTH + fragment.length);
  writeRecordHeader(out, 0, contentType, version, epoch, sequenceNumber, fragment.length);
  out.set(fragment, RECORD_HEADER_LENGTH);
  return out;
}

/** RFC 7983 demultiplexing: a first byte in 20..63 is DTLS (STUN is 0..3, RTP/RTCP 128..191). */
export function isDtlsPacket(datagram: Uint8Array): boolean {
  const first = datagram[0];
  return first !== undefined && first >= 20 && first <= 63;
}
