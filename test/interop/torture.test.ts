// Torture suite in the spirit of RFC 4475: byte-exact fixtures from test/fixtures/sip/torture/
// are sent to a running Atende over UDP (and some over TCP), each from a fresh socket, and each
// must get the answer expected.json names (status and the headers that must come with it) or
// none at all. Afterwards the server must still answer OPTIONS and take a registration.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { SipTestClient, type ClientTransport } from '../support/sip-test-client.js';
import { getHeader, type SipResponse } from '../../src/sip/message/index.js';

interface Expectation {
  expect: number | 'drop';
  transports: ClientTransport[];
  headers?: string[];
  why: string;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/sip/torture');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const cases = Object.entries(expected).flatMap(([file, e]) => e.transports.map((transport) => ({ file, transport, ...e })));

/** Silence long enough to trust: loopback answers arrive in well under a millisecond. */
const DROP_WINDOW_MS = 400;

let atende: TestAtende;
const clients: SipTestClient[] = [];

async function open(transport: ClientTransport): Promise<SipTestClient> {
  const c = await SipTestClient.open({ transport, serverPort: atende.sipPort, user: '1001', password: 'pw-1001' });
  clients.push(c);
  return c;
}

function callIdOf(raw: Buffer): string | undefined {
  return /^(?:Call-ID|i)[ \t]*:[ \t]*(\S+)/im.exec(raw.toString('latin1'))?.[1];
}

beforeAll(async () => {
  atende = await startAtende({ extensionCount: 2 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await atende?.stop();
});

describe('torture suite', () => {
  it('has fixtures for every kind of answer', () => {
    const kinds = new Set(cases.map((c) => String(c.expect)));
    for (const k of ['400', '505', '420', '483', '405', '501', '481', 'drop', '200']) expect(kinds, k).toContain(k);
    expect(cases.filter((c) => c.transport === 'tcp').length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('$file over $transport → $expect ($why)', async ({ file, transport, expect: outcome, headers }) => {
    const raw = readFileSync(join(dir, file));
    const c = await open(transport);
    const droppedBefore = atende.server.transport.stats.dropped;
    await c.send(raw);
    if (outcome === 'drop') {
      expect(await c.silentFor(DROP_WINDOW_MS)).toBe(true);
      expect(c.log).toHaveLength(0);
      return;
    }
    const r = await c.waitFor((m) => m.type === 'response' && m.status >= 200, 2000, `final answer to ${file}`);
    const res = r.message as SipResponse;
    expect(res.status).toBe(outcome);
    const callId = callIdOf(raw);
    if (callId !== undefined) expect(getHeader(res, 'Call-ID')).toBe(callId);
    for (const h of headers ?? []) expect(getHeader(res, h), `${h} in ${res.status}`).toBeDefined();
    if (outcome === 400 || outcome === 505) {
      // RFC 3261 20.43: warn-code SP warn-agent SP quoted warn-text.
      if (outcome === 400) expect(getHeader(res, 'Warning')).toMatch(/^399 \S+ ".+"$/);
      expect(atende.server.transport.stats.dropped).toBe(droppedBefore);
    }
  });

  it('still serves after the whole suite: OPTIONS over UDP and TCP, and a registration', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const c = await open(transport);
      const req = c.request('OPTIONS', { uri: `sip:${atende.domain}` });
      await c.send(req);
      const options = await c.waitForResponse(req);
      expect(options.status).toBe(200);
      // RFC 3261 11.2: what we implement, for a peer to know before it asks.
      expect(getHeader(options, 'Supported')).toBe('outbound, path, 100rel, timer');
      expect((await c.register({ expires: 300 })).status).toBe(200);
      expect((await c.register({ expires: 0 })).status).toBe(200);
    }
    const stats = atende.server.transport.stats;
    expect(stats.parseErrors).toBeGreaterThanOrEqual(cases.filter((c) => c.expect === 400 || c.expect === 505).length);
    expect(stats.dropped).toBeGreaterThan(0);
  });
});
