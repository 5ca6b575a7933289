import { isIPv4, isIPv6 } from 'node:net';
import { formatIpv6Groups } from '../../../core/ipv6-text.js';

/** An IP address and UDP/TCP port, as node:dgram reports a datagram's source. */
export interface TransportAddress {
  readonly address: string;
  readonly port: number;
}

/** The 4 or 16 bytes of an IP address string, or undefined when it is not one. */
export function ipToBytes(address: string): Buffer | undefined {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  const bare = address.split('%')[0] ?? '';
  if (!isIPv6(bare)) return undefined;
  let text = bare;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) fills the last two groups.
    tail = text.slice(lastColon + 1).split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const hi = head === '' ? [] : head.split(':');
  const lo = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - hi.length - lo.length;
  const groups = [...hi, ...Array<string>(zeros).fill('0'), ...lo];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  tail.forEach((b, i) => (out[12 + i] = b));
  return out;
}

/** Text form of 4 or 16 address bytes; IPv6 compressed as RFC 5952 says. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return formatIpv6Groups(groups);
}
