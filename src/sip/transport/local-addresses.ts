/** Which addresses a listener answers on, and which host it advertises in Via sent-by. */
import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { addressFamilyOf, type AddressFamily } from './address-family.js';
import type { TransportAddress } from './types.js';

export function isWildcardAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '';
}

/** Interface addresses of one family, external ones first. */
function interfaceAddresses(ipv6: boolean): string[] {
  const external: string[] = [];
  const internal: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if ((info.family === 'IPv6') !== ipv6) continue;
      // Link-local IPv6 needs a scope id to be usable: not an address to advertise.
      if (ipv6 && info.address.toLowerCase().startsWith('fe80:')) continue;
      (info.internal ? internal : external).push(info.address);
    }
  }
  return [...external, ...internal];
}

/** A bound address with a wildcard host expanded to the machine's interface addresses. */
export function expandWildcard(bound: TransportAddress): TransportAddress[] {
  if (!isWildcardAddress(bound.address)) return [bound];
  const ipv6 = bound.address === '::';
  // A "::" socket is dual-stack on Linux by default: it answers on IPv4 addresses too.
  const addresses = ipv6 ? [...interfaceAddresses(false), ...interfaceAddresses(true)] : interfaceAddresses(false);
  return addresses.map((address) => ({ ...bound, address }));
}

/**
 * The host to put in Via sent-by (and our Contact) for a peer of `family`: the public host if
 * configured (unless it is an address of the other family), else the bound address, else for a
 * wildcard bind the first interface address of that family ("::" serves both families; without
 * `family`, the first of either). Bracketed when IPv6.
 */
export function advertisedHost(bound: TransportAddress, publicHost?: string, family?: AddressFamily): string {
  if (publicHost !== undefined && publicHost !== '') {
    const publicFamily = addressFamilyOf(publicHost);
    if (family === undefined || publicFamily === undefined || publicFamily === family) return publicHost;
  }
  let host = bound.address;
  if (isWildcardAddress(bound.address)) {
    const servesIPv6 = bound.address === '::';
    if (family === 'IPv6' && servesIPv6) host = interfaceAddresses(true)[0] ?? '::1';
    else if (family === 'IPv4') host = interfaceAddresses(false)[0] ?? '127.0.0.1';
    else host = expandWildcard(bound)[0]?.address ?? '127.0.0.1';
  }
  return isIPv6(host) ? `[${host}]` : host;
}

/** Whether a socket bound to `address` reaches peers of `family` ("::" is dual-stack on Linux). */
export function servesFamily(address: string, family: AddressFamily): boolean {
  if (address === '::') return true;
  if (isWildcardAddress(address)) return family === 'IPv4';
  return addressFamilyOf(address) === family;
}
