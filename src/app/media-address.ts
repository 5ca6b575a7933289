import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { AddressFamily, MediaAddresses } from '../call/index.js';

/** The machine's interface addresses as `os.networkInterfaces()` gives them (a seam for tests). */
export type InterfaceList = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** The first external interface address of a family (link-local IPv6 left out: it needs a scope), else loopback. */
function interfaceAddress(family: AddressFamily, interfaces: InterfaceList): string {
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) {
      if (!a.internal && a.family === family && !a.address.toLowerCase().startsWith('fe80')) return a.address;
    }
  }
  return family === 'IPv6' ? '::1' : '127.0.0.1';
}

/**
 * Where RTP binds and the address our SDP (c=) gives, per family of the far end. A wildcard
 * "::" bind serves both families (IPv4 endpoints on 0.0.0.0, IPv6 on "::"), "0.0.0.0" only IPv4,
 * a specific address only its own family. The advertised address is the public host when it
 * is an address of that family (a server behind 1:1 NAT), else the bind address, else for a
 * wildcard the first external interface address of the family (what Asterisk does without
 * `external_media_address`).
 */
export function mediaAddresses(sipBind: string, publicHost: string | undefined, interfaces: InterfaceList = networkInterfaces()): MediaAddresses {
  const publicOf = (family: AddressFamily): string | undefined =>
    publicHost !== undefined && (family === 'IPv4' ? isIPv4(publicHost) : isIPv6(publicHost)) ? publicHost : undefined;
  const wildcard = (family: AddressFamily) => ({
    bind: family === 'IPv4' ? '0.0.0.0' : '::',
    advertised: publicOf(family) ?? interfaceAddress(family, interfaces),
  });
  if (sipBind === '::') return { IPv4: wildcard('IPv4'), IPv6: wildcard('IPv6') };
  if (sipBind === '0.0.0.0' || sipBind === '') return { IPv4: wildcard('IPv4') };
  const family: AddressFamily = isIPv6(sipBind) ? 'IPv6' : 'IPv4';
  return { [family]: { bind: sipBind, advertised: publicOf(family) ?? sipBind } };
}
