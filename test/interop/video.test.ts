// Video calls between phones work through Atende: the audio is anchored, the m=video lines are
// relayed untouched so the video flows phone to phone (SIPp video phones check both SDPs).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { describeSippResult, runSipp, type SippHandle } from '../support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../support/peers/sipp-csv.js';
import { startRegisteredCallees } from '../support/peers/sipp-callees.js';

let atende: TestAtende;
let work: string;
const callees = new Map<string, SippHandle>();

beforeAll(async () => {
  work = await makePeerDir('interop-video');
  atende = await startAtende({ extensionCount: 10 });
  for (const [user, callee] of await startRegisteredCallees([['1002', 'uas-answer-video']], { target: atende.sipTarget, domain: atende.domain, dir: work })) {
    callees.set(user, callee);
  }
});

afterAll(async () => {
  await Promise.all([...callees.values()].map((c) => c.stop()));
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
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
