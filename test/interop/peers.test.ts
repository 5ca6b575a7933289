// Atende's SIP core proven against peers nobody here wrote: SIPp (registration load, calls,
// CANCEL, busy) and baresip softphones over UDP, TCP and TLS that must hear each other.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startBaresip, type Baresip, type BaresipTransport } from '../support/peers/baresip.js';
import { expectHeardEachOther, talk } from '../support/peers/baresip-call.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { runSipp, type SippHandle, type SippResult, describeSippResult } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';
import { startRegisteredCallees } from '../support/peers/sipp-callees.js';

let atende: TestAtende;
let work: string;

beforeAll(async () => {
  work = await makePeerDir('interop-atende');
  atende = await startAtende({ extensionCount: 1300 });
});

afterAll(async () => {
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

describe('SIPp against Atende', () => {
  it('registers 1,000 extensions with digest from a CSV at 500/s with no failure', async () => {
    const csv = await writeSippCsv(join(work, 'register.csv'), atende.domain, numberedUsers(1101, 1000));
    const r = await runSipp({
      scenario: 'register-auth', target: atende.sipTarget, injectCsv: csv,
      rate: 500, calls: 1000, rttFreq: 1, timeoutMs: 30_000,
    });
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1000);
    expect(r.failed).toBe(0);
    expect(r.durationMs).toBeGreaterThan(1500);
    // The bindings are really in the location service, one per extension.
    expect(atende.server.registrar.lookup('1101')).toHaveLength(1);
    expect(atende.server.registrar.lookup('2100')).toHaveLength(1);
  });

  it('refuses a wrong password (403 after the challenge)', async () => {
    const users = numberedUsers(2201, 2).map((u) => ({ ...u, password: 'wrong' }));
    const csv = await writeSippCsv(join(work, 'wrong.csv'), atende.domain, users);
    const r = await runSipp({
      scenario: 'register-auth', target: atende.sipTarget, injectCsv: csv, rate: 10, calls: 2, timeoutMs: 15_000,
      extraArgs: ['-recv_timeout', '2000'],
    });
    expect(r.successful).toBe(0);
    expect(r.failed).toBe(2);
    expect(atende.server.registrar.lookup('2201')).toHaveLength(0);
  });

  describe('calls between two registered SIPp instances', () => {
    const callees = new Map<string, SippHandle>();

    beforeAll(async () => {
      // One registered callee per behaviour; INVITEs reach each through its -oocsf scenario.
      const plan: [string, string][] = [['1002', 'uas-answer'], ['1003', 'uas-ring-cancel'], ['1004', 'uas-busy']];
      for (const [user, callee] of await startRegisteredCallees(plan, { target: atende.sipTarget, domain: atende.domain, dir: work })) callees.set(user, callee);
    });

    afterAll(async () => {
      await Promise.all([...callees.values()].map((c) => c.stop()));
    });

    async function call(scenario: string, target: string, calls: number): Promise<SippResult> {
      const csv = await writeSippCsv(join(work, `caller-${target}-${scenario}.csv`), atende.domain, numberedUsers(1001, 1, () => target));
      return runSipp({
        scenario, target: atende.sipTarget, injectCsv: csv, calls, rate: 10, maxConcurrent: 5,
        pauseMs: 200, rttFreq: 1, timeoutMs: 30_000,
      });
    }

    async function settled(): Promise<void> {
      for (let i = 0; i < 100 && atende.server.legs.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(atende.server.legs.size).toBe(0);
      expect(atende.server.legs.dialogCount).toBe(0);
    }

    it('makes authenticated calls (407, INVITE/100/180/200/ACK/BYE) with no failure', async () => {
      const r = await call('uac-auth-call', '1002', 20);
      expect(r.exitCode, describeSippResult(r)).toBe(0);
      expect(r.successful).toBe(20);
      expect(r.failed).toBe(0);
      await settled();
    });

    it('cancels ringing calls (180, CANCEL, 200, 487, ACK) on both legs', async () => {
      const r = await call('uac-auth-cancel', '1003', 5);
      expect(r.exitCode, describeSippResult(r)).toBe(0);
      expect(r.successful).toBe(5);
      await settled();
    });

    it('passes a busy callee\'s 486 to the caller', async () => {
      const r = await call('uac-auth-busy', '1004', 5);
      expect(r.exitCode, describeSippResult(r)).toBe(0);
      expect(r.successful).toBe(5);
      await settled();
    });

    it('fails a call expecting an answer when the callee is busy (the harness can fail)', async () => {
      const r = await call('uac-auth-call', '1004', 1);
      expect(r.exitCode).toBe(1);
      expect(r.failed).toBe(1);
    });
  });
});

describe('baresip through Atende', () => {
  async function phone(user: string, transport: BaresipTransport, tone: number, autoAnswer: boolean): Promise<Baresip> {
    const port = transport === 'tls' ? atende.tlsPort : atende.sipPort;
    return startBaresip({
      user, password: `pw-${user}`, registrar: `127.0.0.1:${port}`, transport,
      audioSource: `ausine,${tone}`, autoAnswer, recordDir: join(work, `rec-${user}`),
    });
  }

  const cases: [BaresipTransport, string, string][] = [['udp', '1011', '1012'], ['tcp', '1021', '1022'], ['tls', '1031', '1032']];
  for (const [transport, a, b] of cases) {
    it(`two softphones register over ${transport.toUpperCase()}, call through Atende and hear each other`, async () => {
      const caller = await phone(a, transport, 1000, false);
      const callee = await phone(b, transport, 440, true);
      await caller.waitForEvent('REGISTER_OK', 5000);
      await callee.waitForEvent('REGISTER_OK', 5000);
      expect(atende.server.registrar.lookup(b)[0]?.source.protocol).toBe(transport);

      await talk(caller, callee, callee.uri);
      await expectHeardEachOther(caller, callee, 1000, 440);
      await Promise.all([caller.stop(), callee.stop()]);
      expect(atende.server.legs.size).toBe(0);
    });
  }
});
