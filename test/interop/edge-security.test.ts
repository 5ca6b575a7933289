// The edge basics against a running server, with real sources on distinct loopback addresses:
// automatic bans after failed authentications (listed and lifted from the CLI), the per-source
// flood limit, scanner User-Agents, the static deny list, and unknown users. Attackers use
// 127.0.0.66 and neighbours (not trusted); 127.0.0.77 is untrusted but well behaved; 127.0.0.1
// is trusted.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/app/cli.js';
import { startAtende, type TestAtende } from '../support/atende.js';
import { eventually, SipTestClient, sleep, type ClientTransport } from '../support/sip-test-client.js';
import type { SipRequest } from '../../src/sip/message/index.js';

let atende: TestAtende;
const clients: SipTestClient[] = [];

async function client(localAddress: string, user: string, opts: { password?: string; userAgent?: string; transport?: ClientTransport } = {}): Promise<SipTestClient> {
  const c = await SipTestClient.open({
    transport: opts.transport ?? 'udp',
    serverPort: atende.sipPort,
    localAddress,
    user,
    password: opts.password ?? `pw-${user}`,
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
  });
  clients.push(c);
  return c;
}

function options(c: SipTestClient): SipRequest {
  return c.request('OPTIONS', { uri: `sip:${atende.domain}` });
}

/** Sends one OPTIONS and reports whether any final answer came back within ms. */
async function answered(c: SipTestClient, ms = 800): Promise<boolean> {
  const req = options(c);
  await c.send(req);
  try {
    await c.waitForResponse(req, 200, ms);
    return true;
  } catch {
    return false;
  }
}

/** Runs the CLI in this process against the server's data dir; resolves with exit code and stdout. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const saved = process.env['ATENDE_DATA_DIR'];
  process.env['ATENDE_DATA_DIR'] = atende.dataDir;
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  });
  try {
    const code = await main(args);
    return { code, out };
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env['ATENDE_DATA_DIR'];
    else process.env['ATENDE_DATA_DIR'] = saved;
  }
}

beforeAll(async () => {
  atende = await startAtende({ extensionCount: 3, security: { deny: ['127.0.0.99/32'] } });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await atende?.stop();
});

describe('edge security', () => {
  it('bans a source after 5 wrong passwords (403 each), drops it silently, keeps serving others; the CLI lists and lifts the ban', async () => {
    const attacker = await client('127.0.0.66', '1001', { password: 'wrong' });
    const good = await client('127.0.0.77', '1002');
    for (let i = 1; i <= 5; i++) {
      const res = await attacker.register({ expires: 300 });
      expect(res.status, `attempt ${i}`).toBe(403);
    }
    expect(atende.server.edge.bans.list().map((b) => b.address)).toContain('127.0.0.66');

    // Banned: no answer at all, not even to OPTIONS; the well-behaved neighbour registers meanwhile.
    const probe = attacker.registerRequest({ expires: 300 });
    await attacker.send(probe);
    expect((await good.register({ expires: 300 })).status).toBe(200);
    expect(await answered(good)).toBe(true);
    expect(await answered(attacker)).toBe(false);
    expect(await attacker.silentFor(300)).toBe(true);

    // The ban is persisted and listed by the CLI.
    await eventually(async () => (await atende.server.store.bans.list(Date.now())).some((b) => b.address === '127.0.0.66'), 2000, 'ban persisted');
    const listed = await cli(['bans', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^127\.0\.0\.66\tuntil /m);
    expect(listed.out).not.toContain('127.0.0.77');

    const lifted = await cli(['bans', 'lift', '127.0.0.66']);
    expect(lifted.code).toBe(0);
    expect(lifted.out).toContain('lifted');
    const liftedAt = Date.now();
    // The server notices on its next configuration poll (200 ms in tests).
    await eventually(() => answered(attacker, 200), 1500, 'the lifted source served again');
    expect(Date.now() - liftedAt).toBeLessThan(1500);
    expect((await cli(['bans', 'list'])).out).toContain('no active bans');
    // And it may register with the right password again.
    const fixed = await client('127.0.0.66', '1001');
    expect((await fixed.register({ expires: 0 })).status).toBe(200);
  });

  it('flood: an untrusted source sending 40 OPTIONS in under 2 s gets at most 16 answered; a trusted one gets all 200 answered', async () => {
    const flooder = await client('127.0.0.68', 'x');
    const requests = Array.from({ length: 40 }, () => options(flooder));
    const started = Date.now();
    for (const r of requests) await flooder.send(r);
    expect(Date.now() - started).toBeLessThan(2000);
    await sleep(700);
    const answeredCount = requests.filter((r) => flooder.log.some((m) => m.message.type === 'response' && m.message.headers.some((h) => h.name === 'Call-ID' && h.value === r.headers.find((x) => x.name === 'Call-ID')?.value))).length;
    expect(answeredCount).toBeGreaterThan(0);
    expect(answeredCount).toBeLessThanOrEqual(16);

    const trusted = await client('127.0.0.1', 'y');
    const many = Array.from({ length: 200 }, () => options(trusted));
    for (const r of many) await trusted.send(r);
    await Promise.all(many.map((r) => trusted.waitForResponse(r, 200, 5000)));
  });

  it('drops a request whose User-Agent is a known scanner (friendly-scanner) without an answer', async () => {
    const scanner = await client('127.0.0.69', '1001', { userAgent: 'friendly-scanner' });
    expect(await answered(scanner)).toBe(false);
    const reg = scanner.registerRequest({ expires: 300 });
    await scanner.send(reg);
    expect(await scanner.silentFor(500)).toBe(true);
    // The same address with an honest User-Agent is served.
    const honest = await client('127.0.0.69', '1001');
    expect(await answered(honest)).toBe(true);
  });

  it('drops everything from a denied CIDR, over UDP and TCP', async () => {
    const denied = await client('127.0.0.99', '1001');
    expect(await answered(denied)).toBe(false);
    expect(await denied.silentFor(300)).toBe(true);
    // A TCP connection from a denied source is refused or closed without a SIP answer.
    const tcp = await SipTestClient.open({ transport: 'tcp', serverPort: atende.sipPort, localAddress: '127.0.0.99', user: '1001' }).catch(() => undefined);
    if (tcp) {
      clients.push(tcp);
      await tcp.send(options(tcp)).catch(() => undefined);
      expect(await tcp.silentFor(500)).toBe(true);
    }
  });

  it('answers an unknown user 401 then 403 and counts the failure against the source', async () => {
    const stranger = await client('127.0.0.70', '7777', { password: 'guess' });
    const first = stranger.registerRequest({ expires: 300 });
    await stranger.send(first);
    const challenge = await stranger.waitForResponse(first);
    expect(challenge.status).toBe(401);
    const second = stranger.withCredentials(first, challenge);
    await stranger.send(second);
    expect((await stranger.waitForResponse(second)).status).toBe(403);
    // Four more make five: banned like a wrong password.
    for (let i = 0; i < 4; i++) expect((await stranger.register({ expires: 300 })).status).toBe(403);
    expect(atende.server.edge.bans.list().map((b) => b.address)).toContain('127.0.0.70');
    expect(await answered(stranger)).toBe(false);
  });
});
