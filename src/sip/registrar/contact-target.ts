/**
 * How to reach a registered contact. A UA behind NAT writes its private address in Contact;
 * requests must go back on the flow the REGISTER came from instead (what Asterisk calls
 * nat=force_rport,comedia and Kamailio fix_nated_register; RFC 5626 makes it the rule).
 *
 * The rule, in order:
 *  1. A binding learned through a Path (RFC 3327) is reached via that proxy: the flow it
 *     sent the REGISTER on, with the Path values as the route set.
 *  2. The flow (source address/port, and the connection for streams) is used when
 *     - the REGISTER came over a stream (tcp, tls, ws, wss): reuse the connection, which is
 *       the only way to reach a WebSocket client or a client behind NAT or firewall;
 *     - the binding is an RFC 5626 outbound flow (instance-id and reg-id);
 *     - the Contact host is not the source address (NAT rewrote it, or it is a name).
 *  3. Otherwise the Contact URI itself: its host, its port (default 5060, 5061 for sips)
 *     and its transport parameter (udp unless given; tls for sips).
 * In every case the Request-URI is the Contact URI as registered (RFC 3261 16.5).
 */
import { isParseError, parseUri } from '../message/index.js';
import type { SipUri } from '../message/index.js';
import type { SendTarget, TransportProtocol } from '../transport/types.js';
import type { Binding } from './binding.js';

export interface ContactTarget {
  /** Where to send (protocol, address, port; connectionId when a stream flow is reused). */
  target: SendTarget;
  /** Request-URI for requests to this contact: the registered Contact URI. */
  requestUri: string;
  /** Route set to put in Route headers: the registered Path, empty when none. */
  route: string[];
  /** True when the flow is used instead of the Contact's own address. */
  viaFlow: boolean;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Transport named by a SIP URI (RFC 3261 18 and RFC 7118 for ws/wss). */
function uriProtocol(uri: SipUri): TransportProtocol {
  const t = (uri.params['transport'] ?? '').toLowerCase();
  if (uri.scheme === 'sips') return t === 'ws' || t === 'wss' ? 'wss' : 'tls';
  if (t === 'tcp' || t === 'tls' || t === 'ws' || t === 'wss') return t;
  return 'udp';
}

function defaultPort(protocol: TransportProtocol): number {
  if (protocol === 'tls') return 5061;
  if (protocol === 'ws') return 80;
  if (protocol === 'wss') return 443;
  return 5060;
}

function flowTarget(b: Binding): SendTarget {
  const t: SendTarget = { protocol: b.source.protocol, address: b.source.address, port: b.source.port };
  if (b.connectionId !== undefined) t.connectionId = b.connectionId;
  return t;
}

/** Where and how to send a request to this binding; see the rule above. */
export function contactTarget(b: Binding): ContactTarget {
  const base = { requestUri: b.contact, route: [...b.path] };
  const parsed = parseUri(b.contact);
  const sip = !isParseError(parsed) && (parsed.scheme === 'sip' || parsed.scheme === 'sips') ? (parsed as SipUri) : undefined;
  const stream = b.source.protocol !== 'udp';
  const outbound = b.instanceId !== undefined && b.regId !== undefined;
  const natted = !sip || stripBrackets(sip.host).toLowerCase() !== b.source.address.toLowerCase();
  if (b.path.length > 0 || stream || outbound || natted || !sip) {
    return { ...base, target: flowTarget(b), viaFlow: true };
  }
  const protocol = uriProtocol(sip);
  return {
    ...base,
    target: { protocol, address: stripBrackets(sip.host), port: sip.port ?? defaultPort(protocol) },
    viaFlow: false,
  };
}
