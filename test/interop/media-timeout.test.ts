// ATENDE_MEDIA_TIMEOUT on the running server: a call whose phones send no RTP at all is hung up
// with BYE on both legs after the configured seconds (two SIPp phones that never send media).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestAtende } from '../support/atende.js';
import { startAtendeWithCallees, type AtendeWithCallees } from '../support/atende-with-callees.js';
import { describeSippResult, runSipp, type SippHandle } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';

let env: AtendeWithCallees;
let atende: TestAtende;
let work: string;
let callees: Map<string, SippHandle>;

beforeAll(async () => {
  env = await startAtendeWithCallees('interop-media-timeout', [['1002', 'uas-answer-until-bye']], { extensionCount: 10, env: { ATENDE_MEDIA_TIMEOUT: '2' } });
  ({ atende, work, callees } = env);
});

afterAll(async () => {
  await env?.stop();
});

describe('media timeout', () => {
  it('hangs up a call without RTP after ATENDE_MEDIA_TIMEOUT seconds, BYE on both legs', async () => {
    const csv = await writeSippCsv(join(work, 'caller.csv'), atende.domain, numberedUsers(1001, 1, () => '1002'));
    const started = Date.now();
    const r = await runSipp({ scenario: 'uac-auth-call-until-bye', target: atende.sipTarget, injectCsv: csv, calls: 1, rate: 1, timeoutMs: 30_000 });
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
    const elapsed = Date.now() - started;
    // 2 s of silence, not the 60 s the caller would wait for a BYE.
    expect(elapsed).toBeGreaterThan(1500);
    expect(elapsed).toBeLessThan(12_000);
    await callees.get('1002')?.waitForLog(/BYE from server/, 3000);
    for (let i = 0; i < 60 && atende.server.legs.size > 0; i++) await new Promise((res) => setTimeout(res, 50));
    expect(atende.server.legs.size).toBe(0);
  });
});
