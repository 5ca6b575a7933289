import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * The address written in our SDP (c=) for RTP: the public host when it is an address (a server
 * behind 1:1 NAT), else the SIP bind address, else, for a wildcard bind, the first external
 * interface address of the same family (what Asterisk does without `external_media_address`).
 */
export function mediaAdvertisedAddress(sipBind: string, publicHost: string | undefined): string {
  if (publicHost !== undefined && isIP(publicHost) !== 0) return publicHost;
  const wildcard = sipBind === '0.0.0.0' || sipBind === '::';
  if (!wildcard) return sipBind;
  const family = sipBind === '::' ? 'IPv6' : 'IPv4';
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (!a.internal && a.family === family && !a.address.startsWith('fe80')) return a.address;
    }
  }
  return family === 'IPv6' ? '::1' : '127.0.0.1';
}
