// RFC 2833/4733 digits as a real phone's packets: SIPp answers our call and plays its bundled
// DTMF captures (play_pcap_audio opens raw sockets: the project's machines run the tests as
// root, as ../shared/TESTING.md says); the outbound leg collects them through the media worker.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { originate, type LegDeps, type LegRegistry } from '../../src/call/index.js';
import type { MediaWorkerPool } from '../../src/media/worker/index.js';
import { startLegStack, type LegStack } from '../support/leg-stack.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { describeSippResult, startSipp } from '../support/peers/sipp.js';

let stack: LegStack;
let pool: MediaWorkerPool;
let registry: LegRegistry;
let deps: LegDeps;
const from = { uri: 'sip:atende@atende.local', displayName: 'Atende' };

beforeAll(async () => {
  stack = await startLegStack();
  ({ pool, registry, deps } = stack);
});

afterEach(async () => {
  for (let i = 0; i < 40 && pool.endpointCount > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(pool.endpointCount).toBe(0);
  expect(registry.size).toBe(0);
});

afterAll(async () => {
  await stopAllPeers();
  await stack?.close();
  await removePeerDirs();
});

describe('RFC 2833 captures played by SIPp', () => {
  it('collects 2, 5, 8 ended by # from the pcap events, each digit once', async () => {
    const dir = await makePeerDir('interop-dtmf-pcap');
    const sipp = await startSipp({ scenario: 'uas-answer-dtmf-pcap', calls: 1, timeoutMs: 30_000, dir });
    const port = sipp.ports.local;
    const leg = await originate(deps, {
      toUri: 'sip:2000@example.test',
      forks: [{ requestUri: `sip:2000@127.0.0.1:${port}`, target: { protocol: 'udp', address: '127.0.0.1', port } }],
    }, { from, timeoutMs: 5000 });
    const digits: string[] = [];
    leg.on((e) => {
      if (e.type === 'dtmf') digits.push(e.digit);
    });
    const collected = await leg.collect({ max: 4, terminator: '#', firstDigitMs: 5000, interDigitMs: 3000 });
    expect(collected).toBe('258');
    // Every capture repeats its end packet three times: one event per key press all the same.
    expect(digits).toEqual(['2', '5', '8', '#']);
    await leg.hangup('normal');
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });
});
