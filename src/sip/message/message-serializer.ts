/** Writes a message to wire bytes (RFC 3261 7): CRLF line ends, a correct Content-Length. */
import type { SipMessage } from './types.js';

const CRLF_INSIDE = /[\r\n]+/g;

/**
 * Serializes a message. Content-Length always equals body.length: it replaces the first
 * Content-Length field in place (others are dropped) or is added after the other headers.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  let head =
    msg.type === 'request'
      ? `${msg.method} ${msg.uri} ${msg.version}\r\n`
      : `${msg.version} ${msg.status} ${msg.reason}\r\n`;
  let wroteLength = false;
  for (const h of msg.headers) {
    if (h.name.length === 14 && h.name.toLowerCase() === 'content-length') {
      if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
      wroteLength = true;
      continue;
    }
    if (h.name === 'l' || h.name === 'L') continue;
    // A value carrying a raw line break would smuggle extra header lines onto the wire.
    const value = h.value.includes('\r') || h.value.includes('\n') ? h.value.replace(CRLF_INSIDE, ' ') : h.value;
    head += `${h.name}: ${value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  if (msg.body.length === 0) return Buffer.from(head, 'utf8');
  return Buffer.concat([Buffer.from(head, 'utf8'), msg.body]);
}
