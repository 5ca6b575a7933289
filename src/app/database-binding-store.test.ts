import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Binding } from '../sip/registrar/index.js';
import { openDatabase, type Store } from '../store/index.js';
import { DatabaseBindingStore } from './database-binding-store.js';

function binding(contact: string, extra: Partial<Binding> = {}): Binding {
  return {
    aor: '1001',
    contact,
    expiresAt: 2_000_000_000_000,
    callId: 'c1',
    cseq: 1,
    path: [],
    source: { protocol: 'udp', address: '192.0.2.1', port: 5060 },
    updatedAt: 1,
    ...extra,
  };
}

describe('DatabaseBindingStore', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function open(): Promise<{ store: Store; clock: ManualClock; bindings: DatabaseBindingStore }> {
    const dir = await mkdtemp(join(tmpdir(), 'atende-bindings-'));
    const store = await openDatabase({ dataDir: dir });
    cleanup.push(() => rm(dir, { recursive: true, force: true }), () => store.close());
    const clock = new ManualClock();
    return { store, clock, bindings: new DatabaseBindingStore(store, clock, silentLogger(), 100) };
  }

  it('coalesces writes and flushes them after the interval', async () => {
    const { store, clock, bindings } = await open();
    await bindings.save(binding('sip:1001@192.0.2.1:5060'));
    await bindings.save(binding('sip:1001@192.0.2.1:5060', { cseq: 2 }));
    expect(await store.registrations.listAll()).toHaveLength(0);
    clock.advance(100);
    await bindings.flush();
    const rows = await store.registrations.listAll();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cseq).toBe(2);
  });

  it('applies a flow replacement (remove old contact, save new one with the same instance) in one flush', async () => {
    const { bindings } = await open();
    const flow = { instanceId: '"<urn:uuid:1>"', regId: 1 };
    await bindings.save(binding('sip:1001@192.0.2.1:40000', flow));
    await bindings.flush();
    await bindings.remove('1001', 'sip:1001@192.0.2.1:40000');
    await bindings.save(binding('sip:1001@192.0.2.1:40001', flow));
    const loaded = await bindings.load();
    expect(loaded.map((b) => b.contact)).toEqual(['sip:1001@192.0.2.1:40001']);
    expect(loaded[0]?.regId).toBe(1);
  });

  it('a removal after a save of the same contact leaves nothing, and close() flushes', async () => {
    const { store, bindings } = await open();
    await bindings.save(binding('sip:1001@192.0.2.9'));
    await bindings.remove('1001', 'sip:1001@192.0.2.9');
    await bindings.save(binding('sip:1001@192.0.2.10'));
    await bindings.close();
    expect((await store.registrations.listAll()).map((r) => r.contactUri)).toEqual(['sip:1001@192.0.2.10']);
  });
});
