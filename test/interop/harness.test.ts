// Proves the peer-side harness (SIPp scenarios, baresip, Goertzel) against Kamailio, a registrar
// and proxy nobody here wrote. When Atende runs, the same helpers get pointed at it instead.
import { createServer } from 'node:tls';
import type { Server, TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip } from '../support/peers/baresip.js';
import { expectHeardEachOther } from '../support/peers/baresip-call.js';
import { KAMAILIO_DOMAIN, startKamailio } from '../support/peers/kamailio.js';
import type { KamailioPeer } from '../support/peers/kamailio.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { freePort } from '../support/peers/ports.js';
import { runSipp, describeSippResult } from '../support/peers/sipp.js';
import type { SippHandle, SippResult } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';
import { startRegisteredCallees } from '../support/peers/sipp-callees.js';
// test/support is in no vitest project's include: its unit tests run here.
import '../support/peers/goertzel.test.js';
import '../support/peers/sipp.test.js';
import '../support/peers/baresip-control.test.js';

let kamailio: KamailioPeer;
let work: string;
const servers: Server[] = [];

beforeAll(async () => {
  work = await makePeerDir('interop-harness');
  kamailio = await startKamailio({ users: 1300 });
});

afterAll(async () => {
  await stopAllPeers();
  for (const s of servers) s.close();
  await removePeerDirs(); // KEEP_PEER_DIRS=1 keeps SIPp traces and baresip recordings

});

describe('SIPp against Kamailio', () => {
  it('registers 200 users with digest auth at 100/s with no failure', async () => {
    // Users 1101.. so these bindings never fork the calls below (1001..1004).
    const csv = await writeSippCsv(join(work, 'register.csv'), KAMAILIO_DOMAIN, numberedUsers(1101, 200));
    const r = await runSipp({
      scenario: 'register-auth', target: kamailio.target, injectCsv: csv,
      rate: 100, calls: 200, rttFreq: 1, timeoutMs: 20_000,
    });
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(200);
    expect(r.failed).toBe(0);
    expect(r.rtt['register']?.count).toBe(200);
    // 200 calls at 100/s take about 2 s: the rate was applied.
    expect(r.durationMs).toBeGreaterThan(1500);
  });

  it('counts a wrong password as a failed registration', async () => {
    const users = numberedUsers(1201, 3).map((u) => ({ ...u, password: 'wrong' }));
    const csv = await writeSippCsv(join(work, 'wrong.csv'), KAMAILIO_DOMAIN, users);
    const r = await runSipp({
      scenario: 'register-auth', target: kamailio.target, injectCsv: csv, rate: 10, calls: 3, timeoutMs: 15_000,
      // A 401 where 200 is expected ends the call at once instead of waiting for a timeout.
      extraArgs: ['-recv_timeout', '2000'],
    });
    expect(r.exitCode).toBe(1);
    expect(r.successful).toBe(0);
    expect(r.failed).toBe(3);
  });

  describe('calls between registered SIPp instances', () => {
    const callees = new Map<string, SippHandle>();

    beforeAll(async () => {
      // One registered callee per behaviour; INVITEs reach each through its -oocsf scenario.
      const plan: [string, string][] = [['1002', 'uas-answer'], ['1003', 'uas-ring-cancel'], ['1004', 'uas-busy']];
      for (const [user, callee] of await startRegisteredCallees(plan, { target: kamailio.target, domain: KAMAILIO_DOMAIN, dir: work })) callees.set(user, callee);
    });

    afterAll(async () => {
      await Promise.all([...callees.values()].map((c) => c.stop()));
    });

    async function call(scenario: string, target: string, calls: number): Promise<SippResult> {
      const csv = await writeSippCsv(join(work, `caller-${target}.csv`), KAMAILIO_DOMAIN, numberedUsers(1001, 1, () => target));
      return runSipp({
        scenario, target: kamailio.target, injectCsv: csv, calls, rate: 10, maxConcurrent: 5,
        pauseMs: 200, rttFreq: 1, timeoutMs: 20_000,
      });
    }

    it('makes authenticated calls (407, INVITE/180/200/ACK/BYE) through Kamailio', async () => {
      const r = await call('uac-auth-call', '1002', 10);
      expect(r.exitCode, describeSippResult(r)).toBe(0);
      expect(r.successful).toBe(10);
      expect(r.failed).toBe(0);
      expect(r.rtt['setup']?.count).toBe(10);
    });

    it('cancels ringing calls (180, CANCEL, 200, 487, ACK)', async () => {
      const r = await call('uac-auth-cancel', '1003', 5);
      expect(r.exitCode, describeSippResult(r)).toBe(0);
      expect(r.successful).toBe(5);
    });

    it('gets 486 from a busy callee', async () => {
      const r = await call('uac-auth-busy', '1004', 5);
      expect(r.exitCode, describeSippResult(r)).toBe(0);
      expect(r.successful).toBe(5);
    });

    it('fails a call expecting an answer when the callee is busy', async () => {
      const r = await call('uac-auth-call', '1004', 1);
      expect(r.exitCode).toBe(1);
      expect(r.failed).toBe(1);
    });
  });
});

describe('baresip against Kamailio', () => {
  it('two softphones register over UDP, call (auto-answer) and hear each other\'s tone', async () => {
    const caller = await startBaresip({
      user: '1011', password: 'pw-1011', registrar: kamailio.target, audioSource: 'ausine,1000',
      recordDir: join(work, 'rec-caller'),
    });
    const callee = await startBaresip({
      user: '1012', password: 'pw-1012', registrar: kamailio.target, audioSource: 'ausine,440',
      autoAnswer: true, recordDir: join(work, 'rec-callee'),
    });
    await caller.waitForEvent('REGISTER_OK', 5000);
    await callee.waitForEvent('REGISTER_OK', 5000);

    expect((await caller.dial(callee.uri)).ok).toBe(true);
    await caller.waitForEvent('CALL_ESTABLISHED', 5000);
    await callee.waitForEvent('CALL_ESTABLISHED', 5000);
    await new Promise((r) => setTimeout(r, 1500)); // let audio flow
    await caller.hangup();
    await callee.waitForEvent('CALL_CLOSED', 5000);
    await caller.waitForEvent('CALL_CLOSED', 5000);

    await expectHeardEachOther(caller, callee, 1000, 440);
    await Promise.all([caller.stop(), callee.stop()]);
  });

  it('registers over TCP', async () => {
    const phone = await startBaresip({ user: '1013', password: 'pw-1013', registrar: kamailio.target, transport: 'tcp' });
    const ok = await phone.waitForEvent('REGISTER_OK', 5000);
    expect(ok.accountaor).toContain('1013');
    await phone.stop();
  });

  it('registers over TLS to a server with a self-signed certificate (no CA configured)', async () => {
    // Kamailio here has no TLS module: a minimal TLS registrar proves baresip's TLS setup.
    const pems = await generate([{ name: 'commonName', value: KAMAILIO_DOMAIN }], { keySize: 2048 });
    const requests: string[] = [];
    const server = createServer({ key: pems.private, cert: pems.cert }, (socket: TLSSocket) => {
      socket.setEncoding('utf8');
      socket.on('error', () => { /* baresip closing */ });
      socket.on('data', (text: string) => {
        if (!text.startsWith('REGISTER ')) return;
        requests.push(text);
        const header = (name: string) => text.match(new RegExp(`^${name}:.*$`, 'mi'))?.[0] ?? '';
        socket.write([
          'SIP/2.0 200 OK', header('Via'), header('From'), `${header('To')};tag=tls1`, header('Call-ID'),
          header('CSeq'), `${header('Contact')};expires=600`, 'Content-Length: 0', '', '',
        ].join('\r\n'));
      });
    });
    servers.push(server);
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    const phone = await startBaresip({ user: '1014', password: 'pw-1014', registrar: `127.0.0.1:${port}`, transport: 'tls' });
    await phone.waitForEvent('REGISTER_OK', 5000);
    expect(requests[0]).toMatch(/^Via: SIP\/2\.0\/TLS /m);
    await phone.stop();
  });
});
