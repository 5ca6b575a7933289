// Reliable provisional responses (RFC 3262) and session timers (RFC 4028) on a call between
// SIPp callers and callees that require them: each leg (caller and callee) negotiates its own.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { runSipp, type SippHandle, type SippResult, describeSippResult } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';
import { startRegisteredCallees } from '../support/peers/sipp-callees.js';

let atende: TestAtende;
let work: string;
const callees = new Map<string, SippHandle>();

beforeAll(async () => {
  work = await makePeerDir('interop-call-extensions');
  // Min-SE 2 s lets a test see a session expire; the intervals asked for below are the peers'.
  atende = await startAtende({ extensionCount: 10, sessionTimer: { sessionExpiresS: 1800, minSES: 2, imposeWhenAbsent: true } });
  const plan: [string, string][] = [['1005', 'uas-100rel-timer'], ['1006', 'uas-answer-until-bye']];
  for (const [user, callee] of await startRegisteredCallees(plan, { target: atende.sipTarget, domain: atende.domain, dir: work })) callees.set(user, callee);
});

afterAll(async () => {
  await Promise.all([...callees.values()].map((c) => c.stop()));
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

async function call(scenario: string, target: string, pauseMs: number): Promise<SippResult> {
  const csv = await writeSippCsv(join(work, `caller-${target}-${scenario}.csv`), atende.domain, numberedUsers(1001, 1, () => target));
  return runSipp({ scenario, target: atende.sipTarget, injectCsv: csv, calls: 1, rate: 1, pauseMs, timeoutMs: 30_000 });
}

async function settled(): Promise<void> {
  for (let i = 0; i < 100 && atende.server.legs.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(atende.server.legs.size).toBe(0);
}

describe('100rel and session timers on each leg of a call', () => {
  it('PRACKs a callee\'s reliable 183, relays it reliably to a caller requiring 100rel, and keeps both legs\' session timers', async () => {
    // Caller: Require 100rel, Session-Expires 120 refresher=uac, PRACK, 200 with Session-Expires
    // and Require: timer, one UPDATE refresh answered with Session-Expires. Callee: our INVITE
    // says Supported 100rel, timer; its 183 is PRACKed; its 200 makes us refresher every 3 s.
    const r = await call('uac-auth-100rel-timer', '1005', 4500);
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
    // The callee saw our UPDATE refresh (its scenario logs it only after checking it).
    expect(await callees.get('1005')?.logLines(/refreshed by Atende/)).toHaveLength(1);
    await settled();
  });

  it('answers a caller without 100rel in the 2xx while the callee answered in a reliable 183 (anchored media: our own SDP)', async () => {
    const r = await call('uac-auth-call-needs-sdp', '1005', 4500);
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
    expect(await callees.get('1005')?.logLines(/refreshed by Atende/)).toHaveLength(2);
    await settled();
  });

  it('ends a call whose caller stops refreshing its session, with BYE on both legs', async () => {
    const started = Date.now();
    const r = await call('uac-auth-timer-never-refresh', '1006', 0);
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
    // 4 s interval: the non-refresher gives up after 4 - 4/3 s (RFC 4028 10), not the 60 s the caller would wait.
    expect(Date.now() - started).toBeLessThan(15_000);
    await settled();
  });
});

describe('codec of a call between extensions', () => {
  it('answers the caller in the callee\'s codec when the caller offered it (no transcoding), not in our own first choice', async () => {
    // Caller offers PCMU, PCMA; Atende prefers PCMA; the callee answers PCMU only. The caller's
    // scenario fails unless our 200 says "RTP/AVP 0 101".
    const r = await call('uac-auth-call-codec', '1006', 200);
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
    await settled();
  });
});
