import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { createResponse, getHeaderValues } from '../message/index.js';
import type { Binding } from './binding.js';
import { MemoryBindingStore } from './binding-store.js';
import type { BindingStore } from './binding-store.js';
import { LocationService } from './location-service.js';
import { NAT_UDP, contacts, harness, header, inbound, parseRegister, register, registerText } from './register-fixtures.test-support.js';

describe('LocationService: adding, refreshing, answering (RFC 3261 10.3)', () => {
  it('binds a contact, answers 200 listing it with its expiry, and writes it through', async () => {
    const h = await harness();
    const out = await register(h, { contacts: ['<sip:1001@192.168.1.20:5060;transport=udp>'], expires: '600' });
    expect(out.status).toBe(200);
    expect(contacts(out.headers)).toEqual(['<sip:1001@192.168.1.20:5060;transport=udp>;expires=600']);
    expect(header(out.headers, 'Date')).toBe(new Date(h.clock.now()).toUTCString());
    const [b] = h.service.lookup('1001');
    expect(b).toMatchObject({
      aor: '1001',
      contact: 'sip:1001@192.168.1.20:5060;transport=udp',
      expiresAt: h.clock.now() + 600_000,
      callId: '1j9FpLxk3uxtm8tn@192.168.1.20',
      cseq: 1,
      source: NAT_UDP,
      userAgent: 'Linphone/5.2.0',
      path: [],
    });
    expect(h.store.size).toBe(1);
    expect(h.changes.map((c) => c.kind)).toEqual(['added']);
  });

  it('the outcome plugs into createResponse', async () => {
    const h = await harness();
    const req = parseRegister(registerText({ contacts: ['<sip:1001@192.168.1.20>'] }));
    const out = await h.service.processRegister(req, inbound(req), '1001');
    const res = createResponse(req, out.status, out.reason, { toTag: 'x1', headers: out.headers });
    expect(res.status).toBe(200);
    expect(getHeaderValues(res, 'Contact')).toEqual(['<sip:1001@192.168.1.20>;expires=3600']);
  });

  it('takes the expires parameter over the Expires header, the header over the default', async () => {
    const h = await harness({ defaultExpires: 1800 });
    const out = await register(h, {
      contacts: ['<sip:a@192.168.1.20>;expires=120', '<sip:b@192.168.1.20>'],
      expires: '300',
    });
    expect(contacts(out.headers)).toEqual(['<sip:a@192.168.1.20>;expires=120', '<sip:b@192.168.1.20>;expires=300']);
    const out2 = await register(h, { cseq: 2, contacts: ['<sip:c@192.168.1.20>'] });
    expect(contacts(out2.headers)).toContain('<sip:c@192.168.1.20>;expires=1800');
  });

  it('reads a malformed expires as 3600 (RFC 3261 20.10)', async () => {
    const h = await harness();
    const out = await register(h, { contacts: ['<sip:a@192.168.1.20>;expires=soon'] });
    expect(contacts(out.headers)).toEqual(['<sip:a@192.168.1.20>;expires=3600']);
  });

  it('clamps an interval above the maximum', async () => {
    const h = await harness({ maxExpires: 900 });
    const out = await register(h, { contacts: ['<sip:a@192.168.1.20>'], expires: '86400' });
    expect(contacts(out.headers)).toEqual(['<sip:a@192.168.1.20>;expires=900']);
  });

  it('answers 423 with Min-Expires below the minimum and binds nothing', async () => {
    const h = await harness({ minExpires: 60 });
    const out = await register(h, { contacts: ['<sip:a@192.168.1.20>', '<sip:b@192.168.1.20>;expires=30'], expires: '600' });
    expect(out).toEqual({ status: 423, reason: 'Interval Too Brief', headers: [{ name: 'Min-Expires', value: '60' }] });
    expect(h.service.count()).toBe(0);
    expect(h.store.size).toBe(0);
    // Exactly the minimum is accepted.
    expect((await register(h, { cseq: 2, contacts: ['<sip:a@192.168.1.20>'], expires: '60' })).status).toBe(200);
  });

  it('does not answer 423 for an interval of an hour or more, even under a larger minimum', async () => {
    const h = await harness({ minExpires: 7200, maxExpires: 7200 });
    expect((await register(h, { contacts: ['<sip:a@192.168.1.20>'], expires: '3600' })).status).toBe(200);
    expect((await register(h, { cseq: 2, contacts: ['<sip:b@192.168.1.20>'], expires: '3599' })).status).toBe(423);
  });

  it('refreshes an equivalent contact instead of adding one (URI comparison, RFC 3261 19.1.4)', async () => {
    const h = await harness();
    await register(h, { contacts: ['<sip:1001@192.168.1.20;transport=udp>'], expires: '600' });
    h.clock.advance(100_000);
    const out = await register(h, { cseq: 2, contacts: ['<sip:1001@192.168.1.20;TRANSPORT=UDP>'], expires: '600' });
    // The 200 gives the URI back exactly as the UA wrote it this time.
    expect(contacts(out.headers)).toEqual(['<sip:1001@192.168.1.20;TRANSPORT=UDP>;expires=600']);
    expect(h.service.count()).toBe(1);
    expect(h.store.size).toBe(1);
    expect(h.changes.map((c) => c.kind)).toEqual(['added', 'updated']);
  });

  it('answers a query (no Contact) with the current bindings and their remaining time', async () => {
    const h = await harness();
    await register(h, { contacts: ['<sip:a@192.168.1.20>'], expires: '600' });
    h.clock.advance(100_500);
    const out = await register(h, { cseq: 2 });
    expect(out.status).toBe(200);
    expect(contacts(out.headers)).toEqual(['<sip:a@192.168.1.20>;expires=500']);
  });

  it('lists every contact of the AOR, including those from other Call-IDs', async () => {
    const h = await harness();
    await register(h, { callId: 'desk', contacts: ['<sip:1001@192.168.1.21>'] });
    const out = await register(h, { callId: 'soft', contacts: ['<sip:1001@192.168.1.22>'] }, { ...NAT_UDP, port: 40999 });
    expect(contacts(out.headers)).toHaveLength(2);
  });

  it('echoes the q-value and orders lookups by q, then most recent', async () => {
    const h = await harness();
    await register(h, { callId: 'c1', contacts: ['<sip:a@192.168.1.20>;q=0.5'] });
    h.clock.advance(1000);
    await register(h, { callId: 'c2', contacts: ['<sip:b@192.168.1.20>'] });
    h.clock.advance(1000);
    await register(h, { callId: 'c3', contacts: ['<sip:c@192.168.1.20>;q=0.5'] });
    h.clock.advance(1000);
    const out = await register(h, { callId: 'c4', contacts: ['<sip:d@192.168.1.20>;q=1.0'] });
    expect(contacts(out.headers)).toContain('<sip:a@192.168.1.20>;expires=3597;q=0.5');
    expect(h.service.lookup('1001').map((b) => b.contact)).toEqual([
      'sip:d@192.168.1.20', // q=1, newest
      'sip:b@192.168.1.20', // no q ranks as 1
      'sip:c@192.168.1.20', // q=0.5, newer
      'sip:a@192.168.1.20',
    ]);
  });

  it('rejects a malformed q-value with 400', async () => {
    const h = await harness();
    const out = await register(h, { contacts: ['<sip:a@192.168.1.20>;q=1.5'] });
    expect(out.status).toBe(400);
    expect(h.service.count()).toBe(0);
  });

  it('rejects an unparsable Contact with 400', async () => {
    const h = await harness();
    expect((await register(h, { contacts: ['<sip:a@192.168.1.20'] })).status).toBe(400);
  });

  it('records the Path (RFC 3327) and returns it in the 200', async () => {
    const h = await harness();
    const out = await register(h, {
      vias: ['SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK-p', 'SIP/2.0/UDP 192.168.1.20;branch=z9hG4bK-u'],
      contacts: ['<sip:1001@192.168.1.20>'],
      extra: ['Path: <sip:edge1.atende.local;lr>', 'Supported: path'],
    });
    expect(header(out.headers, 'Path')).toBe('<sip:edge1.atende.local;lr>');
    expect(h.service.lookup('1001')[0]?.path).toEqual(['<sip:edge1.atende.local;lr>']);
  });

  it('refuses more contacts than the per-AOR maximum with 503, but still lets existing ones refresh', async () => {
    const h = await harness({ maxContactsPerAor: 2 });
    await register(h, { contacts: ['<sip:a@192.168.1.20>', '<sip:b@192.168.1.20>'] });
    const out = await register(h, { cseq: 2, contacts: ['<sip:c@192.168.1.20>'] });
    expect(out).toEqual({ status: 503, reason: 'Too Many Registered Contacts', headers: [] });
    expect(h.service.count()).toBe(2);
    expect((await register(h, { cseq: 3, contacts: ['<sip:a@192.168.1.20>'] })).status).toBe(200);
    // Swapping one for another in one request keeps the count and is accepted.
    const swap = await register(h, { cseq: 4, contacts: ['<sip:a@192.168.1.20>;expires=0', '<sip:c@192.168.1.20>'] });
    expect(swap.status).toBe(200);
    expect(h.service.lookup('1001').map((b) => b.contact).sort()).toEqual(['sip:b@192.168.1.20', 'sip:c@192.168.1.20']);
  });
});

describe('LocationService: removal and ordering (RFC 3261 10.3 steps 6-7)', () => {
  it('removes one contact with expires=0 and keeps the others', async () => {
    const h = await harness();
    await register(h, { contacts: ['<sip:a@192.168.1.20>', '<sip:b@192.168.1.20>'] });
    const out = await register(h, { cseq: 2, contacts: ['<sip:a@192.168.1.20>;expires=0'] });
    expect(out.status).toBe(200);
    expect(contacts(out.headers)).toEqual(['<sip:b@192.168.1.20>;expires=3600']);
    expect(h.store.size).toBe(1);
    expect(h.changes.at(-1)).toMatchObject({ kind: 'removed', cause: 'unregistered', binding: { contact: 'sip:a@192.168.1.20' } });
  });

  it('un-registers with the Expires header at 0', async () => {
    const h = await harness();
    await register(h, { contacts: ['<sip:a@192.168.1.20>'] });
    const out = await register(h, { cseq: 2, contacts: ['<sip:a@192.168.1.20>'], expires: '0' });
    expect(contacts(out.headers)).toEqual([]);
    expect(h.service.count()).toBe(0);
    expect(h.store.size).toBe(0);
  });

  it('removing a contact that is not bound is not an error', async () => {
    const h = await harness();
    expect((await register(h, { contacts: ['<sip:a@192.168.1.20>;expires=0'] })).status).toBe(200);
  });

  it('"Contact: *" with Expires: 0 removes every binding of the AOR, whatever its Call-ID', async () => {
    const h = await harness();
    await register(h, { callId: 'x', contacts: ['<sip:a@192.168.1.20>'] });
    await register(h, { callId: 'y', contacts: ['<sip:b@192.168.1.20>'] });
    const out = await register(h, { callId: 'x', cseq: 2, contacts: ['*'], expires: '0' });
    expect(out.status).toBe(200);
    expect(contacts(out.headers)).toEqual([]);
    expect(h.service.count()).toBe(0);
    expect(h.store.size).toBe(0);
  });

  it('"Contact: *" without Expires: 0, or beside other contacts, is a 400', async () => {
    const h = await harness();
    await register(h, { contacts: ['<sip:a@192.168.1.20>'] });
    expect((await register(h, { callId: 'z', contacts: ['*'] })).status).toBe(400);
    expect((await register(h, { callId: 'z', contacts: ['*'], expires: '60' })).status).toBe(400);
    expect((await register(h, { callId: 'z', contacts: ['*', '<sip:b@192.168.1.20>'], expires: '0' })).status).toBe(400);
    expect(h.service.count()).toBe(1);
  });

  it('"Contact: *" from an older request of the same Call-ID fails with 500 and removes nothing', async () => {
    const h = await harness();
    await register(h, { callId: 'x', cseq: 5, contacts: ['<sip:a@192.168.1.20>'] });
    const out = await register(h, { callId: 'x', cseq: 5, contacts: ['*'], expires: '0' });
    expect(out.status).toBe(500);
    expect(h.service.count()).toBe(1);
  });

  it('same Call-ID with a lower or equal CSeq fails with 500 and changes nothing', async () => {
    const h = await harness();
    await register(h, { cseq: 10, contacts: ['<sip:a@192.168.1.20>'], expires: '600' });
    for (const cseq of [9, 10]) {
      const out = await register(h, { cseq, contacts: ['<sip:a@192.168.1.20>'], expires: '0' });
      expect(out.status).toBe(500);
    }
    expect(h.service.lookup('1001')[0]).toMatchObject({ cseq: 10 });
  });

  it('a failed contact aborts the whole request: no other contact is added (all-or-nothing)', async () => {
    const h = await harness();
    await register(h, { cseq: 10, contacts: ['<sip:a@192.168.1.20>'] });
    const out = await register(h, { cseq: 3, contacts: ['<sip:new@192.168.1.20>', '<sip:a@192.168.1.20>'] });
    expect(out.status).toBe(500);
    expect(h.service.lookup('1001').map((b) => b.contact)).toEqual(['sip:a@192.168.1.20']);
    expect(h.store.size).toBe(1);
  });

  it('a different Call-ID updates or removes regardless of CSeq (a rebooted phone)', async () => {
    const h = await harness();
    await register(h, { callId: 'before-reboot', cseq: 50, contacts: ['<sip:a@192.168.1.20>'] });
    const out = await register(h, { callId: 'after-reboot', cseq: 1, contacts: ['<sip:a@192.168.1.20>'], expires: '0' });
    expect(out.status).toBe(200);
    expect(h.service.count()).toBe(0);
  });

  it('a store failure answers 500 and leaves memory and store as they were', async () => {
    const inner = new MemoryBindingStore();
    let failSaves = false;
    const flaky: BindingStore = {
      load: () => inner.load(),
      save: async (b: Binding) => {
        if (failSaves) {
          failSaves = false; // fails once: the rollback's own writes then succeed
          throw new Error('disk full');
        }
        await inner.save(b);
      },
      remove: (aor, contact) => inner.remove(aor, contact),
    };
    const service = new LocationService({ clock: new ManualClock(), store: flaky });
    await service.start();
    const req1 = parseRegister(registerText({ contacts: ['<sip:a@192.168.1.20>'] }));
    await service.processRegister(req1, inbound(req1), '1001');
    failSaves = true;
    const req2 = parseRegister(registerText({ cseq: 2, contacts: ['<sip:a@192.168.1.20>;expires=0', '<sip:b@192.168.1.20>'] }));
    const out = await service.processRegister(req2, inbound(req2), '1001');
    expect(out.status).toBe(500);
    expect(service.lookup('1001').map((b) => b.contact)).toEqual(['sip:a@192.168.1.20']);
    expect((await inner.load()).map((b) => b.contact)).toEqual(['sip:a@192.168.1.20']);
    service.close();
  });
});
