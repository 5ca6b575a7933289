// Recording pause/resume in real worker threads over real UDP on 127.0.0.1: two dgram phones
// talk (a tone each) through a recorded relay; what they say while the recording is paused
// must be silence in the WAV, and the file must still last as long as the call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goertzelPower } from '../dtmf/index.js';
import { isWavParseError, readWavFile } from '../wav/index.js';
import { toneTicks } from '../../../test/support/rtp-phone.js';
import { mediaWorkerFixture } from '../../../test/support/media-worker-fixture.js';
import type { RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';
const RATE = 8000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pcmu(port: number): RemoteDescription {
  return { address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000, ptime: 20, direction: 'sendrecv' };
}

/** Samples [fromMs, toMs) of a channel. */
const slice = (ch: Int16Array, fromMs: number, toMs: number): Int16Array =>
  ch.subarray(Math.round((fromMs * RATE) / 1000), Math.round((toMs * RATE) / 1000));

/** The longest stretch where both channels are exactly zero. */
function longestSilence(left: Int16Array, right: Int16Array): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let runStart = -1;
  for (let i = 0; i <= left.length; i++) {
    const silent = i < left.length && left[i] === 0 && right[i] === 0;
    if (silent && runStart < 0) runStart = i;
    if (!silent && runStart >= 0) {
      if (i - runStart > best.length) best = { start: runStart, length: i - runStart };
      runStart = -1;
    }
  }
  return best;
}

const power = (pcm: Int16Array, hz: number): number => goertzelPower(pcm, 0, pcm.length, hz, RATE);

describe('recording pause/resume in media workers', () => {
  const fx = mediaWorkerFixture({ workers: 1, ports: '34000-34199', firstSsrc: 0x5100 });
  const { newPhone } = fx;
  let dir: string;
  const endpoint = (near?: string) =>
    fx.pool.createEndpoint({ localAddress: HOST, rtcpMux: true, ...(near ? { near } : {}), options: { rtcpIntervalMs: 0 } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'atende-recpause-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes silence while paused, keeps the call\'s length, and records the tones before and after', async () => {
    const pa = await newPhone();
    const pb = await newPhone();
    const a = await endpoint();
    const b = await endpoint(a.endpoint);
    await fx.pool.setRemote(a.endpoint, pcmu(pa.port));
    await fx.pool.setRemote(b.endpoint, pcmu(pb.port));
    await fx.pool.connect(a.endpoint, b.endpoint);
    const path = join(dir, 'paused.wav');
    void pa.stream(a.port, toneTicks(600));
    void pb.stream(b.port, toneTicks(1400));
    await sleep(100);
    const t0 = performance.now();
    await fx.pool.record({ recId: 'rp', path, endpoints: [a.endpoint, b.endpoint] });
    await sleep(1000);
    const pausedAt = performance.now() - t0;
    await fx.pool.pauseRecord('rp');
    await sleep(300);
    await fx.pool.pauseRecord('rp'); // idempotent: still paused, nothing else changes
    await sleep(700);
    const resumedAt = performance.now() - t0;
    await fx.pool.resumeRecord('rp');
    await fx.pool.resumeRecord('rp'); // idempotent too
    await sleep(1000);
    const stoppedAt = performance.now() - t0;
    const result = await fx.pool.stopRecord('rp');

    // The file covers the whole call, paused second included (a skip would make it 1 s shorter);
    // bounds loose for command latency on a loaded machine.
    expect(result.durationMs).toBeGreaterThan(stoppedAt - 300);
    expect(result.durationMs).toBeLessThan(stoppedAt + 500);
    const wav = await readWavFile(path);
    if (isWavParseError(wav)) throw new Error(wav.reason);
    expect(wav.channels).toBe(2);
    const left = new Int16Array(wav.frames);
    const right = new Int16Array(wav.frames);
    for (let i = 0; i < wav.frames; i++) {
      left[i] = wav.samples[2 * i]!;
      right[i] = wav.samples[2 * i + 1]!;
    }
    // The pause is where both channels are exactly zero (the phones never stop talking, and a
    // lost packet would be at most a few ms). Found in the data, so a slow command on a loaded
    // machine moves it without failing the test; it must be about the paused second.
    const { start, length } = longestSilence(left, right);
    const startMs = (start * 1000) / RATE;
    const lengthMs = (length * 1000) / RATE;
    const pausedMs = resumedAt - pausedAt;
    expect(startMs).toBeGreaterThan(pausedAt - 60);
    expect(startMs).toBeLessThan(pausedAt + 400);
    expect(lengthMs).toBeGreaterThan(pausedMs - 400);
    expect(lengthMs).toBeLessThan(pausedMs + 400);
    // Before and after: each party's tone on its own channel.
    for (const [from, to] of [[100, startMs - 100], [startMs + lengthMs + 100, stoppedAt - 150]] as const) {
      const l = slice(left, from, to);
      const r = slice(right, from, to);
      expect(l.length).toBeGreaterThan(0.4 * RATE);
      expect(power(l, 600)).toBeGreaterThan(1e6);
      expect(power(l, 600)).toBeGreaterThan(1000 * power(l, 1400));
      expect(power(r, 1400)).toBeGreaterThan(1e6);
    }
    await fx.pool.destroy(a.endpoint);
    await fx.pool.destroy(b.endpoint);
  });

  it('unknown (or already stopped) recordings are unknown_recording', async () => {
    await expect(fx.pool.pauseRecord('nope')).rejects.toMatchObject({ code: 'unknown_recording' });
    await expect(fx.pool.resumeRecord('nope')).rejects.toMatchObject({ code: 'unknown_recording' });
    const pa = await newPhone();
    const a = await endpoint();
    await fx.pool.setRemote(a.endpoint, pcmu(pa.port));
    await fx.pool.record({ recId: 'short', path: join(dir, 'short.wav'), endpoints: [a.endpoint] });
    await fx.pool.pauseRecord('short');
    await fx.pool.stopRecord('short');
    await expect(fx.pool.resumeRecord('short')).rejects.toMatchObject({ code: 'unknown_recording' });
    await fx.pool.destroy(a.endpoint);
  });
});
