/**
 * Where a response goes, from its top Via (RFC 3261 18.2.2, RFC 3581 section 4). Pure.
 */
import { cseq, serializeMessage, topVia } from '../message/index.js';
import type { SipMessage, Via } from '../message/types.js';
import type { InboundMessage, PreparedResponse, SendTarget, TransportProtocol } from './types.js';

const protocolsByViaTransport: Record<string, TransportProtocol> = {
  UDP: 'udp',
  TCP: 'tcp',
  TLS: 'tls',
  WS: 'ws',
  WSS: 'wss',
};

/** The transport named by a Via's sent-protocol ("UDP", "TLS"...), or undefined for ones we do not speak. */
export function protocolOfViaTransport(transport: string): TransportProtocol | undefined {
  return protocolsByViaTransport[transport.toUpperCase()];
}

/** The Via transport token for a protocol ("udp" -> "UDP"). */
export function viaTransportOf(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

/** RFC 3261 18.2.2 / 19.1.2: 5061 for TLS, 5060 otherwise; RFC 7118 WS ports follow HTTP. */
export function defaultPort(protocol: TransportProtocol): number {
  switch (protocol) {
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
    default:
      return 5060;
  }
}

/** "[::1]" -> "::1": sockets take bare IPv6 addresses. */
export function unbracketHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function numericParam(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 && n <= 65_535 ? n : undefined;
}

export type ResponseRoute =
  | { ok: true; target: SendTarget }
  | { ok: false; reason: string };

/**
 * The target for a response whose top Via is `via`. With `connectionId` (the request's
 * connection) a reliable response goes on it first; the address is the fallback when it closed.
 */
export function routeResponse(via: Via, connectionId?: string): ResponseRoute {
  const protocol = protocolOfViaTransport(via.transport);
  if (!protocol) return { ok: false, reason: `Unsupported Via transport ${via.transport}` };
  const sentByPort = via.port ?? defaultPort(protocol);
  const received = via.params['received'];
  const receivedHost = typeof received === 'string' && received !== '' ? unbracketHost(received) : undefined;
  const sentByHost = unbracketHost(via.host);

  if (protocol !== 'udp') {
    // 18.2.2: the connection the request came on; failing that, received (or sent-by) and the sent-by port.
    const target: SendTarget = { protocol, address: receivedHost ?? sentByHost, port: sentByPort };
    if (connectionId !== undefined) target.connectionId = connectionId;
    // RFC 3581 section 4: rport applies to reliable transports too when a new connection is needed.
    const rport = numericParam(via.params['rport']);
    if (rport !== undefined && receivedHost !== undefined) target.port = rport;
    return { ok: true, target };
  }

  const maddr = via.params['maddr'];
  if (typeof maddr === 'string' && maddr !== '') {
    return { ok: true, target: { protocol, address: unbracketHost(maddr), port: sentByPort } };
  }
  const rport = numericParam(via.params['rport']);
  if (rport !== undefined) {
    // RFC 3581 section 4: received address and rport port (symmetric response for NAT).
    return { ok: true, target: { protocol, address: receivedHost ?? sentByHost, port: rport } };
  }
  return { ok: true, target: { protocol, address: receivedHost ?? sentByHost, port: sentByPort } };
}

/**
 * A response serialized, with where it goes (its top Via, RFC 3261 18.2.2 and RFC 3581, or the
 * request's connection); the reason when it cannot go anywhere.
 */
export function prepareResponse(message: SipMessage, inbound?: InboundMessage): PreparedResponse | string {
  if (message.type !== 'response') return 'sendResponse takes a response';
  const via = topVia(message);
  if (!via) return 'Response has no usable Via';
  const route = routeResponse(via, inbound?.connectionId);
  if (!route.ok) return route.reason;
  const prepared: { -readonly [K in keyof PreparedResponse]: PreparedResponse[K] } = { bytes: serializeMessage(message), target: route.target };
  if (inbound !== undefined) prepared.local = inbound.local;
  if (cseq(message)?.method === 'REGISTER') prepared.bulk = true;
  return prepared;
}
