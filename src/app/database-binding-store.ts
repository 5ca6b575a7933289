import type { Clock, TimerHandle } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { RegistrationBinding, Store, StoredRegistration } from '../store/index.js';
import type { Binding, BindingStore } from '../sip/registrar/index.js';
import type { TransportAddress, TransportProtocol } from '../sip/transport/index.js';

const PROTOCOLS: ReadonlySet<string> = new Set<TransportProtocol>(['udp', 'tcp', 'tls', 'ws', 'wss']);

function toSource(r: StoredRegistration): TransportAddress {
  const s = r.received;
  // A row without a usable source is reached by its Contact (contactTarget falls back to it).
  if (!s || !PROTOCOLS.has(s.protocol)) return { protocol: 'udp', address: '0.0.0.0', port: 0 };
  return { protocol: s.protocol as TransportProtocol, address: s.address, port: s.port };
}

function toBinding(r: StoredRegistration): Binding {
  const b: Binding = {
    aor: r.aor,
    contact: r.contactUri,
    expiresAt: r.expiresAt,
    callId: r.callId,
    cseq: r.cseq,
    path: r.path,
    source: toSource(r),
    updatedAt: r.updatedAt,
  };
  if (r.q !== null) b.q = r.q;
  if (r.instanceId !== null) b.instanceId = r.instanceId;
  if (r.regId !== null) b.regId = r.regId;
  if (r.connectionId !== null) b.connectionId = r.connectionId;
  if (r.userAgent !== null) b.userAgent = r.userAgent;
  return b;
}

type PendingWrite = { op: 'save'; binding: Binding } | { op: 'remove'; aor: string; contact: string };

/**
 * The registrar's bindings kept in the database, so they survive a restart. Writes are
 * coalesced and flushed in one transaction every `flushMs` (the registrar's memory is the
 * truth while running): a phone re-registering every minute costs one row write per flush,
 * not one per REGISTER, and a crash loses at most `flushMs` of refreshes, which phones repeat.
 */
export class DatabaseBindingStore implements BindingStore {
  private readonly pending = new Map<string, PendingWrite>();
  private timer: TimerHandle | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly flushMs = 100,
  ) {}

  async load(): Promise<Binding[]> {
    await this.flush();
    return (await this.store.registrations.listAll()).map(toBinding);
  }

  async save(b: Binding): Promise<void> {
    this.queue(b.aor, b.contact, { op: 'save', binding: b });
  }

  async remove(aor: string, contact: string): Promise<void> {
    this.queue(aor, contact, { op: 'remove', aor, contact });
  }

  private queue(aor: string, contact: string, write: PendingWrite): void {
    const key = `${aor}\u0000${contact}`;
    // One entry per (aor, contact): the last operation wins. A removal of one contact and a save
    // of another (an RFC 5626 flow replaced) are different entries, applied removals first.
    this.pending.set(key, write);
    this.timer ??= this.clock.setTimer(this.flushMs, () => {
      this.timer = undefined;
      void this.flush();
    });
  }

  /** Writes everything queued; resolves when it is in the database. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0) return;
    const writes = [...this.pending.values()];
    this.pending.clear();
    try {
      await this.store.transaction(async (tx) => {
        // Removals first, then saves: a save and a removal queued for one key keep only the last (see queue()).
        for (const w of writes) {
          if (w.op !== 'remove') continue;
          for (const r of await tx.registrations.listByAor(w.aor)) {
            if (r.contactUri === w.contact) await tx.registrations.delete(w.aor, r.key);
          }
        }
        await tx.registrations.upsertMany(writes.flatMap((w) => (w.op === 'save' ? [toRow(w.binding)] : [])));
      });
    } catch (err) {
      this.logger.error({ err, writes: writes.length }, 'registrations not persisted');
    }
  }

  /** Flushes and stops the timer. */
  async close(): Promise<void> {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

function toRow(b: Binding): RegistrationBinding {
  return {
    aor: b.aor,
    contactUri: b.contact,
    instanceId: b.instanceId ?? null,
    regId: b.regId ?? null,
    expiresAt: b.expiresAt,
    q: b.q ?? null,
    callId: b.callId,
    cseq: b.cseq,
    path: b.path,
    received: b.source,
    connectionId: b.connectionId ?? null,
    userAgent: b.userAgent ?? null,
  };
}
