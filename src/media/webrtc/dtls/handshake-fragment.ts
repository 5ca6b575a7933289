/** DTLS handshake message framing, fragmentation and reassembly (RFC 6347 4.2.2, 4.2.3). */

export const HandshakeType = {
  helloRequest: 0,
  clientHello: 1,
  serverHello: 2,
  helloVerifyRequest: 3,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
  certificateVerify: 15,
  clientKeyExchange: 16,
  finished: 20,
} as const;

export const HANDSHAKE_HEADER_LENGTH = 12;
/** Handshake messages we accept are small (certificates of a few KB); this bounds buffering. */
const MAX_MESSAGE_LENGTH = 32 * 1024;
/** How far ahead of the expected message_seq we buffer (RFC 6347 4.2.2 allows dropping them). */
const MAX_SEQ_AHEAD = 8;

export interface HandshakeFragment {
  msgType: number;
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  fragmentLength: number;
  body: Buffer;
}

/** A whole handshake message. */
export interface HandshakeMessage {
  msgType: number;
  messageSeq: number;
  body: Buffer;
}

/** Splits a handshake record's plaintext into fragments; undefined if any header is malformed. */
export function parseHandshakeFragments(data: Buffer): HandshakeFragment[] | undefined {
  const out: HandshakeFragment[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (data.length - pos < HANDSHAKE_HEADER_LENGTH) return undefined;
    const msgType = data.readUInt8(pos);
    const length = data.readUIntBE(pos + 1, 3);
    const messageSeq = data.readUInt16BE(pos + 4);
    const fragmentOffset = data.readUIntBE(pos + 6, 3);
    const fragmentLength = data.readUIntBE(pos + 9, 3);
    const start = pos + HANDSHAKE_HEADER_LENGTH;
    if (start + fragmentLength > data.length || fragmentOffset + fragmentLength > length) return undefined;
    out.push({ msgType, length, messageSeq, fragmentOffset, fragmentLength, body: data.subarray(start, start + fragmentLength) });
    pos = start + fragmentLength;
  }
  return out;
}

/** The message as one unfragmented piece: the form the transcript hash covers (RFC 6347 4.2.6). */
export function serializeHandshake(msgType: number, messageSeq: number, body: Uint8Array): Buffer {
  return serializeFragment(msgType, messageSeq, body, 0, body.length);
}

/** One fragment of `body` with its header. */
export function serializeFragment(msgType: number, messageSeq: number, body: Uint8Array, offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(HANDSHAKE_HEADER_LENGTH + length);
  out.writeUInt8(msgType, 0);
  out.writeUIntBE(body.length, 1, 3);
  out.writeUInt16BE(messageSeq, 4);
  out.writeUIntBE(offset, 6, 3);
  out.writeUIntBE(length, 9, 3);
  out.set(body.subarray(offset, offset + length), HANDSHAKE_HEADER_LENGTH);
  return out;
}

/** Splits a message into fragments whose bodies are at most `maxBody` bytes. */
export function fragmentHandshake(msgType: number, messageSeq: number, body: Uint8Array, maxBody: number): Buffer[] {
  if (body.length === 0) return [serializeFragment(msgType, messageSeq, body, 0, 0)];
  const out: Buffer[] = [];
  for (let off = 0; off < body.length; off += maxBody) {
    out.push(serializeFragment(msgType, messageSeq, body, off, Math.min(maxBody, body.length - off)));
  }
  return out;
}

interface PartialMessage {
  msgType: number;
  body: Buffer;
  /** One flag per byte: handshake messages are small, and overlapping fragments are legal. */
  covered: Uint8Array;
  missing: number;
}

/**
 * Collects fragments by message_seq and hands back whole messages in order. Fragments of
 * messages already delivered are reported as retransmissions so the caller can resend its flight.
 */
export class HandshakeReassembler {
  private readonly partial = new Map<number, PartialMessage>();
  /** Next message_seq to deliver; undefined while a server waits for any ClientHello. */
  nextSeq: number | undefined;

  constructor(nextSeq: number | undefined) {
    this.nextSeq = nextSeq;
  }

  /** Adds a fragment; returns 'old' for a message already delivered, 'invalid' for a bad one. */
  add(f: HandshakeFragment): 'ok' | 'old' | 'invalid' {
    if (this.nextSeq === undefined) {
      // Before the handshake begins only a ClientHello means anything (stateless cookie exchange).
      if (f.msgType !== HandshakeType.clientHello) return 'invalid';
    } else {
      if (f.messageSeq < this.nextSeq) return 'old';
      if (f.messageSeq >= this.nextSeq + MAX_SEQ_AHEAD) return 'invalid';
    }
    if (f.length > MAX_MESSAGE_LENGTH) return 'invalid';
    let p = this.partial.get(f.messageSeq);
    if (!p) {
      p = { msgType: f.msgType, body: Buffer.alloc(f.length), covered: new Uint8Array(f.length), missing: f.length };
      this.partial.set(f.messageSeq, p);
    } else if (p.msgType !== f.msgType || p.body.length !== f.length) {
      return 'invalid';
    }
    f.body.copy(p.body, f.fragmentOffset);
    for (let i = f.fragmentOffset; i < f.fragmentOffset + f.fragmentLength; i++) {
      if (p.covered[i] === 0) {
        p.covered[i] = 1;
        p.missing--;
      }
    }
    return 'ok';
  }

  /** The next whole message in order, if it has arrived. */
  next(): HandshakeMessage | undefined {
    if (this.nextSeq === undefined) {
      // Any complete ClientHello will do; the caller decides whether it starts the handshake.
      for (const [seq, p] of this.partial) {
        if (p.missing === 0) {
          this.partial.delete(seq);
          return { msgType: p.msgType, messageSeq: seq, body: p.body };
        }
      }
      return undefined;
    }
    const p = this.partial.get(this.nextSeq);
    if (!p || p.missing !== 0) return undefined;
    this.partial.delete(this.nextSeq);
    const msg = { msgType: p.msgType, messageSeq: this.nextSeq, body: p.body };
    this.nextSeq++;
    return msg;
  }

  /** Forgets everything buffered (after a HelloVerifyRequest the server keeps no state). */
  clear(): void {
    this.partial.clear();
  }
}
