/**
 * IP address families as the rest of the stack decides them: which of our addresses (Via
 * sent-by, Contact, SDP c=) a peer must be given. An IPv4 peer seen through a dual-stack "::"
 * socket (`::ffff:192.0.2.1`) is IPv4.
 */
import { isIPv4, isIPv6 } from 'node:net';

export type AddressFamily = 'IPv4' | 'IPv6';

const MAPPED_PREFIX = '::ffff:';

/** `[2001:db8::1]` -> `2001:db8::1`; anything else unchanged. */
function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::ffff:192.0.2.1` -> `192.0.2.1` (an IPv4 peer on a dual-stack socket); anything else unchanged. */
export function plainAddress(address: string): string {
  const bare = unbracket(address);
  if (bare.length > MAPPED_PREFIX.length && bare.slice(0, MAPPED_PREFIX.length).toLowerCase() === MAPPED_PREFIX) {
    const v4 = bare.slice(MAPPED_PREFIX.length);
    if (isIPv4(v4)) return v4;
  }
  return bare;
}

/** The family of an IP literal (bracketed or not, mapped IPv4 counted as IPv4); undefined for a name. */
export function addressFamilyOf(address: string): AddressFamily | undefined {
  const plain = plainAddress(address);
  if (isIPv4(plain)) return 'IPv4';
  if (isIPv6(plain)) return 'IPv6';
  return undefined;
}
