// A supervisor on an agent's call, with real phones: three baresip phones sending 440 Hz (the
// caller), 1000 Hz (the agent) and 700 Hz (the supervisor), the caller and agent bridged in the
// media worker, the supervisor joined in listen mode and then barge. What each phone heard is
// read from its recording, window by window, with a Goertzel filter.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridge, originate, spy, spyMembers, type ForkTarget, type LegDeps, type LegRegistry } from '../../src/call/index.js';
import type { MediaWorkerPool } from '../../src/media/worker/index.js';
import { startLegStack, type LegStack } from '../support/leg-stack.js';
import { startBaresip, type Baresip } from '../support/peers/baresip.js';
import { measureTone, readWav, type PcmAudio } from '../support/peers/goertzel.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';

let stack: LegStack;
let pool: MediaWorkerPool;
let registry: LegRegistry;
let deps: LegDeps;
let work: string;
const from = { uri: 'sip:atende@atende.local', displayName: 'Atende' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  stack = await startLegStack({ portBase: 39_000 });
  ({ pool, registry, deps } = stack);
  work = await makePeerDir('interop-spy');
});

afterAll(async () => {
  await stopAllPeers();
  await stack?.close();
  await removePeerDirs();
});

async function phone(user: string, tone: number): Promise<Baresip> {
  return startBaresip({
    user, password: 'unused', registrar: '127.0.0.1:9', regint: 0, audioSource: `ausine,${tone}`,
    autoAnswer: true, recordDir: join(work, `rec-${user}`),
  });
}

function forkToPhone(p: Baresip, user: string): ForkTarget {
  return { requestUri: `sip:${user}@127.0.0.1:${p.sipPort}`, target: { protocol: 'udp', address: '127.0.0.1', port: p.sipPort } };
}

async function heard(p: Baresip): Promise<PcmAudio> {
  const dec = (await p.recordings()).find((f) => f.endsWith('-dec.wav'));
  expect(dec, p.log()).toBeDefined();
  return readWav(dec as string);
}

/** How much of a window (seconds before the end of the recording) is the tone. */
function share(audio: PcmAudio, hz: number, fromEndS: number, durationS: number): number {
  const total = audio.samples.length / audio.sampleRate;
  return measureTone(audio, hz, { startS: total - fromEndS, durationS }).ratio;
}

describe('supervisor spy modes on a bridged call', () => {
  it('listen: the supervisor hears both parties and nobody hears it; barge: everybody hears it', async () => {
    const caller = await phone('3001', 440);
    const agent = await phone('3002', 1000);
    const supervisor = await phone('3003', 700);
    const legC = await originate(deps, { toUri: 'sip:3001@atende.local', forks: [forkToPhone(caller, '3001')] }, { from, timeoutMs: 8000 });
    const near = legC.endpointId ?? '';
    const legA = await originate(deps, { toUri: 'sip:3002@atende.local', forks: [forkToPhone(agent, '3002')] }, { from, timeoutMs: 8000, near });
    const legS = await originate(deps, { toUri: 'sip:3003@atende.local', forks: [forkToPhone(supervisor, '3003')] }, { from, timeoutMs: 8000, near });
    const call = bridge(legC, legA);
    await sleep(1000);
    const legs = { supervisor: legS, agent: legA, caller: legC };
    const mix = await spy(pool, 'listen', legs);
    await sleep(2500);
    await mix.update(spyMembers('barge', legs));
    await sleep(2500);
    await mix.stop();
    await legS.hangup();
    await legC.hangup();
    await call;
    for (const p of [caller, agent, supervisor]) await p.waitForEvent('CALL_CLOSED', 5000);

    const atCaller = await heard(caller);
    const atAgent = await heard(agent);
    const atSupervisor = await heard(supervisor);
    // Listen (2.8-4.7 s before the end): the supervisor hears both; the two parties only each other.
    expect(share(atSupervisor, 440, 4.7, 1.9)).toBeGreaterThan(0.15);
    expect(share(atSupervisor, 1000, 4.7, 1.9)).toBeGreaterThan(0.15);
    expect(share(atCaller, 1000, 4.7, 1.9)).toBeGreaterThan(0.5);
    expect(share(atCaller, 700, 4.7, 1.9)).toBeLessThan(0.02);
    expect(share(atAgent, 440, 4.7, 1.9)).toBeGreaterThan(0.5);
    expect(share(atAgent, 700, 4.7, 1.9)).toBeLessThan(0.02);
    // Barge (0.4-2.2 s before the end): the supervisor is heard by both.
    expect(share(atCaller, 700, 2.2, 1.8)).toBeGreaterThan(0.15);
    expect(share(atAgent, 700, 2.2, 1.8)).toBeGreaterThan(0.15);
    await Promise.all([caller.stop(), agent.stop(), supervisor.stop()]);
    for (let i = 0; i < 40 && pool.endpointCount > 0; i++) await sleep(25);
    expect(pool.endpointCount).toBe(0);
    expect(registry.size).toBe(0);
  });
});
