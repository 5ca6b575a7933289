/**
 * Static access rules by address and CIDR. The order is:
 *   1. a source in `deny` is dropped, even when it is also trusted or allowed (the explicit
 *      refusal is the narrower intent, e.g. one bad host inside a trusted /8);
 *   2. when `allow` is non-empty, only sources in `allow` or `trusted` pass;
 *   3. otherwise everyone passes (bans and flood limits still apply to untrusted sources).
 * `trusted` additionally exempts a source from bans and flood limits (see EdgePolicy).
 */
import { ConfigError } from '../core/index.js';
import { CidrSet, parseCidr, type Cidr, type IpAddress } from './cidr.js';

export interface AccessListConfig {
  trusted: readonly string[];
  allow: readonly string[];
  deny: readonly string[];
}

export type AccessVerdict = 'pass' | 'deny' | 'not-allowed';

/** Parses a list of CIDRs; each bad entry becomes an issue naming `path[index]`. */
export function parseCidrList(
  entries: readonly string[],
  path: string,
): { cidrs: Cidr[]; issues: { path: string; message: string }[] } {
  const cidrs: Cidr[] = [];
  const issues: { path: string; message: string }[] = [];
  entries.forEach((entry, index) => {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else issues.push({ path: `${path}[${index}]`, message: `"${String(entry)}" is not an IP address or CIDR block` });
  });
  return { cidrs, issues };
}

export class AccessList {
  private readonly trusted: CidrSet;
  private readonly allow: CidrSet;
  private readonly deny: CidrSet;

  /** Throws ConfigError naming every bad entry (configuration, not wire input). */
  constructor(config: AccessListConfig, path = 'security') {
    const trusted = parseCidrList(config.trusted, `${path}.trusted`);
    const allow = parseCidrList(config.allow, `${path}.allow`);
    const deny = parseCidrList(config.deny, `${path}.deny`);
    const issues = [...trusted.issues, ...allow.issues, ...deny.issues];
    if (issues.length > 0) throw new ConfigError(issues);
    this.trusted = new CidrSet(trusted.cidrs);
    this.allow = new CidrSet(allow.cidrs);
    this.deny = new CidrSet(deny.cidrs);
  }

  check(address: IpAddress): AccessVerdict {
    if (this.deny.has(address)) return 'deny';
    if (this.allow.size > 0 && !this.allow.has(address) && !this.trusted.has(address)) return 'not-allowed';
    return 'pass';
  }

  isTrusted(address: IpAddress): boolean {
    return this.trusted.has(address);
  }
}
