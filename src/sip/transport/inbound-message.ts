/**
 * What the transport does with received bytes before the transaction layer sees them:
 * parse, stamp received/rport on a request's top Via (RFC 3261 18.2.1, RFC 3581 section 4),
 * and build the 400/505 a broken request deserves. No sockets here.
 */
import {
  createResponse,
  addHeader,
  formatRememberedVia,
  splitHeaderList,
  isParseError,
  parseMessage,
  topVia,
  type ParseLimits,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import { unbracketHost } from './response-routing.js';
import type { TransportAddress } from './types.js';

export type InboundResult =
  | { kind: 'message'; message: SipMessage }
  /** Not passed up: `response` (400/505) is sent back to the source when the request allows one. */
  | { kind: 'rejected'; reason: string; response?: SipResponse };

/** Warning text is a quoted-string: no CR/LF/controls, quotes and backslashes escaped. */
function quoteWarningText(text: string): string {
  const clean = text.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 200);
  return `"${clean.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * A 400 (or 505) for a request we could not accept, with `Warning: 399 host "reason"`
 * (RFC 3261 20.43). Undefined for ACK, which is never answered.
 */
export function buildRejection(
  request: SipRequest,
  reason: string,
  warningHost: string,
  versionNotSupported = false,
): SipResponse | undefined {
  if (request.method.toUpperCase() === 'ACK') return undefined;
  const response = versionNotSupported
    ? createResponse(request, 505, 'Version Not Supported')
    : createResponse(request, 400, 'Bad Request');
  addHeader(response, 'Warning', `399 ${warningHost} ${quoteWarningText(reason)}`);
  return response;
}

/**
 * RFC 3261 18.2.1: `received` when the sent-by host is not the source address; RFC 3581:
 * an empty `rport` gets the source port, and then `received` is always added.
 * Returns false when the request has no usable top Via.
 */
export function stampReceivedAndRport(request: SipRequest, source: TransportAddress): boolean {
  const via = topVia(request);
  if (!via) return false;
  const rportRequested = 'rport' in via.params && via.params['rport'] === null;
  const hostDiffers = unbracketHost(via.host).toLowerCase() !== source.address.toLowerCase();
  if (!hostDiffers && !rportRequested) return true;
  via.params['received'] = source.address;
  if (rportRequested) via.params['rport'] = String(source.port);

  // Replace the first Via value in its own field line; a line holding several comma-joined
  // Via values becomes one line per value. Other lines are left alone (this runs per request).
  const first = request.headers.findIndex((h) => h.name === 'Via' || h.name.toLowerCase() === 'via' || h.name.toLowerCase() === 'v');
  const field = request.headers[first];
  if (field === undefined) return false;
  const stamped = formatRememberedVia(via); // topVia gave this call its own copy
  if (field.value.indexOf(',') < 0) {
    request.headers[first] = { name: 'Via', value: stamped };
    return true;
  }
  const values = splitHeaderList(field.value);
  if (values.length === 0) return false;
  values[0] = stamped;
  request.headers.splice(first, 1, ...values.map((value) => ({ name: 'Via', value })));
  return true;
}

/** Parses one message (a datagram or a framed stream message) and prepares it for delivery. */
export function readInbound(
  data: Buffer,
  source: TransportAddress,
  warningHost: string,
  limits?: Partial<ParseLimits>,
): InboundResult {
  const parsed = parseMessage(data, limits);
  if (isParseError(parsed)) {
    const response = parsed.request
      ? buildRejection(parsed.request, parsed.reason, warningHost, parsed.versionNotSupported === true)
      : undefined;
    return response ? { kind: 'rejected', reason: parsed.reason, response } : { kind: 'rejected', reason: parsed.reason };
  }
  if (parsed.type === 'request' && !stampReceivedAndRport(parsed, source)) {
    return { kind: 'rejected', reason: 'missing or malformed Via' };
  }
  return { kind: 'message', message: parsed };
}

/**
 * For a stream that broke framing: a 400 built from its header block when that holds a
 * request, else undefined (the connection is just closed).
 */
export function rejectionForBrokenStream(head: Buffer | undefined, reason: string, warningHost: string): SipResponse | undefined {
  if (!head) return undefined;
  const parsed = parseMessage(head);
  const request = isParseError(parsed) ? parsed.request : parsed.type === 'request' ? parsed : undefined;
  return request ? buildRejection(request, reason, warningHost) : undefined;
}
