import { networkInterfaces } from 'node:os';

/**
 * Who "us" is: the configured domain plus every address and port Atende listens on, so a
 * phone configured with the server's IP instead of the domain works the same (RFC 3261
 * 10.3 step 1 and 16.4 leave "is this mine" to local policy).
 */
export class LocalIdentity {
  private readonly hosts = new Set<string>();
  private readonly ports = new Set<number>();
  private currentDomain = '';

  constructor(domain: string, opts: { bindAddress: string; ports: number[]; extraHosts?: string[] }) {
    this.setDomain(domain);
    for (const p of opts.ports) this.ports.add(p);
    for (const h of opts.extraHosts ?? []) this.hosts.add(normalizeHost(h));
    if (opts.bindAddress === '0.0.0.0' || opts.bindAddress === '::') {
      for (const list of Object.values(networkInterfaces())) {
        for (const ni of list ?? []) this.hosts.add(normalizeHost(ni.address));
      }
      this.hosts.add('localhost');
    } else {
      this.hosts.add(normalizeHost(opts.bindAddress));
    }
  }

  /** The SIP domain and digest realm. */
  get domain(): string {
    return this.currentDomain;
  }

  /** The domain changes when provisioning changes it; addresses stay. */
  setDomain(domain: string): void {
    if (this.currentDomain !== '') this.hosts.delete(normalizeHost(this.currentDomain));
    this.currentDomain = domain;
    this.hosts.add(normalizeHost(domain));
  }

  addPort(port: number): void {
    this.ports.add(port);
  }

  /** True when host (and port, when given) names this server. */
  isUs(host: string, port?: number): boolean {
    if (!this.hosts.has(normalizeHost(host))) return false;
    if (port === undefined) return true;
    // The domain may be reached on a port number written in the URI: accept any of ours.
    return this.ports.has(port);
  }
}

function normalizeHost(host: string): string {
  const h = host.toLowerCase();
  const unbracketed = h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  return unbracketed.startsWith('::ffff:') && unbracketed.includes('.') ? unbracketed.slice(7) : unbracketed;
}
