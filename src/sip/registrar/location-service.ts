/**
 * The location service: the bindings of every AOR, held in memory for lookups and written
 * through to a BindingStore so they survive a restart. REGISTER processing (RFC 3261 10.3)
 * is planned by planRegister and committed here all-or-nothing; changes to one AOR run one
 * at a time so a slow store never lets two REGISTERs interleave.
 */
import type { Clock, Logger, TimerHandle } from '../../core/index.js';
import type { HeaderField, SipRequest } from '../message/index.js';
import type { InboundMessage } from '../transport/types.js';
import { bindingQ, isConnectionBound } from './binding.js';
import type { Binding } from './binding.js';
import type { BindingStore } from './binding-store.js';
import type { BindingLookup } from './binding-replica.js';
import { planRegister } from './register-plan.js';
import type { PlannedRemoval, PlannedUpsert, RegistrarLimits, RemovalCause } from './register-plan.js';
import { readRegister } from './register-request.js';
import { okResponseHeaders } from './register-response.js';

export interface LocationServiceOptions extends Partial<RegistrarLimits> {
  clock: Clock;
  store: BindingStore;
  /** How often expired bindings are purged, ms (lookups skip them in between). Default 10 s. */
  purgeIntervalMs?: number;
  logger?: Logger;
}

export interface RegisterOutcome {
  status: number;
  reason: string;
  /** Header fields to add to the response (Contact list, Min-Expires, Require...). */
  headers: HeaderField[];
}

/** What happened to a binding: for presence and the event stream. */
export type BindingChange =
  | { kind: 'added'; binding: Binding }
  | { kind: 'updated'; binding: Binding; previous: Binding }
  | { kind: 'removed'; binding: Binding; cause: RemovalCause };

export type BindingChangeListener = (change: BindingChange) => void;

export const DEFAULT_LIMITS: RegistrarLimits = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
  maxContactsPerAor: 10,
};

export class LocationService implements BindingLookup {
  private readonly clock: Clock;
  private readonly store: BindingStore;
  private readonly limits: RegistrarLimits;
  private readonly purgeIntervalMs: number;
  private readonly logger: Logger | undefined;
  private readonly byAor = new Map<string, Binding[]>();
  /** Tail of the chain of pending operations per AOR. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<BindingChangeListener>();
  private started: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(options: LocationServiceOptions) {
    this.clock = options.clock;
    this.store = options.store;
    this.limits = {
      minExpires: options.minExpires ?? DEFAULT_LIMITS.minExpires,
      maxExpires: options.maxExpires ?? DEFAULT_LIMITS.maxExpires,
      defaultExpires: options.defaultExpires ?? DEFAULT_LIMITS.defaultExpires,
      maxContactsPerAor: options.maxContactsPerAor ?? DEFAULT_LIMITS.maxContactsPerAor,
    };
    this.purgeIntervalMs = options.purgeIntervalMs ?? 10_000;
    this.logger = options.logger;
  }

  /**
   * Loads the stored bindings and starts the purge timer; safe to call more than once.
   * Expired bindings, and those reachable only over a connection of the previous process
   * (WebSocket and outbound flows), are dropped from the store.
   */
  start(): Promise<void> {
    this.started ??= this.load();
    return this.started;
  }

  private async load(): Promise<void> {
    const now = this.clock.now();
    for (const b of await this.store.load()) {
      if (b.expiresAt <= now || isConnectionBound(b)) {
        await this.store.remove(b.aor, b.contact);
        continue;
      }
      // Connection ids name sockets of the process that wrote them; none survive a restart.
      const { connectionId: _dead, ...rest } = b;
      this.list(b.aor).push(rest);
    }
    if (!this.closed) this.schedulePurge();
  }

  /** Processes an authenticated REGISTER for `aor` (RFC 3261 10.3 steps 5-8). */
  async processRegister(req: SipRequest, inbound: InboundMessage, aor: string): Promise<RegisterOutcome> {
    try {
      await this.start();
    } catch (err) {
      // The store could not be read: answer 500 and let the next REGISTER try loading again.
      this.started = undefined;
      this.logger?.error({ err }, 'binding store load failed');
      return { status: 500, reason: 'Server Internal Error', headers: [] };
    }
    if (this.closed) return { status: 503, reason: 'Service Unavailable', headers: [] };
    const view = readRegister(req);
    if ('status' in view) return { ...view, headers: [] };
    return this.serialized(aor, async () => {
      const now = this.clock.now();
      const all = this.byAor.get(aor) ?? [];
      const live = all.filter((b) => b.expiresAt > now);
      const plan = planRegister(aor, live, view, inbound, this.limits, now);
      if (plan.kind === 'refusal') return { status: plan.status, reason: plan.reason, headers: plan.headers };
      const expired: PlannedRemoval[] = all
        .filter((b) => b.expiresAt <= now)
        .map((binding) => ({ binding, cause: 'expired' }));
      const removals = [...expired, ...plan.removals];
      try {
        await this.persist(removals, plan.upserts);
      } catch (err) {
        // RFC 3261 10.3 step 7: a failed commit fails the request and leaves no tentative change.
        this.logger?.error({ err, aor }, 'binding store write failed');
        return { status: 500, reason: 'Server Internal Error', headers: [] };
      }
      this.setList(aor, plan.bindings);
      for (const r of removals) this.emit({ kind: 'removed', binding: r.binding, cause: r.cause });
      for (const u of plan.upserts) {
        this.emit(u.previous ? { kind: 'updated', binding: u.binding, previous: u.previous } : { kind: 'added', binding: u.binding });
      }
      return {
        status: 200,
        reason: 'OK',
        headers: okResponseHeaders({
          bindings: plan.bindings,
          path: view.path,
          supportsOutbound: view.supportsOutbound,
          outbound: plan.outbound,
          now,
        }),
      };
    });
  }

  /** Writes the changes; on failure puts back what it had already written (best effort) and rethrows. */
  private async persist(removals: readonly PlannedRemoval[], upserts: readonly PlannedUpsert[]): Promise<void> {
    const undo: Array<() => Promise<void>> = [];
    try {
      for (const { binding } of removals) {
        await this.store.remove(binding.aor, binding.contact);
        undo.push(() => this.store.save(binding));
      }
      for (const { binding, previous } of upserts) {
        // A replaced flow may carry a new Contact URI: its old row goes (RFC 5626 6).
        if (previous && previous.contact !== binding.contact) {
          await this.store.remove(previous.aor, previous.contact);
          undo.push(() => this.store.save(previous));
        }
        await this.store.save(binding);
        undo.push(() => (previous?.contact === binding.contact ? this.store.save(previous) : this.store.remove(binding.aor, binding.contact)));
      }
    } catch (err) {
      for (const step of undo.reverse()) {
        try {
          await step();
        } catch {
          // The store is already failing; the purge and the next REGISTER will reconcile it.
        }
      }
      throw err;
    }
  }

  /** The unexpired bindings of an AOR, best first: q descending, then most recently updated. */
  lookup(aor: string): Binding[] {
    const now = this.clock.now();
    return (this.byAor.get(aor) ?? [])
      .filter((b) => b.expiresAt > now)
      .sort((a, b) => bindingQ(b) - bindingQ(a) || b.updatedAt - a.updatedAt);
  }

  /** The AOR's bindings as held now, expired ones not yet purged included (for a replica). */
  bindingsOf(aor: string): readonly Binding[] {
    return this.byAor.get(aor) ?? [];
  }

  /** Every unexpired binding of every AOR. */
  listAll(): Binding[] {
    const now = this.clock.now();
    const out: Binding[] = [];
    for (const list of this.byAor.values()) for (const b of list) if (b.expiresAt > now) out.push(b);
    return out;
  }

  /** Number of unexpired bindings. */
  count(): number {
    return this.listAll().length;
  }

  /** Subscribes to binding changes; returns the unsubscribe function. */
  onChange(listener: BindingChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Purges expired bindings from memory and from the store; resolves with how many went. */
  async expire(): Promise<number> {
    const now = this.clock.now();
    let purged = 0;
    const aors = [...this.byAor.entries()].filter(([, list]) => list.some((b) => b.expiresAt <= now)).map(([a]) => a);
    for (const aor of aors) {
      purged += await this.removeWhere(aor, (b) => (b.expiresAt <= this.clock.now() ? 'expired' : undefined));
    }
    return purged;
  }

  /**
   * A stream connection closed: bindings reachable only over it (WebSocket, outbound flows)
   * are removed; others on it keep their entry but forget the connection. Resolves with the
   * number removed.
   */
  async removeFlow(connectionId: string): Promise<number> {
    let removed = 0;
    const aors = [...this.byAor.entries()].filter(([, list]) => list.some((b) => b.connectionId === connectionId)).map(([a]) => a);
    for (const aor of aors) {
      removed += await this.serialized(aor, async () => {
        const list = this.byAor.get(aor) ?? [];
        const gone: Binding[] = [];
        const forgot: Array<{ binding: Binding; previous: Binding }> = [];
        const survivors: Binding[] = [];
        for (const b of list) {
          if (b.connectionId !== connectionId) survivors.push(b);
          else if (isConnectionBound(b)) gone.push(b);
          else {
            const { connectionId: _closed, ...rest } = b;
            survivors.push(rest);
            forgot.push({ binding: rest, previous: b });
          }
        }
        await this.tryStore(gone.map((b) => () => this.store.remove(b.aor, b.contact)));
        this.setList(aor, survivors);
        for (const binding of gone) this.emit({ kind: 'removed', binding, cause: 'flow-closed' });
        // Reachable still, by its address: an update, so a copy of the bindings learns it too.
        for (const { binding, previous } of forgot) this.emit({ kind: 'updated', binding, previous });
        return gone.length;
      });
    }
    return removed;
  }

  /** Stops the purge timer; later REGISTERs get 503. Safe to call twice. */
  close(): void {
    this.closed = true;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private async removeWhere(aor: string, why: (b: Binding) => RemovalCause | undefined): Promise<number> {
    return this.serialized(aor, async () => {
      const list = this.byAor.get(aor) ?? [];
      const gone: PlannedRemoval[] = [];
      const kept: Binding[] = [];
      for (const binding of list) {
        const cause = why(binding);
        if (cause) gone.push({ binding, cause });
        else kept.push(binding);
      }
      await this.tryStore(gone.map(({ binding: b }) => () => this.store.remove(b.aor, b.contact)));
      this.setList(aor, kept);
      for (const r of gone) this.emit({ kind: 'removed', binding: r.binding, cause: r.cause });
      return gone.length;
    });
  }

  /** Store writes whose failure must not keep a dead binding in memory: logged, not thrown. */
  private async tryStore(writes: Array<() => Promise<void>>): Promise<void> {
    for (const write of writes) {
      try {
        await write();
      } catch (err) {
        this.logger?.error({ err }, 'binding store write failed');
      }
    }
  }

  private schedulePurge(): void {
    this.timer = this.clock.setTimer(this.purgeIntervalMs, () => {
      if (this.closed) return;
      // The next sweep is armed first: a slow store only delays this one.
      this.schedulePurge();
      this.expire().catch((err: unknown) => this.logger?.error({ err }, 'binding purge failed'));
    });
  }

  /** Runs `op` after every earlier operation on the same AOR has finished. */
  private serialized<T>(aor: string, op: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(aor) ?? Promise.resolve();
    const result = previous.then(op, op);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(aor, tail);
    void tail.then(() => {
      if (this.queues.get(aor) === tail) this.queues.delete(aor);
    });
    return result;
  }

  private list(aor: string): Binding[] {
    let list = this.byAor.get(aor);
    if (!list) {
      list = [];
      this.byAor.set(aor, list);
    }
    return list;
  }

  private setList(aor: string, list: Binding[]): void {
    if (list.length === 0) this.byAor.delete(aor);
    else this.byAor.set(aor, list);
  }

  /** Listeners that throw are contained: one bad subscriber must not break registration. */
  private emit(change: BindingChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger?.error({ err }, 'binding change listener threw');
      }
    }
  }
}
