// Recording, hold from our side, the media timeout and per-leg quality over real SIP and RTP:
// two baresip phones (each sending its own sine) originated and bridged with a stereo recording
// that must hold each tone in its own channel; a voicemail-style recording of one phone kept
// when the phone hangs up; hold/unhold re-INVITEs checked by a SIPp callee; an answered leg
// whose far end sends no RTP ended by the media timeout with a BYE.
import { execFileSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bridge, type InboundLeg, type LegRegistry, originate, type ForkTarget, type LegDeps } from '../../src/call/index.js';
import type { MediaWorkerPool } from '../../src/media/worker/index.js';
import { startLegStack, type LegStack } from '../support/leg-stack.js';
import { startBaresip, type Baresip } from '../support/peers/baresip.js';
import { measureTone, readWav, type PcmAudio } from '../support/peers/goertzel.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { describeSippResult, startSipp, type SippHandle } from '../support/peers/sipp.js';

let stack: LegStack;
let pool: MediaWorkerPool;
let registry: LegRegistry;
let deps: LegDeps;
let work: string;
let mohDir: string;
const from = { uri: 'sip:atende@atende.local', displayName: 'Atende' };

beforeAll(async () => {
  stack = await startLegStack({ codecs: ['PCMU', 'PCMA'], portBase: 37_000 });
  ({ pool, registry, deps } = stack);
  work = await makePeerDir('interop-recording');
  mohDir = join(work, 'moh');
  await mkdir(mohDir, { recursive: true });
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', join(mohDir, 'song.wav'), 'synth', '1', 'sine', '600']);
});

afterEach(async () => {
  // Whatever a test did, nothing of its legs may be left.
  for (let i = 0; i < 40 && pool.endpointCount > 0; i++) await sleep(25);
  const leftOver = pool.endpointCount;
  // A failed test's legs are ended here, so the next test is not failed by them too.
  if (leftOver > 0 || registry.size > 0) await registry.shutdown(1000);
  expect(leftOver).toBe(0);
  expect(pool.ports.inUse - pool.sparePorts).toBe(0);
  expect(registry.size).toBe(0);
});

afterAll(async () => {
  await stopAllPeers();
  await stack?.close();
  await removePeerDirs();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The share of 40 ms slices (from 0.1 s on) where `freq` holds most of the power. Slices, not
 * one long window: a frame the jitter buffer slips shifts the sine's phase, which a single
 * long Goertzel window would read as the tone fading.
 */
function toneShare(audio: PcmAudio, freq: number): number {
  let slices = 0;
  let hits = 0;
  for (let t = 0.1; t + 0.04 <= audio.samples.length / audio.sampleRate; t += 0.04) {
    slices++;
    if (measureTone(audio, freq, { startS: t, durationS: 0.04 }).ratio > 0.5) hits++;
  }
  return slices === 0 ? 0 : hits / slices;
}

/** A baresip phone that answers by itself and sends a sine; reached directly (no registrar). */
async function phone(user: string, tone: number): Promise<Baresip> {
  // regint 0: it does not register; the registrar address is only written in its AOR.
  return startBaresip({ user, password: 'unused', registrar: '127.0.0.1:9', regint: 0, audioSource: `ausine,${tone}`, autoAnswer: true });
}

function forkToPhone(p: Baresip, user: string): ForkTarget {
  return { requestUri: `sip:${user}@127.0.0.1:${p.sipPort}`, target: { protocol: 'udp', address: '127.0.0.1', port: p.sipPort } };
}

function forkToSipp(sipp: SippHandle): ForkTarget {
  const port = sipp.ports.local;
  return { requestUri: `sip:2000@127.0.0.1:${port}`, target: { protocol: 'udp', address: '127.0.0.1', port } };
}

describe('recorded bridge between two baresip phones', () => {
  it('records 440 Hz (party a) on the left channel and 1000 Hz (party b) on the right, and reports the file', async () => {
    const pa = await phone('1001', 440);
    const pb = await phone('1002', 1000);
    const legA = await originate(deps, { toUri: 'sip:1001@atende.local', forks: [forkToPhone(pa, '1001')] }, { from, timeoutMs: 8000 });
    const legB = await originate(deps, { toUri: 'sip:1002@atende.local', forks: [forkToPhone(pb, '1002')] }, { from, timeoutMs: 8000, near: legA.endpointId ?? '' });
    const path = join(work, 'calls', 'a-b.wav');
    const bridged = bridge(legA, legB, { record: { path } });
    await sleep(2000);
    const live = await legA.stats();
    expect(live.packets).toBeGreaterThan(50);
    expect(live.mos).toBeGreaterThan(3.5);
    await legA.hangup('normal');
    const end = await bridged;
    expect(end.endedBy).toBe('a');
    expect(end.recording?.path).toBe(path);
    expect(end.recording?.durationMs).toBeGreaterThan(1500);
    expect(end.recording?.durationMs).toBeLessThan(4000);
    expect(end.recording?.bytes).toBe((await stat(path)).size);
    await Promise.all([legA.settled(), legB.settled()]);
    // Both legs' quality was read before their endpoints were released.
    expect(legA.lastStats?.packets).toBeGreaterThan(50);
    expect(legB.lastStats?.packets).toBeGreaterThan(50);
    expect(legB.lastStats?.lost).toBe(0);

    const left = await readWav(path, { channel: 0 });
    const right = await readWav(path, { channel: 1 });
    expect(left.channels).toBe(2);
    expect(toneShare(left, 440)).toBeGreaterThan(0.8);
    expect(toneShare(left, 1000)).toBe(0);
    expect(toneShare(right, 1000)).toBeGreaterThan(0.8);
    expect(toneShare(right, 440)).toBe(0);
    await Promise.all([pa.stop(), pb.stop()]);
  });
});

describe('leg.record (voicemail)', () => {
  it('records the far end mono after a beep and keeps the file when the phone hangs up', async () => {
    const p = await phone('1003', 440);
    const leg = await originate(deps, { toUri: 'sip:1003@atende.local', forks: [forkToPhone(p, '1003')] }, { from, timeoutMs: 8000 });
    const path = join(work, 'vm', 'msg.wav');
    const recording = leg.record({ path, maxMs: 20_000, beep: true });
    await sleep(1800);
    await p.hangup();
    const file = await recording;
    expect(file.reason).toBe('hangup');
    expect(file.path).toBe(path);
    expect(file.durationMs).toBeGreaterThan(1000);
    expect(leg.state).toBe('ended');
    const audio = await readWav(path);
    expect(audio.channels).toBe(1);
    expect(toneShare(audio, 440)).toBeGreaterThan(0.8);
    expect(toneShare(audio, 1000)).toBe(0);
    await leg.settled();
    await p.stop();
  });

  it('stops at maxMs with the leg still up', async () => {
    const p = await phone('1004', 1000);
    const leg = await originate(deps, { toUri: 'sip:1004@atende.local', forks: [forkToPhone(p, '1004')] }, { from, timeoutMs: 8000 });
    const file = await leg.record({ path: join(work, 'vm', 'short.wav'), maxMs: 1000 });
    expect(file.reason).toBe('max-duration');
    expect(file.durationMs).toBeGreaterThan(700);
    expect(file.durationMs).toBeLessThan(1500);
    expect(leg.state).toBe('answered');
    const short = await readWav(file.path);
    expect(toneShare(short, 1000)).toBeGreaterThan(0.8);
    expect(toneShare(short, 440)).toBe(0);
    await leg.hangup();
    await leg.settled();
    await p.stop();
  });
});

describe('hold from our side', () => {
  it('re-INVITEs with a=sendonly and plays music on hold, then a=sendrecv and the music stops', async () => {
    const sipp = await startSipp({ scenario: 'uas-answer-held-by-us', calls: 1, timeoutMs: 30_000, dir: await makePeerDir('interop-hold') });
    const leg = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkToSipp(sipp)] }, { from, timeoutMs: 5000 });
    const ep = leg.endpointId ?? '';
    expect((await pool.stats(ep)).packetsOut).toBe(0);
    await leg.hold(mohDir);
    expect(leg.holding).toBe(true);
    expect(leg.state).toBe('answered');
    await sipp.waitForLog(/hold offer sendonly/, 3000);
    await sleep(600);
    // Music on hold: about 50 packets/s towards the held party.
    const during = (await pool.stats(ep)).packetsOut;
    expect(during).toBeGreaterThan(15);
    await leg.unhold();
    expect(leg.holding).toBe(false);
    await sipp.waitForLog(/unhold offer sendrecv/, 3000);
    const after = (await pool.stats(ep)).packetsOut;
    await sleep(400);
    // Nothing plays any more (a packet or two may have been on the way).
    expect((await pool.stats(ep)).packetsOut - after).toBeLessThan(3);
    await leg.hangup();
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(await sipp.logLines(/hold acked|unhold acked/)).toHaveLength(2);
  });

  it('holds and unholds an inbound leg (the caller) the same way', async () => {
    const legs: InboundLeg[] = [];
    stack.onInbound = (leg) => {
      legs.push(leg);
      void leg.answer().catch(() => undefined);
    };
    try {
      const sipp = await startSipp({
        scenario: 'uac-held-by-us', calls: 1, timeoutMs: 30_000, service: '3000',
        target: `127.0.0.1:${stack.transport.viaSentBy('udp').port}`, dir: await makePeerDir('interop-hold-inbound'),
      });
      for (let i = 0; i < 100 && legs[0]?.state !== 'answered'; i++) await sleep(20);
      const leg = legs[0];
      if (leg === undefined) throw new Error('no inbound call arrived');
      expect(leg.state).toBe('answered');
      await leg.hold(mohDir);
      await sipp.waitForLog(/hold offer sendonly/, 3000);
      await sleep(400);
      expect((await leg.stats()).packetsSent).toBeGreaterThan(8);
      await leg.unhold();
      await sipp.waitForLog(/unhold offer sendrecv/, 3000);
      await leg.hangup();
      await leg.settled();
      expect(leg.lastStats).toBeDefined();
      const r = await sipp.done();
      expect(r.exitCode, describeSippResult(r)).toBe(0);
    } finally {
      stack.onInbound = undefined;
    }
  });

  it('hold of a leg that has ended rejects with its HangupError', async () => {
    const sipp = await startSipp({ scenario: 'uas-answer', calls: 1, timeoutMs: 30_000, dir: await makePeerDir('interop-hold-ended') });
    const leg = await originate(deps, { toUri: 'sip:2000@example.test', forks: [forkToSipp(sipp)] }, { from, timeoutMs: 5000 });
    await leg.hangup();
    await expect(leg.hold()).rejects.toMatchObject({ hangupCause: 'normal' });
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });
});

describe('media timeout', () => {
  it('ends an answered leg whose far end sends no RTP after the configured time, with a BYE', async () => {
    const quick: LegDeps = { ...deps, media: { ...deps.media, mediaTimeoutMs: 1000 } };
    const sipp = await startSipp({ scenario: 'uas-answer', calls: 1, timeoutMs: 30_000, dir: await makePeerDir('interop-media-timeout') });
    const started = Date.now();
    const leg = await originate(quick, { toUri: 'sip:2000@example.test', forks: [forkToSipp(sipp)] }, { from, timeoutMs: 5000 });
    const events: string[] = [];
    leg.on((e) => events.push(e.type === 'ended' ? `ended ${e.cause}` : e.type));
    expect(await leg.whenEnded()).toBe('media-timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(3000);
    expect(events).toEqual(['ended media-timeout']);
    await leg.settled();
    // The quality at the end says why: nothing received.
    expect(leg.lastStats?.packets).toBe(0);
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('does not end a leg whose far end keeps sending', async () => {
    const quick: LegDeps = { ...deps, media: { ...deps.media, mediaTimeoutMs: 1000 } };
    const p = await phone('1005', 440);
    const leg = await originate(quick, { toUri: 'sip:1005@atende.local', forks: [forkToPhone(p, '1005')] }, { from, timeoutMs: 8000 });
    await sleep(2500);
    expect(leg.state).toBe('answered');
    await leg.hangup();
    await leg.settled();
    await p.stop();
  });
});
