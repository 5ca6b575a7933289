/**
 * Message bodies outlive the datagram they came in: a call keeps its 200's SDP for
 * retransmissions, the callee's answer, the offer it sent. A small `Buffer.from()` is a slice of
 * Node's shared 8 KB pool, and one kept slice keeps the whole slab: held calls kept ~7 KB each
 * that way. A body gets memory of its own, sized exactly.
 */
export const EMPTY_BODY: Buffer = Buffer.alloc(0);

/** A copy of `src` (bytes or UTF-8 text) that shares no memory with anything else. */
export function ownedBody(src: Uint8Array | string): Buffer {
  if (typeof src === 'string') {
    if (src.length === 0) return EMPTY_BODY;
    const out = Buffer.allocUnsafeSlow(Buffer.byteLength(src, 'utf8'));
    out.write(src, 0, 'utf8');
    return out;
  }
  if (src.length === 0) return EMPTY_BODY;
  const out = Buffer.allocUnsafeSlow(src.length);
  out.set(src);
  return out;
}
