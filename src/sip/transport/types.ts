import type { SipMessage } from '../message/types.js';
import type { TransportError } from './transport-error.js';

/** The SIP transports Atende speaks. */
export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface TransportAddress {
  protocol: TransportProtocol;
  /** IP address as a plain string ("127.0.0.1", "::1"), never bracketed. */
  address: string;
  port: number;
}

/** A message as it arrived: who sent it, on which of our sockets, on which connection. */
export interface InboundMessage {
  message: SipMessage;
  source: TransportAddress;
  local: TransportAddress;
  /** Set for stream transports (tcp, tls, ws, wss): the connection it came on (a "flow", RFC 5626). */
  connectionId?: string;
  /** Clock time of arrival, ms. */
  receivedAt: number;
}

/** A message as it arrived, before parsing: what another thread needs to parse and answer it. */
export interface RawInbound {
  data: Buffer;
  source: TransportAddress;
  local: TransportAddress;
  connectionId?: string;
  /** The host our Warning headers name on this transport (for a 400 to an unparseable request). */
  warningHost: string;
}

/** Where to send a message. With connectionId the message goes on that connection if it is still open. */
export interface SendTarget {
  protocol: TransportProtocol;
  address: string;
  port: number;
  connectionId?: string;
}

/**
 * A response serialized once, with where it goes: a server transaction keeps only this (not the
 * parsed messages) while it lingers to answer retransmissions.
 */
export interface PreparedResponse {
  readonly bytes: Buffer;
  readonly target: SendTarget;
  /** The socket the request came in on (symmetric response). */
  readonly local?: TransportAddress;
  /**
   * May wait for the end of the loop turn, to leave with the turn's other bulk datagrams: an
   * answer to REGISTER, which a phone waits on for nothing but itself. Calls' messages go at once.
   */
  readonly bulk?: boolean;
}

/** What the transaction layer needs from the transport layer. */
export interface MessageSender {
  /** Sends a request or response; rejects with TransportError when it cannot be sent. */
  send(message: SipMessage, target: SendTarget): Promise<void>;
  /** Sends a response where RFC 3261 18.2.2 and RFC 3581 say (Via received/rport, or the connection it came on). */
  sendResponse(message: SipMessage, inbound?: InboundMessage): Promise<void>;
  /** What sendResponse would send, and where, without sending it; a TransportError when it has nowhere to go. */
  prepareResponse(message: SipMessage, inbound?: InboundMessage): PreparedResponse | TransportError;
  /** Sends a prepared response (again); rejects with TransportError when it cannot be sent. */
  sendPrepared(prepared: PreparedResponse): Promise<void>;
  /** Reliable transports (tcp, tls, ws, wss) need no retransmissions. */
  isReliable(protocol: TransportProtocol): boolean;
}

export function isReliableProtocol(protocol: TransportProtocol): boolean {
  return protocol !== 'udp';
}

/** What the transport layer has seen and done since it started. */
export interface TransportStats {
  /** Messages passed to onMessage. */
  received: number;
  /** Inbound messages or streams that could not be parsed or framed. */
  parseErrors: number;
  /** Inbound input discarded without an answer (refused sources, unanswerable parse errors). */
  dropped: number;
  sent: number;
  sendErrors: number;
  /** Stream connections open now. */
  connections: number;
}
