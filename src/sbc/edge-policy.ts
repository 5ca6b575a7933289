/**
 * The edge of the SBC, before and just after parsing: static access rules, automatic bans,
 * per-source flood limits and scanner User-Agents, composed behind one object whose
 * configuration can be replaced while the server runs. Trusted sources skip bans and flood
 * limits; `deny` still applies to them (see access-list.ts).
 */
import { ConfigError, type Clock, type Logger } from '../core/index.js';
import { AccessList, type AccessVerdict } from './access-list.js';
import { BanList, defaultBanThresholds, type Ban, type BanThresholds } from './ban-list.js';
import { formatIpAddress, parseIpAddress } from './cidr.js';
import { defaultFloodLimits, FloodLimiter, type FloodLimits } from './flood-limiter.js';
import { defaultScannerUserAgents, ScannerDetector } from './scanner-detector.js';

export interface EdgePolicyConfig {
  /** Exempt from bans and flood limits (an office behind one NAT address, a carrier's proxy). */
  trusted: string[];
  /** When non-empty, only these (and trusted) sources pass. */
  allow: string[];
  /** Always dropped. */
  deny: string[];
  bans: BanThresholds;
  flood: {
    requests: number;
    windowSeconds: number;
    /** Consecutive over-limit windows after which the source is banned for bans.banSeconds; 0 never. */
    banAfterWindows: number;
  };
  /** Replaces the default scanner list when given. */
  scannerUserAgents?: string[];
  /** Also ban a source that sent a scanner User-Agent, so its next datagrams drop unparsed; default false. */
  banScanners?: boolean;
}

/** Configuration as written by an operator: anything left out takes the default. */
export interface EdgePolicyConfigInput {
  trusted?: string[];
  allow?: string[];
  deny?: string[];
  bans?: Partial<BanThresholds>;
  flood?: Partial<EdgePolicyConfig['flood']>;
  scannerUserAgents?: string[];
  banScanners?: boolean;
}

export const defaultEdgePolicyConfig: EdgePolicyConfig = {
  trusted: [],
  allow: [],
  deny: [],
  bans: { ...defaultBanThresholds },
  flood: {
    requests: defaultFloodLimits.requests,
    windowSeconds: defaultFloodLimits.windowSeconds,
    banAfterWindows: defaultFloodLimits.reportAfterWindows,
  },
};

interface SourceClass {
  /** Canonical address: the key of bans and flood windows. */
  key: string;
  verdict: AccessVerdict;
  trusted: boolean;
}

const sourceCacheSize = 4096;

export type EdgeDropReason = 'bad-address' | 'deny' | 'not-allowed' | 'banned' | 'flood' | 'scanner';

export interface EdgePolicyStats {
  accepted: number;
  dropped: Record<EdgeDropReason, number>;
  activeBans: number;
  /** Sources with counted auth failures / flood windows (both bounded). */
  trackedFailureSources: number;
  trackedFloodSources: number;
}

export interface AuthFailureDetail {
  /** Why it failed ('bad-response', 'unknown-user'...). */
  reason: string;
  username?: string;
  method?: string;
}

export interface EdgePolicyOptions {
  clock: Clock;
  logger: Logger;
  config?: EdgePolicyConfigInput;
  /** Bounds on per-source state (defaults in BanList and FloodLimiter). */
  maxTrackedSources?: number;
  maxBans?: number;
}

/** Fills defaults and validates; throws ConfigError naming each bad field under `path`. */
export function resolveEdgePolicyConfig(input: EdgePolicyConfigInput = {}, path = 'security'): EdgePolicyConfig {
  const config: EdgePolicyConfig = {
    trusted: [...(input.trusted ?? [])],
    allow: [...(input.allow ?? [])],
    deny: [...(input.deny ?? [])],
    bans: { ...defaultEdgePolicyConfig.bans, ...stripUndefined(input.bans ?? {}) },
    flood: { ...defaultEdgePolicyConfig.flood, ...stripUndefined(input.flood ?? {}) },
  };
  if (input.scannerUserAgents !== undefined) config.scannerUserAgents = [...input.scannerUserAgents];
  if (input.banScanners !== undefined) config.banScanners = input.banScanners;
  const issues: { path: string; message: string }[] = [];
  const positive = (value: number, at: string, allowZero = false): void => {
    if (!Number.isFinite(value) || (allowZero ? value < 0 : value <= 0)) {
      issues.push({ path: `${path}.${at}`, message: `must be a ${allowZero ? 'non-negative' : 'positive'} number` });
    }
  };
  positive(config.bans.failures, 'bans.failures');
  positive(config.bans.windowSeconds, 'bans.windowSeconds');
  positive(config.bans.banSeconds, 'bans.banSeconds');
  positive(config.flood.requests, 'flood.requests');
  positive(config.flood.windowSeconds, 'flood.windowSeconds');
  positive(config.flood.banAfterWindows, 'flood.banAfterWindows', true);
  if (issues.length > 0) throw new ConfigError(issues);
  // Parsing the lists reports their bad entries.
  new AccessList(config, path);
  return config;
}

export class EdgePolicy {
  private config: EdgePolicyConfig;
  private access: AccessList;
  private scanners: ScannerDetector;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Automatic and manual bans; list(), lift() and ban() for the CLI and API. */
  readonly bans: BanList;
  private readonly flood: FloodLimiter;
  private readonly sources = new Map<string, SourceClass>();
  private accepted = 0;
  private readonly dropped: Record<EdgeDropReason, number> = {
    'bad-address': 0,
    deny: 0,
    'not-allowed': 0,
    banned: 0,
    flood: 0,
    scanner: 0,
  };

  constructor(options: EdgePolicyOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.config = resolveEdgePolicyConfig(options.config);
    this.access = new AccessList(this.config);
    this.scanners = new ScannerDetector(this.config.scannerUserAgents ?? defaultScannerUserAgents);
    this.bans = new BanList({
      clock: this.clock,
      ...this.config.bans,
      // Reads this.access at call time, so update() takes effect at once.
      isTrusted: (a) => this.access.isTrusted(a),
      ...(options.maxTrackedSources === undefined ? {} : { maxTrackedSources: options.maxTrackedSources }),
      ...(options.maxBans === undefined ? {} : { maxBans: options.maxBans }),
      onListenerError: (err) => this.logger.error({ err }, 'ban listener failed'),
    });
    this.bans.on('ban', (ban) => {
      this.flood.forget(ban.address);
      this.logger.warn({ address: ban.address, reason: ban.reason, until: new Date(ban.until).toISOString() }, 'source banned');
    });
    this.bans.on('lift', ({ address }) => this.logger.info({ address }, 'ban lifted'));
    this.flood = new FloodLimiter({
      clock: this.clock,
      ...this.floodLimits(),
      ...(options.maxTrackedSources === undefined ? {} : { maxTrackedSources: options.maxTrackedSources }),
      onFlood: (address, windows) => {
        this.bans.ban(address, this.config.bans.banSeconds, `flood: over ${this.config.flood.requests} requests per ${this.config.flood.windowSeconds} s for ${windows} windows`);
      },
    });
  }

  /** Per datagram (or new connection), before parsing: deny list, allow list, bans, flood limit. */
  acceptSource(address: string): boolean {
    const source = this.classify(address);
    if (!source) return this.drop('bad-address');
    if (source.verdict !== 'pass') return this.drop(source.verdict);
    if (!source.trusted) {
      if (this.bans.isBannedCanonical(source.key)) return this.drop('banned');
      if (!this.flood.hit(source.key)) return this.drop('flood');
    }
    this.accepted++;
    return true;
  }

  /** After parsing a request: drops known scanners (optionally banning them). */
  inspectRequest(request: { address: string; userAgent?: string | undefined }): 'accept' | 'drop' {
    if (!this.scanners.isScanner(request.userAgent)) return 'accept';
    this.drop('scanner');
    this.logger.debug({ address: request.address, userAgent: request.userAgent }, 'scanner dropped');
    if (this.config.banScanners) this.bans.ban(request.address, this.config.bans.banSeconds, `scanner: ${request.userAgent ?? ''}`);
    return 'drop';
  }

  /** A failed authentication: logged with the source address and counted toward a ban. */
  authFailed(address: string, detail: AuthFailureDetail): Ban | undefined {
    this.logger.warn(
      { address, reason: detail.reason, username: detail.username, method: detail.method },
      'authentication failed',
    );
    return this.bans.recordFailure(address, detail.username ? `${detail.reason} (${detail.username})` : detail.reason);
  }

  /** Takes a new configuration at run time; bans and counters survive. Throws ConfigError, keeping the old one. */
  update(input: EdgePolicyConfigInput): void {
    const config = resolveEdgePolicyConfig(input);
    this.access = new AccessList(config);
    this.sources.clear();
    this.scanners = new ScannerDetector(config.scannerUserAgents ?? defaultScannerUserAgents);
    this.config = config;
    this.bans.configure(config.bans);
    this.flood.configure(this.floodLimits());
  }

  isTrusted(address: string): boolean {
    const parsed = parseIpAddress(address);
    return parsed !== undefined && this.access.isTrusted(parsed);
  }

  /** Subscribes to bans (to persist and report them); returns the unsubscribe function. */
  onBan(listener: (ban: Ban) => void): () => void {
    return this.bans.on('ban', listener);
  }

  stats(): EdgePolicyStats {
    return {
      accepted: this.accepted,
      dropped: { ...this.dropped },
      activeBans: this.bans.size,
      trackedFailureSources: this.bans.trackedSources,
      trackedFloodSources: this.flood.trackedSources,
    };
  }

  /** The configuration in force, defaults filled in. */
  currentConfig(): EdgePolicyConfig {
    return structuredClone(this.config);
  }

  /** Static facts about a source, cached (bounded) because parsing and CIDR scans cost more than the map hit. */
  private classify(address: string): SourceClass | undefined {
    const cached = this.sources.get(address);
    if (cached) return cached;
    const parsed = parseIpAddress(address);
    if (!parsed) return undefined;
    const source: SourceClass = {
      key: formatIpAddress(parsed),
      verdict: this.access.check(parsed),
      trusted: this.access.isTrusted(parsed),
    };
    // Evicting everything at the cap is cheap and keeps a flood of distinct sources bounded.
    if (this.sources.size >= sourceCacheSize) this.sources.clear();
    this.sources.set(address, source);
    return source;
  }

  private floodLimits(): Partial<FloodLimits> {
    return {
      requests: this.config.flood.requests,
      windowSeconds: this.config.flood.windowSeconds,
      reportAfterWindows: this.config.flood.banAfterWindows,
    };
  }

  private drop(reason: EdgeDropReason): false {
    this.dropped[reason]++;
    return false;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

