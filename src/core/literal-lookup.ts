/**
 * A dgram `lookup` that resolves IP literals synchronously. dgram's default (dns.lookup) defers
 * every send to an IP address by a tick (and a closure, and async-hook bookkeeping): per RTP
 * packet, and per SIP message sent over UDP. Host names still go to the resolver.
 */
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

export function literalLookup(hostname: string, options: unknown, callback: LookupCallback): void {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, { family: typeof options === 'number' ? options : 0 }, callback);
}
