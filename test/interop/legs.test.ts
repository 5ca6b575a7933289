// Outbound legs (originate) and bridge over real SIP and RTP sockets, against SIPp callees:
// answered, forked (one answers, the other is cancelled), busy, ring timeout, abort, and two
// outbound legs bridged in the media worker with RTP relayed between the two SIPp callees.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bridge, forkForSipUri, isOriginateError, type LegRegistry, originate, type ForkTarget, type LegDeps, type OriginateError } from '../../src/call/index.js';
import type { MediaWorkerPool } from '../../src/media/worker/index.js';
import { startLegStack, type LegStack } from '../support/leg-stack.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { describeSippResult, startSipp, type SippHandle } from '../support/peers/sipp.js';

let stack: LegStack;
let pool: MediaWorkerPool;
let registry: LegRegistry;
let deps: LegDeps;
let talkWav: string;
const from = { uri: 'sip:atende@atende.local', displayName: 'Atende' };

beforeAll(async () => {
  stack = await startLegStack();
  ({ pool, registry, deps } = stack);
  const dir = await makePeerDir('interop-legs-audio');
  talkWav = join(dir, 'talk.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'mu-law', talkWav, 'synth', '1', 'sine', '440']);
});

afterEach(async () => {
  // Whatever a test did, nothing of its legs may be left.
  for (let i = 0; i < 40 && pool.endpointCount > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(pool.endpointCount).toBe(0);
  expect(pool.ports.inUse - pool.sparePorts).toBe(0);
  expect(registry.size).toBe(0);
  expect(registry.dialogCount).toBe(0);
});

afterAll(async () => {
  await stopAllPeers();
  await stack?.close();
  await removePeerDirs();
});

async function callee(scenario: string, opts: { talk?: boolean } = {}): Promise<SippHandle> {
  const dir = await makePeerDir(`interop-legs-${scenario}`);
  if (opts.talk === true) execFileSync('cp', [talkWav, join(dir, 'talk.wav')]);
  return startSipp({ scenario, calls: 1, timeoutMs: 30_000, dir });
}

function forkTo(sipp: SippHandle): ForkTarget {
  const port = sipp.ports.local;
  return { requestUri: `sip:2000@127.0.0.1:${port}`, target: { protocol: 'udp', address: '127.0.0.1', port } };
}

async function originateError(p: Promise<unknown>): Promise<OriginateError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!isOriginateError(err)) throw new Error(`expected an OriginateError, got ${String(err)}`);
  return err;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('originate', () => {
  it('answers: a live endpoint in the worker, an answered leg; hangup sends BYE to the callee', async () => {
    const sipp = await callee('uas-answer');
    let early = 0;
    const leg = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(sipp)] }, { from, timeoutMs: 5000, onEarly: () => early++ });
    expect(leg.state).toBe('answered');
    expect(leg.direction).toBe('outbound');
    expect(early).toBe(1);
    const ep = leg.endpointId;
    expect(ep).toBeDefined();
    expect(pool.workerOf(ep ?? '')).toBe(0);
    expect(registry.size).toBe(1);
    await leg.hangup('normal');
    expect(leg.state).toBe('ended');
    expect(leg.signal.aborted).toBe(true);
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(r.successful).toBe(1);
  });

  it('reaches a plain SIP URI (a device that is not one of our extensions)', async () => {
    const sipp = await startSipp({ scenario: 'uas-answer', calls: 1, timeoutMs: 30_000, dir: await makePeerDir('interop-legs-uri') });
    const target = await forkForSipUri(`sip:2000@127.0.0.1:${sipp.ports.local};transport=udp`);
    if (!target.ok) throw new Error(target.reason);
    expect(target.fork.target).toMatchObject({ protocol: 'udp', port: sipp.ports.local });
    const leg = await originate(deps, { toUri: 'sip:2000@127.0.0.1', forks: [target.fork] }, { from, timeoutMs: 5000 });
    expect(leg.state).toBe('answered');
    await leg.hangup('normal');
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('forks: the first 2xx wins and the ringing fork is cancelled', async () => {
    const ringing = await callee('uas-ring-cancel');
    const answering = await callee('uas-answer');
    // The ringing fork first, so its 180 is in before the other answers.
    const leg = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(ringing), forkTo(answering)] }, { from, timeoutMs: 5000 });
    expect(leg.state).toBe('answered');
    const cancelled = await ringing.done();
    expect(cancelled.exitCode, describeSippResult(cancelled)).toBe(0);
    await leg.hangup();
    await leg.settled();
    const answered = await answering.done();
    expect(answered.exitCode, describeSippResult(answered)).toBe(0);
  });

  it('PRACKs a reliable 183 with SDP (early media applied), takes it as the answer of an SDP-less 2xx, and refreshes the session', async () => {
    const sipp = await callee('uas-100rel-timer');
    let earlyRemote: Promise<string> | undefined;
    const leg = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(sipp)] }, {
      from, timeoutMs: 5000,
      // Asked while ringing: the worker answers after the 183's far end and before the 2xx's.
      onEarly: (l) => {
        earlyRemote = pool.stats(l.endpointId ?? '').then((st) => `${st.remoteAddress}:${st.remotePort}`);
      },
    });
    expect(leg.state).toBe('answered');
    // The endpoint already sent to SIPp's media port while ringing (the 183's SDP).
    expect(await earlyRemote).toBe(`127.0.0.1:${sipp.ports.media}`);
    // Session-Expires 6 with us as refresher: an UPDATE about 3 s after the answer.
    await sipp.waitForLog(/refreshed by Atende/, 6000);
    await leg.hangup();
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('busy: rejects with cause busy and status 486', async () => {
    const sipp = await callee('uas-busy');
    const err = await originateError(originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(sipp)] }, { from, timeoutMs: 5000 }));
    expect(err.cause).toBe('busy');
    expect(err.status).toBe(486);
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('no answer in time: CANCEL reaches the callee, cause no-answer', async () => {
    const sipp = await callee('uas-ring-cancel');
    const started = Date.now();
    const err = await originateError(originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(sipp)] }, { from, timeoutMs: 700 }));
    expect(err.cause).toBe('no-answer');
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('abort: the signal cancels the ringing callee, cause cancelled', async () => {
    const sipp = await callee('uas-ring-cancel');
    const ctl = new AbortController();
    const pending = originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(sipp)] }, { from, timeoutMs: 10_000, signal: ctl.signal, onEarly: () => ctl.abort() });
    const err = await originateError(pending);
    expect(err.cause).toBe('cancelled');
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('no forks: unavailable at once, nothing opened', async () => {
    const err = await originateError(originate(deps, { toUri: 'sip:2000@example.test', forks: [] }, { from, timeoutMs: 1000 }));
    expect(err.cause).toBe('unavailable');
  });
});

describe('requests from the far end of an answered outbound leg', () => {
  it('hold by re-INVITE (we answer recvonly), a digit by INFO, then its BYE ends the leg', async () => {
    const sipp = await callee('uas-answer-hold-info');
    const leg = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(sipp)] }, { from, timeoutMs: 5000 });
    const events: string[] = [];
    leg.on((e) => events.push(e.type === 'dtmf' ? `dtmf ${e.digit}` : e.type));
    expect(await leg.collect({ max: 1, firstDigitMs: 5000, interDigitMs: 0 })).toBe('5');
    expect(await leg.whenEnded()).toBe('normal');
    expect(events).toEqual(['held', 'dtmf 5', 'ended']);
    await expect(leg.play({ kind: 'silence', durationMs: 100 })).rejects.toMatchObject({ hangupCause: 'normal' });
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });
});

describe('bridge', () => {
  it('relays RTP between two answered outbound legs and ends the other when one hangs up (BYE from the callee)', async () => {
    const a = await callee('uas-answer-rtp-bye', { talk: true });
    const b = await callee('uas-answer-rtp', { talk: true });
    const legA = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(a)] }, { from, timeoutMs: 5000 });
    const legB = await originate(deps, { toUri: 'sip:2001@example.test', forks: [forkTo(b)] }, { from, timeoutMs: 5000, near: legA.endpointId ?? '' });
    const epA = legA.endpointId ?? '';
    const epB = legB.endpointId ?? '';
    expect(pool.workerOf(epB)).toBe(pool.workerOf(epA));
    const bridged = bridge(legA, legB);
    await sleep(1000);
    const [sa, sb] = await Promise.all([pool.stats(epA), pool.stats(epB)]);
    // Each callee streams 50 packets/s to its endpoint; the relay sends each out of the other one.
    expect(sa.packetsIn).toBeGreaterThan(20);
    expect(sb.packetsIn).toBeGreaterThan(20);
    expect(sb.packetsOut).toBeGreaterThan(20);
    expect(sa.packetsOut).toBeGreaterThan(20);
    // Callee A hangs up by itself about 2 s after answering: the bridge ends and B gets our BYE.
    const end = await bridged;
    expect(end).toEqual({ endedBy: 'a', cause: 'normal' });
    expect(legA.state).toBe('ended');
    expect(legB.state).toBe('ended');
    await Promise.all([legA.settled(), legB.settled()]);
    const [ra, rb] = await Promise.all([a.done(), b.done()]);
    expect(ra.exitCode, describeSippResult(ra)).toBe(0);
    expect(rb.exitCode, describeSippResult(rb)).toBe(0);
    expect(await b.logLines(/BYE from Atende/)).toHaveLength(1);
  });

  it('our hangup of one bridged leg ends the other, both with BYE', async () => {
    const a = await callee('uas-answer');
    const b = await callee('uas-answer');
    const legA = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkTo(a)] }, { from, timeoutMs: 5000 });
    const legB = await originate(deps, { toUri: 'sip:2001@example.test', forks: [forkTo(b)] }, { from, timeoutMs: 5000, near: legA.endpointId ?? '' });
    const bridged = bridge(legA, legB);
    await sleep(100);
    await legB.hangup('normal');
    expect(await bridged).toEqual({ endedBy: 'b', cause: 'normal' });
    expect(legA.state).toBe('ended');
    await Promise.all([legA.settled(), legB.settled()]);
    const [ra, rb] = await Promise.all([a.done(), b.done()]);
    expect(ra.exitCode, describeSippResult(ra)).toBe(0);
    expect(rb.exitCode, describeSippResult(rb)).toBe(0);
  });
});
