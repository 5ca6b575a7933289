import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom, silentLogger } from '../../core/index.js';
import { getHeader, getHeaderValues, type SipResponse } from '../../sip/message/index.js';
import type { Binding } from '../../sip/registrar/index.js';
import type { TransportAddress } from '../../sip/transport/index.js';
import type { RegistrarEvent, RegistrarStart } from './protocol.js';
import { RegistrarRuntime } from './registrar-runtime.js';
import {
  answerChallenge,
  directorySnapshot,
  handed,
  parseResponse,
  registerText,
  registrarSettings,
  registrarStart,
  SOURCE,
  userRegister,
} from './registrar-thread.test-support.js';

type SendEvent = Extract<RegistrarEvent, { kind: 'send' }>;

/** Lets every pending promise and microtask run (everything here is in memory). */
const settle = (): Promise<void> => new Promise<void>((r) => setImmediate(r));

function setup(start: RegistrarStart = registrarStart()) {
  const clock = new ManualClock();
  const events: RegistrarEvent[] = [];
  const runtime = new RegistrarRuntime({ start, clock, random: seededRandom(11), logger: silentLogger(), emit: (e) => events.push(e) });
  const receive = async (text: string, source?: TransportAddress, connectionId?: string): Promise<RegistrarEvent[]> => {
    const from = events.length;
    runtime.handle({ kind: 'inbound', raw: handed(text, source, connectionId) });
    await settle();
    return events.slice(from);
  };
  return { clock, events, runtime, receive };
}

function sends(events: RegistrarEvent[]): SendEvent[] {
  return events.filter((e): e is SendEvent => e.kind === 'send');
}

function onlyResponse(events: RegistrarEvent[]): SipResponse {
  const out = sends(events);
  expect(out).toHaveLength(1);
  return parseResponse(out[0]!.bytes);
}

type Harness = ReturnType<typeof setup>;

/** A full exchange: unauthenticated REGISTER, its 401, then the answer; resolves with the answer's events. */
async function registerFully(
  h: Harness,
  o: { user?: string; password?: string; tag: string; contact?: string; expires?: string; via?: (branch: string) => string; source?: TransportAddress; connectionId?: string },
): Promise<{ events: RegistrarEvent[]; text: string }> {
  const user = o.user ?? '1001';
  const common = {
    user,
    ...(o.contact !== undefined ? { contact: o.contact } : {}),
    ...(o.expires !== undefined ? { expires: o.expires } : {}),
  };
  const first = `z9hG4bK-${o.tag}-1`;
  const challenge = onlyResponse(await h.receive(userRegister({ ...common, branch: first, ...(o.via ? { via: o.via(first) } : {}) }), o.source, o.connectionId));
  expect(challenge.status).toBe(401);
  const second = `z9hG4bK-${o.tag}-2`;
  const text = userRegister({
    ...common,
    branch: second,
    cseq: 2,
    authorization: answerChallenge(challenge, user, o.password),
    ...(o.via ? { via: o.via(second) } : {}),
  });
  return { events: await h.receive(text, o.source, o.connectionId), text };
}

function binding(over: Partial<Binding> & Pick<Binding, 'aor' | 'contact' | 'expiresAt'>): Binding {
  return { callId: 'stored-call', cseq: 7, path: [], source: SOURCE, updatedAt: 1_699_999_000_000, ...over };
}

describe('RegistrarRuntime start', () => {
  it('reports the live stored bindings, removes the expired ones, then says ready', async () => {
    const now = new ManualClock().now();
    const live = binding({ aor: '1001', contact: 'sip:1001@192.168.1.20:5060', expiresAt: now + 600_000, source: { protocol: 'tcp', address: '192.168.1.20', port: 40000 }, connectionId: 'old-process-conn' });
    const expired = binding({ aor: '1002', contact: 'sip:1002@192.168.1.21:5060', expiresAt: now - 1 });
    const h = setup(registrarStart({ bindings: [live, expired] }));
    await h.runtime.start();
    const { connectionId: _gone, ...liveLoaded } = live;
    expect(h.events).toEqual([
      { kind: 'store-remove', aor: '1002', contact: 'sip:1002@192.168.1.21:5060' },
      // A connection of the previous process is forgotten.
      { kind: 'bindings', aor: '1001', bindings: [liveLoaded] },
      { kind: 'ready' },
    ]);
  });
});

describe('RegistrarRuntime REGISTER', () => {
  it('challenges a REGISTER without credentials with a 401, sent to received/rport', async () => {
    const h = setup();
    await h.runtime.start();
    const events = await h.receive(userRegister({ branch: 'z9hG4bK-c1' }));
    expect(events.map((e) => e.kind)).toEqual(['send']);
    const [send] = sends(events);
    expect(send!.target).toEqual(SOURCE);
    expect(send!.local).toEqual({ protocol: 'udp', address: '127.0.0.1', port: 5060 });
    const response = parseResponse(send!.bytes);
    expect(response.status).toBe(401);
    expect(getHeaderValues(response, 'WWW-Authenticate')).toHaveLength(1);
    expect(getHeader(response, 'WWW-Authenticate')).toMatch(/^Digest realm="atende\.local", .*algorithm=MD5/);
    expect(getHeader(response, 'Via')).toBe('SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK-c1;rport=5060;received=192.168.1.20');
  });

  it('registers on a correct digest: the bindings first, then the 200 listing the Contact', async () => {
    const h = setup();
    await h.runtime.start();
    const { events } = await registerFully(h, { tag: 'ok' });
    // The main thread routes calls on (and saves) the reported list: it must have it when the phone sees its 200.
    expect(events.map((e) => e.kind)).toEqual(['bindings', 'send']);
    const contact = { aor: '1001', contact: 'sip:1001@192.168.1.20:5060', source: SOURCE, expiresAt: h.clock.now() + 3_600_000 };
    expect(events[0]).toEqual({ kind: 'bindings', aor: '1001', bindings: [expect.objectContaining(contact)] });
    const response = parseResponse((events[1] as SendEvent).bytes);
    expect(response.status).toBe(200);
    expect(getHeader(response, 'Contact')).toBe('<sip:1001@192.168.1.20:5060>;expires=3600');
    expect((events[1] as SendEvent).target).toEqual(SOURCE);
  });

  it('answers a wrong password with 403 and reports the failure with the source address', async () => {
    const h = setup();
    await h.runtime.start();
    const { events } = await registerFully(h, { tag: 'bad', password: 'guess' });
    expect(events.map((e) => e.kind)).toEqual(['auth-failed', 'send']);
    expect(events[0]).toEqual({ kind: 'auth-failed', address: '192.168.1.20', detail: { reason: 'bad-response', username: '1001', method: 'REGISTER' } });
    expect(onlyResponse(events).status).toBe(403);
  });

  it('hands a scanner to the edge and answers nothing', async () => {
    const h = setup();
    await h.runtime.start();
    const text = userRegister({ branch: 'z9hG4bK-scan' }).replace('User-Agent: Linphone/5.2.0', 'User-Agent: friendly-scanner');
    expect(await h.receive(text)).toEqual([{ kind: 'scanner', address: '192.168.1.20', userAgent: 'friendly-scanner' }]);
  });

  it('answers an unparseable REGISTER with a 400 naming the warning host, and reports it answered', async () => {
    const h = setup();
    await h.runtime.start();
    const text = userRegister({ branch: 'z9hG4bK-broken' }).replace('Content-Length: 0', 'Content-Length: abc');
    const events = await h.receive(text);
    expect(events.map((e) => e.kind)).toEqual(['rejected', 'send']);
    expect(events[0]).toEqual({ kind: 'rejected', answered: true });
    const response = onlyResponse(events);
    expect(response.status).toBe(400);
    expect(getHeader(response, 'Warning')).toMatch(/^399 127\.0\.0\.1 ".+"$/);
    expect(sends(events)[0]!.target).toEqual(SOURCE);
  });

  it('drops a REGISTER too broken to answer (no Via) and reports it unanswered', async () => {
    const h = setup();
    await h.runtime.start();
    const text = userRegister({ branch: 'z9hG4bK-novia' }).replace(/^Via: .*\r\n/m, '');
    expect(await h.receive(text)).toEqual([{ kind: 'rejected', answered: false }]);
  });

  it('answers a retransmission within Timer J with the same 200 and reports no change again', async () => {
    const h = setup();
    await h.runtime.start();
    const { events, text } = await registerFully(h, { tag: 'rtx' });
    const first = sends(events)[0]!;
    h.clock.advance(1_000);
    const again = await h.receive(text);
    expect(again.map((e) => e.kind)).toEqual(['send']);
    expect(Buffer.from(sends(again)[0]!.bytes).toString('utf8')).toBe(Buffer.from(first.bytes).toString('utf8'));
    expect(h.events.filter((e) => e.kind === 'bindings')).toHaveLength(1);
  });

  it('drops a WebSocket binding when its connection closes', async () => {
    const h = setup();
    await h.runtime.start();
    const ws: TransportAddress = { protocol: 'ws', address: '192.168.1.20', port: 50_123 };
    const { events } = await registerFully(h, {
      tag: 'ws',
      contact: '<sip:k3l2@df7jal23ls0d.invalid;transport=ws>',
      via: (branch) => `SIP/2.0/WS df7jal23ls0d.invalid;branch=${branch}`,
      source: ws,
      connectionId: 'ws-conn-1',
    });
    expect(events.find((e) => e.kind === 'bindings')).toEqual({
      kind: 'bindings',
      aor: '1001',
      bindings: [expect.objectContaining({ contact: 'sip:k3l2@df7jal23ls0d.invalid;transport=ws', connectionId: 'ws-conn-1' })],
    });
    // Answered on the connection it came on (RFC 3261 18.2.2).
    expect(sends(events)[0]!.target).toMatchObject({ protocol: 'ws', address: '192.168.1.20', connectionId: 'ws-conn-1' });
    const before = h.events.length;
    h.runtime.handle({ kind: 'flow-closed', connectionId: 'another-conn' });
    await settle();
    expect(h.events.slice(before)).toEqual([]);
    h.runtime.handle({ kind: 'flow-closed', connectionId: 'ws-conn-1' });
    await settle();
    const after = h.events.slice(before);
    expect(after[0]).toEqual({ kind: 'store-remove', aor: '1001', contact: 'sip:k3l2@df7jal23ls0d.invalid;transport=ws' });
    expect(after.slice(1)).toEqual([{ kind: 'bindings', aor: '1001', bindings: [] }]);
  });

  it('reports a TCP binding that outlives its closed connection without that connection', async () => {
    const h = setup();
    await h.runtime.start();
    const tcp: TransportAddress = { protocol: 'tcp', address: '192.168.1.20', port: 40_001 };
    const { events } = await registerFully(h, { tag: 'tcp', via: (branch) => `SIP/2.0/TCP 192.168.1.20:40001;branch=${branch};rport`, source: tcp, connectionId: 'tcp-conn-1' });
    expect(events.find((e) => e.kind === 'bindings')).toMatchObject({ bindings: [{ connectionId: 'tcp-conn-1' }] });
    const before = h.events.length;
    h.runtime.handle({ kind: 'flow-closed', connectionId: 'tcp-conn-1' });
    await settle();
    const after = h.events.slice(before);
    expect(after.map((e) => e.kind)).toEqual(['bindings']);
    const [report] = after as Array<Extract<RegistrarEvent, { kind: 'bindings' }>>;
    expect(report!.bindings).toHaveLength(1);
    expect(report!.bindings[0]).toMatchObject({ contact: 'sip:1001@192.168.1.20:5060', source: tcp });
    expect(report!.bindings[0]!.connectionId).toBeUndefined();
  });

  it('reports a binding purged by its expiry with no REGISTER', async () => {
    const h = setup();
    await h.runtime.start();
    await registerFully(h, { tag: 'exp', expires: '60' });
    const before = h.events.length;
    // Expiry, then the purge sweep that follows it (every 10 s).
    h.clock.advance(60_000 + 10_000);
    await settle();
    expect(h.events.slice(before)).toEqual([
      { kind: 'store-remove', aor: '1001', contact: 'sip:1001@192.168.1.20:5060' },
      { kind: 'bindings', aor: '1001', bindings: [] },
    ]);
  });
});

describe('RegistrarRuntime commands', () => {
  it('lets an extension added by a directory update register', async () => {
    const h = setup();
    await h.runtime.start();
    const unknown = await registerFully(h, { tag: 'new1', user: '1002' });
    expect(unknown.events.map((e) => e.kind)).toEqual(['auth-failed', 'send']);
    expect(unknown.events[0]).toMatchObject({ detail: { reason: 'unknown-user', username: '1002' } });
    h.runtime.handle({ kind: 'directory', directory: directorySnapshot(['1001', '1002']) });
    const { events } = await registerFully(h, { tag: 'new2', user: '1002' });
    expect(events.map((e) => e.kind)).toEqual(['bindings', 'send']);
    expect(events[0]).toMatchObject({ aor: '1002', bindings: [{ contact: 'sip:1002@192.168.1.20:5060' }] });
    expect(onlyResponse(events).status).toBe(200);
  });

  it('serves the new domain after a settings update and refuses the old one with 404', async () => {
    const h = setup();
    await h.runtime.start();
    h.runtime.handle({ kind: 'settings', settings: registrarSettings('pbx.example') });
    const old = onlyResponse(await h.receive(userRegister({ branch: 'z9hG4bK-old' })));
    expect(old.status).toBe(404);
    expect(getHeader(old, 'Warning')).toBe('399 pbx.example "not our domain"');
    const current = onlyResponse(await h.receive(userRegister({ branch: 'z9hG4bK-new', domain: 'pbx.example' })));
    expect(current.status).toBe(401);
    expect(getHeader(current, 'WWW-Authenticate')).toMatch(/^Digest realm="pbx\.example"/);
  });

  it('says closed on close and answers nothing afterwards', async () => {
    const h = setup();
    await h.runtime.start();
    h.runtime.handle({ kind: 'close' });
    expect(h.events.at(-1)).toEqual({ kind: 'closed' });
    const before = h.events.length;
    expect(await h.receive(registerText({ contacts: ['<sip:1001@192.168.1.20:5060>'] }))).toEqual([]);
    expect(h.events.length).toBe(before);
  });

  it('reports how many REGISTERs it took since the last report, and nothing when none', async () => {
    const h = setup();
    await h.runtime.start();
    h.runtime.reportTaken();
    expect(h.events.some((e) => e.kind === 'taken')).toBe(false);
    for (const branch of ['z9hG4bK-t1', 'z9hG4bK-t2', 'z9hG4bK-t3']) await h.receive(userRegister({ branch }));
    h.runtime.reportTaken();
    h.runtime.reportTaken();
    expect(h.events.filter((e) => e.kind === 'taken')).toEqual([{ kind: 'taken', count: 3 }]);
  });
});
