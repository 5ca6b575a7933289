/**
 * Finding message boundaries on stream transports (TCP, TLS; RFC 3261 18.3): the header
 * section ends at the empty line and Content-Length, mandatory on streams, gives the body.
 */
import { DEFAULT_PARSE_LIMITS, findHeadSection } from './message-parser.js';
import type { ParseLimits } from './message-parser.js';
import { isParseError, parseError } from './types.js';
import type { ParseError } from './types.js';

/** One message found at the front of a stream buffer. */
export interface StreamFrame {
  /** Bytes to take from the front of the buffer for this message (leading CRLFs included). */
  length: number;
  /** True when the frame is only CRLF keep-alives (RFC 5626 4.4.1) and carries no message. */
  keepAlive: boolean;
}

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d{1,10})[ \t]*\r?$/im;

/**
 * Looks at the front of a stream buffer: a complete frame, undefined when more bytes are
 * needed, or a ParseError when the stream cannot be framed (the connection should close).
 */
export function frameStreamMessage(buffer: Buffer, limits?: Partial<ParseLimits>): StreamFrame | ParseError | undefined {
  const lim = limits === undefined ? DEFAULT_PARSE_LIMITS : { ...DEFAULT_PARSE_LIMITS, ...limits };
  const head = findHeadSection(buffer, lim.maxHeaderLineBytes, lim.maxMessageBytes);
  if (head === undefined) {
    // Only CRLFs so far: hand them back as a keep-alive so the buffer does not grow.
    if (buffer.length > 0 && buffer.every((b) => b === 0x0d || b === 0x0a)) return { length: buffer.length, keepAlive: true };
    return undefined;
  }
  if (isParseError(head)) return head;
  if (head.start > 0) return { length: head.start, keepAlive: true };
  const text = buffer.toString('latin1', head.start, head.headEnd).replace(/\r?\n[ \t]+/g, ' ');
  const m = CONTENT_LENGTH.exec(text);
  if (m === null) return parseError('Content-Length missing on a stream');
  const length = Number(m[1]);
  if (length > lim.maxBodyBytes) return parseError('body too large');
  const total = head.bodyStart + length;
  if (total > lim.maxMessageBytes) return parseError('message too large');
  return buffer.length >= total ? { length: total, keepAlive: false } : undefined;
}
