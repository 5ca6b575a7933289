/**
 * Where to send an INVITE for a plain SIP URI (not one of our extensions): the host's address
 * (an IP literal, or a name looked up as A/AAAA), the port (5060, 5061 for sips or TLS) and the
 * transport (`;transport=` or UDP), per RFC 3263's rules for a URI with an explicit or numeric
 * host. NAPTR/SRV lookups for carrier domains belong to the trunks of the SBC issue.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isParseError, parseUri } from '../../sip/message/index.js';
import type { TransportProtocol } from '../../sip/transport/types.js';
import type { ForkTarget } from '../signalling/types.js';

export type UriTargetResult = { ok: true; fork: ForkTarget } | { ok: false; reason: string };

function transportOf(param: string | null | undefined, secure: boolean): TransportProtocol | undefined {
  const t = (param ?? (secure ? 'tls' : 'udp')).toLowerCase();
  return t === 'udp' || t === 'tcp' || t === 'tls' || t === 'ws' || t === 'wss' ? t : undefined;
}

export async function forkForSipUri(uri: string): Promise<UriTargetResult> {
  const parsed = parseUri(uri);
  if (isParseError(parsed) || !('host' in parsed)) return { ok: false, reason: `not a SIP URI: ${uri}` };
  const secure = parsed.scheme === 'sips';
  const protocol = transportOf(parsed.params['transport'], secure);
  if (protocol === undefined) return { ok: false, reason: `unknown transport in ${uri}` };
  if (protocol === 'ws' || protocol === 'wss') return { ok: false, reason: 'WebSocket clients are reached where they registered' };
  const host = parsed.host.startsWith('[') ? parsed.host.slice(1, -1) : parsed.host;
  let address = host;
  if (isIP(host) === 0) {
    try {
      address = (await lookup(host)).address;
    } catch {
      return { ok: false, reason: `cannot resolve ${host}` };
    }
  }
  const port = parsed.port ?? (protocol === 'tls' ? 5061 : 5060);
  return { ok: true, fork: { requestUri: uri, target: { protocol, address, port } } };
}
