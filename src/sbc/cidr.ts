import { formatIpv6Groups } from '../core/ipv6-text.js';

/**
 * IPv4 and IPv6 addresses and CIDR blocks, as 32- or 128-bit integers. An IPv4-mapped IPv6
 * address (::ffff:1.2.3.4, what a dual-stack socket reports for IPv4 peers) is the IPv4
 * address, so one rule and one ban cover both spellings.
 */
export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export interface Cidr {
  family: 4 | 6;
  /** The network, host bits cleared. */
  network: bigint;
  prefix: number;
}

const hexGroup = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): bigint | undefined {
  // A hand loop: this runs per datagram, and a regular expression costs several times more.
  const n = text.length;
  if (n < 7 || n > 15) return undefined;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // Leading zeros are refused: some stacks read them as octal.
      if (digits === 1 && part === 0) return undefined;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return undefined;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return BigInt(value * 256 + part);
}

function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else {
      if (!hexGroup.test(part)) return undefined;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(text: string): bigint | undefined {
  if (text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  // Only the address's last 32 bits may be written as dotted IPv4.
  const head = parseGroups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) value = (value << 16n) | BigInt(g);
  return value;
}

/** Parses an address ("1.2.3.4", "2001:db8::1", "[::1]", "fe80::1%eth0"); undefined when it is not one. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
  let t = text;
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  const v4 = parseIpv4(t);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const zone = t.indexOf('%');
  if (zone >= 0) t = t.slice(0, zone);
  const v6 = parseIpv6(t);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

/** The address in one canonical spelling (dotted IPv4, RFC 5952 IPv6), the key for bans and counters. */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 4) {
    const v = address.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((address.value >> s) & 0xffffn));
  return formatIpv6Groups(groups);
}

/** Canonical spelling of an address string, or undefined when it is not an address. */
export function canonicalIpAddress(text: string): string | undefined {
  const a = parseIpAddress(text);
  return a ? formatIpAddress(a) : undefined;
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128); host bits are cleared. */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  const addressText = (slash < 0 ? text : text.slice(0, slash)).trim();
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1).trim();
  if (addressText.includes('[')) return undefined;
  const t = addressText.includes('%') ? addressText.slice(0, addressText.indexOf('%')) : addressText;
  const v4 = parseIpv4(t);
  const v6 = v4 === undefined ? parseIpv6(t) : undefined;
  if (v4 === undefined && v6 === undefined) return undefined;
  let family: 4 | 6 = v4 !== undefined ? 4 : 6;
  let value = v4 ?? v6!;
  const width = family === 4 ? 32 : 128;
  let prefix = width;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > width) return undefined;
  }
  // An IPv4-mapped block is the IPv4 block, since addresses are matched mapped-to-IPv4.
  if (family === 6 && prefix >= 96 && value >> 32n === 0xffffn) {
    family = 4;
    value &= 0xffffffffn;
    prefix -= 96;
  }
  return { family, network: maskTo(value, family, prefix), prefix };
}

function maskTo(value: bigint, family: 4 | 6, prefix: number): bigint {
  const hostBits = BigInt((family === 4 ? 32 : 128) - prefix);
  return (value >> hostBits) << hostBits;
}

/** Whether `address` lies in `cidr`. */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  return cidr.family === address.family && maskTo(address.value, address.family, cidr.prefix) === cidr.network;
}

/** Text of a CIDR in canonical form ("10.0.0.0/8"). */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpAddress({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`;
}

/** A set of CIDR blocks; host entries (/32, /128) are looked up by key, blocks scanned. */
export class CidrSet {
  private readonly hosts = new Set<string>();
  private readonly blocks: Cidr[] = [];

  constructor(cidrs: Iterable<Cidr> = []) {
    for (const c of cidrs) {
      if (c.prefix === (c.family === 4 ? 32 : 128)) this.hosts.add(hostKey(c.family, c.network));
      else this.blocks.push(c);
    }
  }

  has(address: IpAddress): boolean {
    if (this.hosts.has(hostKey(address.family, address.value))) return true;
    for (const b of this.blocks) if (cidrContains(b, address)) return true;
    return false;
  }

  get size(): number {
    return this.hosts.size + this.blocks.length;
  }
}

function hostKey(family: 4 | 6, value: bigint): string {
  return `${family}:${value.toString(16)}`;
}
