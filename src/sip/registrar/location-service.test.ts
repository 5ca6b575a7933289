import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { createResponse, getHeaderValues, isParseError, parseMessage } from '../message/index.js';
import type { HeaderField, SipRequest } from '../message/index.js';
import type { InboundMessage, TransportAddress } from '../transport/types.js';
import type { Binding } from './binding.js';
import { MemoryBindingStore } from './binding-store.js';
import type { BindingStore } from './binding-store.js';
import { LocationService } from './location-service.js';
import type { BindingChange, LocationServiceOptions } from './location-service.js';

const CRLF = '\r\n';

/** A Linphone-style REGISTER, byte-exact (CRLF); the mutable parts are filled from `o`. */
function registerText(o: {
  callId?: string;
  cseq?: number;
  contacts?: string[];
  expires?: string;
  vias?: string[];
  extra?: string[];
}): string {
  const vias = o.vias ?? ['SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-1;rport'];
  const lines = [
    'REGISTER sip:atende.local SIP/2.0',
    ...vias.map((v) => `Via: ${v}`),
    'Max-Forwards: 70',
    'From: <sip:1001@atende.local>;tag=a73kszlfl',
    'To: <sip:1001@atende.local>',
    `Call-ID: ${o.callId ?? '1j9FpLxk3uxtm8tn@192.168.1.20'}`,
    `CSeq: ${o.cseq ?? 1} REGISTER`,
    ...(o.contacts ?? []).map((c) => `Contact: ${c}`),
    ...(o.expires !== undefined ? [`Expires: ${o.expires}`] : []),
    'User-Agent: Linphone/5.2.0',
    ...(o.extra ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join(CRLF);
}

function parseRegister(text: string): SipRequest {
  const m = parseMessage(Buffer.from(text, 'utf8'));
  if (isParseError(m) || m.type !== 'request') throw new Error(`fixture does not parse: ${JSON.stringify(m)}`);
  return m;
}

const NAT_UDP: TransportAddress = { protocol: 'udp', address: '203.0.113.7', port: 40123 };
const LOCAL: TransportAddress = { protocol: 'udp', address: '198.51.100.1', port: 5060 };

function inbound(req: SipRequest, source: TransportAddress = NAT_UDP, connectionId?: string): InboundMessage {
  const m: InboundMessage = { message: req, source, local: { ...LOCAL, protocol: source.protocol }, receivedAt: 0 };
  if (connectionId !== undefined) m.connectionId = connectionId;
  return m;
}

interface Harness {
  clock: ManualClock;
  store: MemoryBindingStore;
  service: LocationService;
  changes: BindingChange[];
}

async function harness(options: Partial<LocationServiceOptions> = {}, store = new MemoryBindingStore(), clock = new ManualClock()): Promise<Harness> {
  const service = new LocationService({ clock, store, ...options });
  await service.start();
  const changes: BindingChange[] = [];
  service.onChange((c) => changes.push(c));
  return { clock, store, service, changes };
}

function register(h: Harness, o: Parameters<typeof registerText>[0], source?: TransportAddress, connectionId?: string) {
  const req = parseRegister(registerText(o));
  return h.service.processRegister(req, inbound(req, source, connectionId), '1001');
}

function contacts(headers: HeaderField[]): string[] {
  return headers.filter((h) => h.name === 'Contact').map((h) => h.value);
}

function header(headers: HeaderField[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

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
    expect(await h.service.removeFlow('unknown')).toBe(0);
  });
});

describe('LocationService: concurrency and listeners', () => {
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
