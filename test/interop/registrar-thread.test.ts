// The registrar suite with REGISTERs parsed and answered on the registrar's own thread
// (ATENDE_REGISTRAR_THREAD=on), then what only the thread has to carry back to the main thread:
// SIPp's 1,000 registrations, wrong passwords feeding the main thread's ban list, and a
// WebSocket binding that goes when its connection closes.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProvisioning } from '../../src/app/provisioning/index.js';
import type { SipResponse } from '../../src/sip/message/index.js';
import { provisioningYaml, startAtende, type StartAtendeOptions, type TestAtende } from '../support/atende.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { describeSippResult, runSipp } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';
import { defineRegistrarSuite } from '../support/registrar-suite.js';
import { eventually, SipTestClient } from '../support/sip-test-client.js';

defineRegistrarSuite('registrar on its own thread', { ATENDE_REGISTRAR_THREAD: 'on' });

describe('registrar on its own thread, against peers', () => {
  let atende: TestAtende;
  let work: string;
  // 10.0.0.0/8 is trusted instead of 127.0.0.1, so failures from here count toward a ban.
  const options: StartAtendeOptions = {
    extensionCount: 1100, trusted: ['10.0.0.0/8'], env: { ATENDE_REGISTRAR_THREAD: 'on' },
    security: { bans: { failures: 3, windowSeconds: 60, banSeconds: 60 }, flood: { requests: 100_000, windowSeconds: 1 } },
  };

  beforeAll(async () => {
    work = await makePeerDir('interop-registrar-thread');
    atende = await startAtende(options);
  });
  afterAll(async () => {
    await atende?.stop();
    await stopAllPeers();
    await removePeerDirs();
  });

  it('registers 1,000 SIPp extensions with digest at 500/s with no failure, and calls can find them', async () => {
    const csv = await writeSippCsv(join(work, 'register.csv'), atende.domain, numberedUsers(1001, 1000));
    const r = await runSipp({
      scenario: 'register-auth', target: atende.sipTarget, injectCsv: csv, rate: 500, calls: 1000, rttFreq: 1, timeoutMs: 30_000,
    });
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1000);
    // The main thread's replica, which INVITEs are routed with, has every binding.
    expect(atende.server.registrar.lookup('1001')).toHaveLength(1);
    expect(atende.server.registrar.lookup('2000')).toHaveLength(1);
    expect(atende.server.registrar.count()).toBe(1000);
  });

  it('drops a WebSocket binding when its connection closes', async () => {
    const ws = await SipTestClient.open({ transport: 'ws', serverPort: atende.httpPort, user: '2001', password: 'pw-2001' });
    expect((await ws.register({ expires: 600 })).status).toBe(200);
    expect(atende.server.registrar.lookup('2001')[0]?.source.protocol).toBe('ws');
    await ws.close();
    await eventually(() => atende.server.registrar.lookup('2001').length === 0, 3000, 'WS binding gone with its flow');
  });

  it('lets an extension provisioned while running register: the thread gets the new directory', async () => {
    const yaml = provisioningYaml({ ...options, extensions: [{ number: '3001', password: 'pw-3001' }] });
    await applyProvisioning(atende.server.store, yaml, { actor: 'test', source: 'test' });
    await atende.server.reloadConfiguration();
    const phone = await SipTestClient.open({ transport: 'udp', serverPort: atende.sipPort, user: '3001', password: 'pw-3001' });
    try {
      expect((await phone.register({ expires: 600 })).status).toBe(200);
      expect(atende.server.registrar.lookup('3001')).toHaveLength(1);
    } finally {
      await phone.close();
    }
  });

  it('answers a REGISTER the thread cannot parse with a 400, counted by the transport as a parse error', async () => {
    const raw = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../fixtures/sip/torture/negative-content-length-register.sip'));
    const before = atende.server.transport.stats;
    const c = await SipTestClient.open({ transport: 'udp', serverPort: atende.sipPort, user: '1001', password: 'pw-1001' });
    try {
      await c.send(raw);
      const answer = await c.waitFor((m) => m.type === 'response', 2000, 'answer to the broken REGISTER');
      expect((answer.message as SipResponse).status).toBe(400);
      await eventually(() => atende.server.transport.stats.parseErrors === before.parseErrors + 1, 2000, 'parse error counted');
      expect(atende.server.transport.stats.received).toBe(before.received);
      expect(atende.server.transport.stats.dropped).toBe(before.dropped);
    } finally {
      await c.close();
    }
  });

  it('bans a source after repeated wrong passwords (the thread reports them to the edge)', async () => {
    const users = numberedUsers(2050, 3).map((u) => ({ ...u, password: 'wrong' }));
    const csv = await writeSippCsv(join(work, 'wrong.csv'), atende.domain, users);
    const r = await runSipp({
      scenario: 'register-auth', target: atende.sipTarget, injectCsv: csv, rate: 10, calls: 3, timeoutMs: 15_000,
      extraArgs: ['-recv_timeout', '2000'],
    });
    expect(r.successful).toBe(0);
    await eventually(() => atende.server.edge.bans.list().some((b) => b.address === '127.0.0.1'), 3000, 'source banned');
    // Banned: the next REGISTER is dropped before it reaches the thread.
    const phone = await SipTestClient.open({ transport: 'udp', serverPort: atende.sipPort, user: '1001', password: 'pw-1001' });
    try {
      await expect(phone.register({ expires: 600 })).rejects.toThrow();
    } finally {
      await phone.close();
    }
  });
});
