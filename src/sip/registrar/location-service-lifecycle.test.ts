import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { TransportAddress } from '../transport/types.js';
import { MemoryBindingStore } from './binding-store.js';
import type { BindingStore } from './binding-store.js';
import { LocationService } from './location-service.js';
import { contacts, harness, header, inbound, parseRegister, register, registerText } from './register-fixtures.test-support.js';

describe('LocationService: expiry (injected clock)', () => {
  it('stops returning a binding once it expires, and the purge timer removes it from the store', async () => {
    const h = await harness({ purgeIntervalMs: 5000 });
    await register(h, { contacts: ['<sip:a@192.168.1.20>'], expires: '60' });
    h.clock.advance(59_999);
    expect(h.service.lookup('1001')).toHaveLength(1);
    h.clock.advance(1);
    expect(h.service.lookup('1001')).toHaveLength(0);
    expect(h.service.count()).toBe(0);
    expect(h.store.size).toBe(1); // not purged yet
    h.clock.advance(5000);
    await new Promise((r) => setImmediate(r));
    expect(h.store.size).toBe(0);
    expect(h.changes.at(-1)).toMatchObject({ kind: 'removed', cause: 'expired' });
  });

  it('expire() purges on demand and reports how many went', async () => {
    const h = await harness({ purgeIntervalMs: 3_600_000 });
    await register(h, { contacts: ['<sip:a@192.168.1.20>;expires=60', '<sip:b@192.168.1.20>;expires=120'] });
    h.clock.advance(61_000);
    expect(await h.service.expire()).toBe(1);
    expect(h.service.listAll().map((b) => b.contact)).toEqual(['sip:b@192.168.1.20']);
    expect(h.store.size).toBe(1);
  });

  it('a refresh keeps the binding alive past its first expiry', async () => {
    const h = await harness();
    await register(h, { contacts: ['<sip:a@192.168.1.20>'], expires: '60' });
    h.clock.advance(50_000);
    await register(h, { cseq: 2, contacts: ['<sip:a@192.168.1.20>'], expires: '60' });
    h.clock.advance(50_000);
    expect(h.service.lookup('1001')).toHaveLength(1);
  });

  it('an expired binding does not count against the maximum and is dropped on the next REGISTER', async () => {
    const h = await harness({ maxContactsPerAor: 1 });
    await register(h, { contacts: ['<sip:a@192.168.1.20>'], expires: '60' });
    h.clock.advance(61_000);
    const out = await register(h, { callId: 'other', contacts: ['<sip:b@192.168.1.20>'] });
    expect(out.status).toBe(200);
    expect((await h.store.load()).map((b) => b.contact)).toEqual(['sip:b@192.168.1.20']);
  });

  it('close() stops the purge timer and is safe twice; later REGISTERs get 503', async () => {
    const h = await harness();
    expect(h.clock.pending).toBe(1);
    h.service.close();
    h.service.close();
    expect(h.clock.pending).toBe(0);
    expect((await register(h, { contacts: ['<sip:a@192.168.1.20>'] })).status).toBe(503);
  });
});

describe('LocationService: restart', () => {
  it('a new service over the same store sees the bindings, minus expired and connection-bound ones', async () => {
    const store = new MemoryBindingStore();
    const clock = new ManualClock();
    const first = await harness({}, store, clock);
    await register(first, { callId: 'udp', contacts: ['<sip:1001@192.168.1.20>'], expires: '3600' });
    await register(first, { callId: 'short', contacts: ['<sip:1001@192.168.1.30>'], expires: '60' });
    await register(
      first,
      { callId: 'tcp', contacts: ['<sip:1001@192.168.1.40;transport=tcp>'] },
      { protocol: 'tcp', address: '203.0.113.9', port: 51000 },
      'conn-tcp',
    );
    await register(
      first,
      { callId: 'ws', contacts: ['<sip:x8a@df7jal23ls0d.invalid;transport=ws>'] },
      { protocol: 'wss', address: '203.0.113.10', port: 52000 },
      'conn-ws',
    );
    first.service.close();
    expect(store.size).toBe(4);

    clock.advance(120_000);
    const second = await harness({}, store, clock);
    const seen = second.service.lookup('1001');
    expect(seen.map((b) => b.contact).sort()).toEqual(['sip:1001@192.168.1.20', 'sip:1001@192.168.1.40;transport=tcp']);
    // Connection ids of the old process mean nothing now.
    expect(seen.every((b) => b.connectionId === undefined)).toBe(true);
    expect(store.size).toBe(2);
    // And the restarted service keeps ordering state: the old Call-ID/CSeq still guards.
    const out = await register(second, { callId: 'udp', cseq: 1, contacts: ['<sip:1001@192.168.1.20>'], expires: '0' });
    expect(out.status).toBe(500);
  });
});

describe('LocationService: flows (RFC 5626) and connection loss', () => {
  const INSTANCE = '+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"';
  const TCP_A: TransportAddress = { protocol: 'tcp', address: '203.0.113.7', port: 40001 };
  const TCP_B: TransportAddress = { protocol: 'tcp', address: '203.0.113.7', port: 40002 };

  it('a re-registration of the same instance-id and reg-id from a new NAT port replaces its flow', async () => {
    const h = await harness();
    const first = await register(
      h,
      { callId: 'boot1', contacts: [`<sip:1001@10.0.0.8:5060;transport=tcp;ob>;${INSTANCE};reg-id=1`], extra: ['Supported: path, outbound'] },
      TCP_A,
      'c1',
    );
    expect(first.status).toBe(200);
    expect(header(first.headers, 'Require')).toBe('outbound');
    expect(header(first.headers, 'Supported')).toBe('outbound');
    expect(contacts(first.headers)).toEqual([
      '<sip:1001@10.0.0.8:5060;transport=tcp;ob>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1',
    ]);
    // The NAT moved it; the phone rebooted with a new Call-ID and a new private address.
    const second = await register(
      h,
      { callId: 'boot2', contacts: [`<sip:1001@10.0.0.9:5060;transport=tcp;ob>;${INSTANCE};reg-id=1`], extra: ['Supported: outbound'] },
      TCP_B,
      'c2',
    );
    expect(second.status).toBe(200);
    const bound = h.service.lookup('1001');
    expect(bound).toHaveLength(1);
    expect(bound[0]).toMatchObject({
      contact: 'sip:1001@10.0.0.9:5060;transport=tcp;ob',
      instanceId: '<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>',
      regId: 1,
      source: TCP_B,
      connectionId: 'c2',
    });
    expect((await h.store.load()).map((b) => b.contact)).toEqual(['sip:1001@10.0.0.9:5060;transport=tcp;ob']);
    expect(h.changes.map((c) => c.kind)).toEqual(['added', 'updated']);
  });

  it('different reg-ids of one instance are separate flows', async () => {
    const h = await harness();
    await register(h, { contacts: [`<sip:1001@10.0.0.8;transport=tcp;ob>;${INSTANCE};reg-id=1`] }, TCP_A, 'c1');
    await register(h, { callId: 'flow2', contacts: [`<sip:1001@10.0.0.8;transport=tcp;ob;line=2>;${INSTANCE};reg-id=2`] }, TCP_B, 'c2');
    expect(h.service.lookup('1001').map((b) => b.regId).sort()).toEqual([1, 2]);
  });

  it('an instance-id without reg-id is keyed by the instance: the new URI replaces the old one, not outbound', async () => {
    const h = await harness();
    await register(h, { callId: 'a', contacts: [`<sip:1001@10.0.0.8>;${INSTANCE}`] });
    const out = await register(h, { callId: 'b', contacts: [`<sip:1001@10.0.0.9>;${INSTANCE}`] });
    expect(header(out.headers, 'Require')).toBeUndefined();
    expect(h.service.lookup('1001').map((b) => b.contact)).toEqual(['sip:1001@10.0.0.9']);
  });

  it('a contact that starts carrying +sip.instance with the same URI takes over its old binding', async () => {
    const h = await harness();
    await register(h, { callId: 'a', contacts: ['<sip:1001@10.0.0.8>'] });
    await register(h, { callId: 'b', contacts: [`<sip:1001@10.0.0.8>;${INSTANCE}`] });
    expect(h.service.lookup('1001').map((b) => b.instanceId)).toEqual(['<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>']);
    expect(h.store.size).toBe(1);
  });

  it('a reg-id without instance-id is ignored (RFC 5626 6)', async () => {
    const h = await harness();
    const out = await register(h, { contacts: ['<sip:1001@10.0.0.8>;reg-id=1'] });
    expect(header(out.headers, 'Require')).toBeUndefined();
    expect(h.service.lookup('1001')[0]?.regId).toBeUndefined();
  });

  it('behind a proxy without Path, outbound is refused with 439; with an "ob" Path it applies', async () => {
    const h = await harness();
    const vias = ['SIP/2.0/TCP 10.1.1.1;branch=z9hG4bK-e', 'SIP/2.0/TCP 10.0.0.8;branch=z9hG4bK-u'];
    const refused = await register(h, { vias, contacts: [`<sip:1001@10.0.0.8;transport=tcp>;${INSTANCE};reg-id=1`], extra: ['Supported: outbound'] }, TCP_A, 'c1');
    expect(refused).toEqual({ status: 439, reason: 'First Hop Lacks Outbound Support', headers: [] });
    const withOb = await register(
      h,
      { vias, contacts: [`<sip:1001@10.0.0.8;transport=tcp>;${INSTANCE};reg-id=1`], extra: ['Supported: outbound', 'Path: <sip:edge.atende.local;lr;ob>'] },
      TCP_A,
      'c1',
    );
    expect(withOb.status).toBe(200);
    expect(header(withOb.headers, 'Require')).toBe('outbound');
    const withoutOb = await register(
      h,
      { callId: 'p2', vias, contacts: [`<sip:1001@10.0.0.8;transport=tcp;x=2>;+sip.instance="<urn:uuid:2>";reg-id=1`], extra: ['Supported: outbound', 'Path: <sip:edge.atende.local;lr>'] },
      TCP_A,
      'c1',
    );
    expect(withoutOb.status).toBe(200);
    expect(header(withoutOb.headers, 'Require')).toBeUndefined();
    expect(h.service.lookup('1001').find((b) => b.instanceId === '<urn:uuid:2>')?.regId).toBeUndefined();
  });

  it('removeFlow drops WebSocket and outbound bindings of that connection, and only forgets the connection for others', async () => {
    const h = await harness();
    await register(h, { callId: 'ob', contacts: [`<sip:1001@10.0.0.8;transport=tcp;ob>;${INSTANCE};reg-id=1`] }, TCP_A, 'c1');
    await register(h, { callId: 'plain', contacts: ['<sip:1001@10.0.0.7;transport=tcp>'] }, TCP_A, 'c1');
    await register(h, { callId: 'ws', contacts: ['<sip:k3l@abc.invalid;transport=ws>'] }, { protocol: 'wss', address: '203.0.113.8', port: 443 }, 'w1');
    await register(h, { callId: 'udp', contacts: ['<sip:1001@203.0.113.7:5060>'] });
    expect(await h.service.removeFlow('c1')).toBe(1);
    expect(h.service.lookup('1001').find((b) => b.contact === 'sip:1001@10.0.0.7;transport=tcp')?.connectionId).toBeUndefined();
    expect(await h.service.removeFlow('w1')).toBe(1);
    expect(h.service.lookup('1001').map((b) => b.contact).sort()).toEqual(['sip:1001@10.0.0.7;transport=tcp', 'sip:1001@203.0.113.7:5060']);
    expect(h.store.size).toBe(2);
    expect(h.changes.filter((c) => c.kind === 'removed').map((c) => (c.kind === 'removed' ? c.cause : ''))).toEqual(['flow-closed', 'flow-closed']);
    // The binding that only forgot its connection is reported as updated, without it.
    const forgot = h.changes.filter((c) => c.kind === 'updated' && c.previous.connectionId === 'c1');
    expect(forgot).toHaveLength(1);
    expect(forgot[0]?.binding).toMatchObject({ contact: 'sip:1001@10.0.0.7;transport=tcp' });
    expect(forgot[0]?.binding.connectionId).toBeUndefined();
    expect(await h.service.removeFlow('unknown')).toBe(0);
  });
});

describe('LocationService: concurrency and listeners', () => {
  it('a store that cannot be read answers 500, and a later REGISTER loads again', async () => {
    const inner = new MemoryBindingStore();
    let failLoad = true;
    const store: BindingStore = {
      load: async () => {
        if (failLoad) throw new Error('db down');
        return inner.load();
      },
      save: (b) => inner.save(b),
      remove: (aor, contact) => inner.remove(aor, contact),
    };
    const service = new LocationService({ clock: new ManualClock(), store });
    const req = parseRegister(registerText({ contacts: ['<sip:a@192.168.1.20>'] }));
    expect((await service.processRegister(req, inbound(req), '1001')).status).toBe(500);
    failLoad = false;
    expect((await service.processRegister(req, inbound(req), '1001')).status).toBe(200);
    service.close();
  });

  it('REGISTERs for one AOR are applied one at a time', async () => {
    const inner = new MemoryBindingStore();
    const slow: BindingStore = {
      load: () => inner.load(),
      save: async (b) => {
        await new Promise((r) => setImmediate(r));
        await inner.save(b);
      },
      remove: (aor, contact) => inner.remove(aor, contact),
    };
    const clock = new ManualClock();
    const service = new LocationService({ clock, store: slow, maxContactsPerAor: 1 });
    const r1 = parseRegister(registerText({ callId: 'one', contacts: ['<sip:a@192.168.1.20>'] }));
    const r2 = parseRegister(registerText({ callId: 'two', contacts: ['<sip:b@192.168.1.20>'] }));
    const [o1, o2] = await Promise.all([
      service.processRegister(r1, inbound(r1), '1001'),
      service.processRegister(r2, inbound(r2), '1001'),
    ]);
    // Had they interleaved, both would have seen an empty AOR and both succeeded.
    expect([o1.status, o2.status]).toEqual([200, 503]);
    expect(inner.size).toBe(1);
    service.close();
  });

  it('a throwing listener does not break registration; unsubscribe works', async () => {
    const h = await harness();
    const off = h.service.onChange(() => {
      throw new Error('boom');
    });
    expect((await register(h, { contacts: ['<sip:a@192.168.1.20>'] })).status).toBe(200);
    off();
    expect(h.changes).toHaveLength(1);
  });
});
