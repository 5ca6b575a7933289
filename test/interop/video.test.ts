// Video calls between phones work through Atende: the audio is anchored, the m=video lines are
// relayed untouched so the video flows phone to phone (SIPp video phones check both SDPs).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestAtende } from '../support/atende.js';
import { startAtendeWithCallees, type AtendeWithCallees } from '../support/atende-with-callees.js';
import { describeSippResult, runSipp } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';

let env: AtendeWithCallees;
let atende: TestAtende;
let work: string;

beforeAll(async () => {
  env = await startAtendeWithCallees('interop-video', [['1002', 'uas-answer-video']], { extensionCount: 10 });
  ({ atende, work } = env);
});

afterAll(async () => {
  await env?.stop();
});

describe('video between phones', () => {
  it('passes the m=video lines untouched both ways while the audio is anchored', async () => {
    const csv = await writeSippCsv(join(work, 'caller.csv'), atende.domain, numberedUsers(1001, 1, () => '1002'));
    const r = await runSipp({ scenario: 'uac-auth-video-call', target: atende.sipTarget, injectCsv: csv, calls: 1, rate: 1, pauseMs: 300, timeoutMs: 20_000 });
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
    for (let i = 0; i < 60 && atende.server.legs.size > 0; i++) await new Promise((res) => setTimeout(res, 50));
    expect(atende.server.legs.size).toBe(0);
  });
});
