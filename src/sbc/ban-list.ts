/**
 * Automatic bans like fail2ban's asterisk jail: `failures` failed authentications within
 * `windowSeconds` ban the source for `banSeconds`. Trusted sources are never banned. Memory
 * stays bounded under a flood of distinct addresses: failure trackers are kept in order of
 * last failure (expired ones pruned from the front, the oldest evicted past the cap) and
 * bans are capped too.
 */
import { EventBus, type Clock } from '../core/index.js';
import { canonicalIpAddress, parseIpAddress, type IpAddress } from './cidr.js';

export interface Ban {
  /** Canonical address. */
  address: string;
  reason: string;
  /** Epoch ms. */
  since: number;
  /** Epoch ms when the ban ends. */
  until: number;
}

export interface BanThresholds {
  /** Failures that trigger a ban; default 5. */
  failures: number;
  /** Window the failures must fall in; default 600. */
  windowSeconds: number;
  /** Ban duration; default 600. */
  banSeconds: number;
}

export const defaultBanThresholds: BanThresholds = { failures: 5, windowSeconds: 600, banSeconds: 600 };

export interface BanListEvents {
  ban: Ban;
  lift: { address: string; reason: 'lifted' };
}

export interface BanListOptions extends Partial<BanThresholds> {
  clock: Clock;
  isTrusted?: (address: IpAddress) => boolean;
  /** Cap on addresses with failures being counted; default 10,000. */
  maxTrackedSources?: number;
  /** Cap on active bans; default 100,000 (the oldest goes first). */
  maxBans?: number;
  /** Called when a ban or lift listener throws. */
  onListenerError?: (err: unknown) => void;
}

export class BanList {
  private thresholds: BanThresholds;
  private readonly clock: Clock;
  private readonly isTrusted: (address: IpAddress) => boolean;
  private readonly maxTrackedSources: number;
  private readonly maxBans: number;
  /** Failure times per address, Map order = order of last failure. */
  private readonly failures = new Map<string, number[]>();
  private readonly bans = new Map<string, Ban>();
  private readonly events: EventBus<BanListEvents>;

  constructor(options: BanListOptions) {
    this.clock = options.clock;
    this.thresholds = { ...defaultBanThresholds, ...definedOnly(options) };
    this.isTrusted = options.isTrusted ?? (() => false);
    this.maxTrackedSources = options.maxTrackedSources ?? 10_000;
    this.maxBans = options.maxBans ?? 100_000;
    this.events = new EventBus<BanListEvents>((err) => options.onListenerError?.(err));
  }

  /** Subscribes to bans (to persist and log them) and manual lifts; returns the unsubscribe function. */
  on<K extends keyof BanListEvents>(event: K, listener: (payload: BanListEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Changes thresholds; running counts and bans are kept. */
  configure(thresholds: Partial<BanThresholds>): void {
    this.thresholds = { ...this.thresholds, ...definedOnly(thresholds) };
  }

  /** Counts a failed authentication from `address`; returns the ban when this failure triggered one. */
  recordFailure(address: string, reason: string): Ban | undefined {
    const parsed = parseIpAddress(address);
    if (!parsed || this.isTrusted(parsed)) return undefined;
    const key = canonicalIpAddress(address)!;
    if (this.activeBan(key)) return undefined;
    const now = this.clock.now();
    const windowMs = this.thresholds.windowSeconds * 1000;
    this.pruneFailures(now - windowMs);
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - windowMs);
    times.push(now);
    this.failures.delete(key);
    if (times.length >= this.thresholds.failures) {
      return this.put(key, this.thresholds.banSeconds, `${times.length} failures in ${this.thresholds.windowSeconds} s: ${reason}`);
    }
    this.failures.set(key, times.slice(-this.thresholds.failures));
    while (this.failures.size > this.maxTrackedSources) this.deleteFirst(this.failures);
    return undefined;
  }

  /** Bans `address` for `seconds` (replacing any ban it has); trusted sources are refused (undefined). */
  ban(address: string, seconds: number, reason: string): Ban | undefined {
    const parsed = parseIpAddress(address);
    if (!parsed || this.isTrusted(parsed) || !(seconds > 0)) return undefined;
    return this.put(canonicalIpAddress(address)!, seconds, reason);
  }

  isBanned(address: string): boolean {
    const key = canonicalIpAddress(address);
    return key !== undefined && this.activeBan(key) !== undefined;
  }

  /** isBanned for an address already in canonical form (formatIpAddress), skipping the re-parse per datagram. */
  isBannedCanonical(key: string): boolean {
    return this.activeBan(key) !== undefined;
  }

  /** The active ban of an address, if any. */
  get(address: string): Ban | undefined {
    const key = canonicalIpAddress(address);
    return key === undefined ? undefined : this.activeBan(key);
  }

  /** Active bans, soonest to end first. */
  list(): Ban[] {
    this.pruneBans();
    return [...this.bans.values()].sort((a, b) => a.until - b.until).map((b) => ({ ...b }));
  }

  /** Ends a ban and forgets the address's failures; false when it was not banned. */
  lift(address: string): boolean {
    const key = canonicalIpAddress(address);
    if (key === undefined) return false;
    this.failures.delete(key);
    const had = this.activeBan(key) !== undefined;
    this.bans.delete(key);
    if (had) this.events.emit('lift', { address: key, reason: 'lifted' });
    return had;
  }

  /** Number of active bans. */
  get size(): number {
    this.pruneBans();
    return this.bans.size;
  }

  /** Addresses whose failures are being counted (bounded). */
  get trackedSources(): number {
    return this.failures.size;
  }

  private put(key: string, seconds: number, reason: string): Ban {
    const now = this.clock.now();
    this.failures.delete(key);
    this.bans.delete(key);
    if (this.bans.size >= this.maxBans) {
      this.pruneBans();
      while (this.bans.size >= this.maxBans) this.deleteFirst(this.bans);
    }
    const ban: Ban = { address: key, reason, since: now, until: now + seconds * 1000 };
    this.bans.set(key, ban);
    this.events.emit('ban', { ...ban });
    return { ...ban };
  }

  private activeBan(key: string): Ban | undefined {
    const ban = this.bans.get(key);
    if (!ban) return undefined;
    if (ban.until > this.clock.now()) return ban;
    this.bans.delete(key);
    return undefined;
  }

  private pruneBans(): void {
    const now = this.clock.now();
    for (const [key, ban] of this.bans) if (ban.until <= now) this.bans.delete(key);
  }

  /** Drops trackers whose last failure is at or before `cutoff`; they sit at the front. */
  private pruneFailures(cutoff: number): void {
    for (const [key, times] of this.failures) {
      if (times[times.length - 1]! > cutoff) break;
      this.failures.delete(key);
    }
  }

  private deleteFirst(map: Map<string, unknown>): void {
    const first = map.keys().next();
    if (!first.done) map.delete(first.value);
  }
}

function definedOnly(t: Partial<BanThresholds>): Partial<BanThresholds> {
  const out: Partial<BanThresholds> = {};
  if (t.failures !== undefined) out.failures = t.failures;
  if (t.windowSeconds !== undefined) out.windowSeconds = t.windowSeconds;
  if (t.banSeconds !== undefined) out.banSeconds = t.banSeconds;
  return out;
}
