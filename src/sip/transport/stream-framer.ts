/**
 * Cuts a byte stream (TCP, TLS) into SIP messages by Content-Length (RFC 3261 18.3) and
 * recognises RFC 5626 3.5.1 CRLF keep-alives. Pure: bytes in, frames out; no sockets.
 */

export interface StreamFramerLimits {
  /** Largest whole message (start line, headers and body), bytes. */
  maxMessageBytes: number;
  /** Largest header block (start line and headers), bytes. */
  maxHeaderBytes: number;
}

export const defaultStreamFramerLimits: StreamFramerLimits = {
  maxMessageBytes: 65_535,
  maxHeaderBytes: 16_384,
};

export type StreamFrame =
  /** One complete message: header block plus exactly Content-Length bytes of body. */
  | { type: 'message'; data: Buffer }
  /** A "\r\n\r\n" keep-alive ping: the connection owner answers "\r\n" (pong). */
  | { type: 'ping' }
  /**
   * The stream broke framing and cannot be resynchronised: the owner closes the connection.
   * `head` is the header block (ending with the empty line) when one was read, so a 400 can be built.
   */
  | { type: 'error'; reason: string; head?: Buffer };

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');
const CR = 0x0d;
const LF = 0x0a;

type ContentLength = { ok: true; value: number } | { ok: false; reason: string };

/** Finds the Content-Length (or compact "l") value in a header block; streams require it. */
export function findContentLength(head: Buffer): ContentLength {
  const text = head.toString('latin1');
  const lines = text.split('\r\n');
  let found: number | undefined;
  // Line 0 is the start line.
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    const raw = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(raw)) return { ok: false, reason: 'Invalid Content-Length' };
    const value = Number(raw);
    if (found !== undefined && found !== value) return { ok: false, reason: 'Conflicting Content-Length' };
    found = value;
  }
  if (found === undefined) return { ok: false, reason: 'Missing Content-Length on a stream transport' };
  return { ok: true, value: found };
}

/** Stateful framer for one connection; after an error it yields nothing more. */
export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;
  private readonly limits: StreamFramerLimits;

  constructor(limits: Partial<StreamFramerLimits> = {}) {
    const merged = { ...defaultStreamFramerLimits, ...limits };
    // A header block can never be larger than a whole message.
    this.limits = { ...merged, maxHeaderBytes: Math.min(merged.maxHeaderBytes, merged.maxMessageBytes) };
  }

  /** Bytes held waiting for the rest of a message. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Feeds bytes; returns every frame they complete, in order. */
  push(chunk: Buffer): StreamFrame[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: StreamFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) break;
      frames.push(frame);
      if (frame.type === 'error') {
        this.failed = true;
        this.buffer = Buffer.alloc(0);
        break;
      }
    }
    return frames;
  }

  private next(): StreamFrame | undefined {
    const skipped = this.skipLeadingCrlf();
    if (skipped) return skipped;
    if (this.buffer.length === 0) return undefined;

    const headerEnd = this.buffer.indexOf(CRLFCRLF);
    if (headerEnd < 0) {
      if (this.buffer.length > this.limits.maxHeaderBytes) return { type: 'error', reason: 'Header block too long' };
      return undefined;
    }
    const headLength = headerEnd + CRLFCRLF.length;
    const head = this.buffer.subarray(0, headLength);
    if (headLength > this.limits.maxHeaderBytes) return { type: 'error', reason: 'Header block too long', head };
    const contentLength = findContentLength(head.subarray(0, headerEnd));
    if (!contentLength.ok) return { type: 'error', reason: contentLength.reason, head };
    const total = headLength + contentLength.value;
    if (total > this.limits.maxMessageBytes) return { type: 'error', reason: 'Message too large', head };
    if (this.buffer.length < total) return undefined;
    // Copy so the emitted message does not pin the (possibly large) receive buffer.
    const data = Buffer.from(this.buffer.subarray(0, total));
    this.buffer = this.buffer.subarray(total);
    return { type: 'message', data };
  }

  /**
   * Between messages: "\r\n\r\n" is a ping; a lone "\r\n" is stray (RFC 3261 7.5 lets
   * senders put CRLFs before a start line) and is skipped. Waits when it cannot tell yet.
   */
  private skipLeadingCrlf(): StreamFrame | undefined {
    for (;;) {
      const b = this.buffer;
      if (b.length >= 4 && b.subarray(0, 4).equals(CRLFCRLF)) {
        this.buffer = b.subarray(4);
        return { type: 'ping' };
      }
      if (b.length >= 2 && b[0] === CR && b[1] === LF) {
        // "\r\n" then possibly the rest of a ping: wait until the next bytes decide.
        if (b.length === 2 || (b.length === 3 && b[2] === CR)) return undefined;
        this.buffer = b.subarray(CRLF.length);
        continue;
      }
      // A bare LF between messages is tolerated as well.
      if (b.length >= 1 && b[0] === LF) {
        this.buffer = b.subarray(1);
        continue;
      }
      return undefined;
    }
  }
}
