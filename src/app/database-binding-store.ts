import type { Store, StoredRegistration } from '../store/index.js';
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

/** The registrar's bindings kept in the database, so they survive a restart. */
export class DatabaseBindingStore implements BindingStore {
  constructor(private readonly store: Store) {}

  async load(): Promise<Binding[]> {
    return (await this.store.registrations.listAll()).map(toBinding);
  }

  async save(b: Binding): Promise<void> {
    await this.store.registrations.upsert({
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
    });
  }

  async remove(aor: string, contact: string): Promise<void> {
    for (const r of await this.store.registrations.listByAor(aor)) {
      if (r.contactUri === contact) await this.store.registrations.delete(aor, r.key);
    }
  }
}
