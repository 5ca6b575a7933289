/**
 * A registration binding (RFC 3261 10): one contact of an address-of-record, with what
 * RFC 5626 and RFC 3327 add (instance-id, reg-id, the flow it came on, the Path).
 */
import type { TransportAddress } from '../transport/types.js';

export interface Binding {
  /** The address-of-record: the extension number. */
  aor: string;
  /** The Contact URI as the UA wrote it (no header parameters); the Request-URI to reach it. */
  contact: string;
  /** Clock time (ms) when the binding lapses. */
  expiresAt: number;
  /** Contact q-value 0..1; absent when the UA gave none (ranked as 1.0). */
  q?: number;
  callId: string;
  cseq: number;
  /** +sip.instance value without the surrounding quotes, e.g. "<urn:uuid:...>" (RFC 5626 4.1). */
  instanceId?: string;
  /** reg-id, kept only when outbound processing applied to this binding (RFC 5626 6). */
  regId?: number;
  /** Path header values, first is the proxy nearest to us (RFC 3327); empty when none. */
  path: string[];
  /** Where the REGISTER came from: the flow (RFC 5626) or the NAT's public side. */
  source: TransportAddress;
  /** The stream connection the REGISTER arrived on (tcp, tls, ws, wss). */
  connectionId?: string;
  userAgent?: string;
  /** Clock time (ms) of the last REGISTER that created or refreshed it. */
  updatedAt: number;
}

/** Ranking value of a binding: RFC 3261 leaves q unset as "no preference", ranked like 1.0. */
export function bindingQ(b: Binding): number {
  return b.q ?? 1;
}

/**
 * True when the UA can only be reached over the connection it registered on: WebSocket
 * clients (RFC 7118: a browser cannot accept connections) and RFC 5626 outbound flows over a
 * stream. A binding learned through a Path is reached via that proxy, never bound to our
 * connection with it.
 */
export function isConnectionBound(b: Binding): boolean {
  if (b.path.length > 0 || b.connectionId === undefined) return false;
  const p = b.source.protocol;
  return p === 'ws' || p === 'wss' || (b.regId !== undefined && p !== 'udp');
}
