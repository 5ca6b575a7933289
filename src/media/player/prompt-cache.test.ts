import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goertzelPower } from '../dtmf/index.js';
import { ToneGenerator, testTone } from '../tone/index.js';
import { WavWriter } from '../wav/index.js';
import { PromptCache, type PromptAudio } from './prompt-cache.js';
import { isPromptError, type PromptError } from './prompt-error.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-prompt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tone(hz: number, samples: number, rate: number): Int16Array {
  const out = new Int16Array(samples);
  new ToneGenerator(testTone(hz, -6), rate).fill(out);
  return out;
}

function writeWav(name: string, samples: Int16Array, rate: number, opts: { channels?: 1 | 2; encoding?: 'pcm16' | 'mulaw' | 'alaw' } = {}): string {
  const path = join(dir, name);
  const w = WavWriter.create(path, { sampleRate: rate, channels: opts.channels ?? 1, encoding: opts.encoding ?? 'pcm16' });
  w.write(samples);
  w.close();
  return path;
}

function ok(r: PromptAudio | PromptError): PromptAudio {
  if (isPromptError(r)) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

/** Goertzel power relative to the signal's mean square: near 1 when `hz` is all there is. */
function share(x: Int16Array, hz: number, rate: number, from = 0, length = x.length - from): number {
  let ms = 0;
  for (let i = from; i < from + length; i++) ms += (x[i] as number) ** 2;
  return goertzelPower(x, from, length, hz, rate) / (ms / length);
}

describe('PromptCache', () => {
  it('loads 8 kHz PCM at 8 kHz sample for sample', async () => {
    const audio = tone(1000, 4000, 8000);
    const p = ok(await new PromptCache().load(writeWav('a8.wav', audio, 8000), 8000));
    expect(p.sampleRate).toBe(8000);
    expect(p.durationMs).toBe(500);
    expect(Array.from(p.samples)).toEqual(Array.from(audio));
  });

  it.each([
    [16000, 'pcm16', 8000],
    [48000, 'pcm16', 8000],
    [8000, 'mulaw', 8000],
    [8000, 'alaw', 16000],
    [8000, 'pcm16', 48000],
    [48000, 'mulaw', 16000],
  ] as const)('converts %i Hz %s to %i Hz: same duration, same tone, no lead-in delay', async (rate, encoding, target) => {
    const path = writeWav(`t-${rate}-${encoding}-${target}.wav`, tone(700, rate / 2, rate), rate, { encoding });
    const p = ok(await new PromptCache().load(path, target));
    expect(p.sampleRate).toBe(target);
    expect(p.samples.length).toBe(target / 2);
    expect(share(p.samples, 700, target, target / 20, target / 5)).toBeGreaterThan(0.95);
    // The filter delay is removed: the tone is there from the first millisecond.
    let early = 0;
    for (let i = 0; i < target / 1000; i++) early = Math.max(early, Math.abs(p.samples[i + 2] as number));
    expect(early).toBeGreaterThan(1000);
  });

  it('mixes stereo to mono, both channels at half level', async () => {
    const left = tone(500, 8000, 8000);
    const right = tone(1200, 8000, 8000);
    const inter = new Int16Array(16000);
    for (let i = 0; i < 8000; i++) {
      inter[2 * i] = left[i] as number;
      inter[2 * i + 1] = right[i] as number;
    }
    const p = ok(await new PromptCache().load(writeWav('stereo.wav', inter, 8000, { channels: 2 }), 8000));
    expect(p.samples.length).toBe(8000);
    const pl = goertzelPower(p.samples, 0, 8000, 500, 8000);
    const pr = goertzelPower(p.samples, 0, 8000, 1200, 8000);
    const full = goertzelPower(left, 0, 8000, 500, 8000);
    expect(pl / full).toBeCloseTo(0.25, 1);
    expect(pr / full).toBeCloseTo(0.25, 1);
  });

  it('serves a second load from the cache, keyed by path and rate', async () => {
    const cache = new PromptCache();
    const path = writeWav('cached.wav', tone(440, 8000, 8000), 8000);
    const a = ok(await cache.load(path, 8000));
    const b = ok(await cache.load(path, 8000));
    expect(b).toBe(a);
    const c = ok(await cache.load(path, 16000));
    expect(c).not.toBe(a);
    expect(c.samples.length).toBe(16000);
    expect(cache.stats).toMatchObject({ entries: 2, hits: 1, misses: 2, bytes: 16000 + 32000 });
    expect(cache.peek(path, 8000)).toBe(a);
  });

  it('shares one decode between concurrent loads of the same prompt', async () => {
    const cache = new PromptCache();
    const path = writeWav('concurrent.wav', tone(440, 800, 8000), 8000);
    const [a, b] = await Promise.all([cache.load(path, 8000), cache.load(path, 8000)]);
    expect(a).toBe(b);
    expect(cache.stats.misses).toBe(1);
  });

  it('reloads a prompt whose file changed (mtime)', async () => {
    const cache = new PromptCache();
    const path = writeWav('changing.wav', new Int16Array(800).fill(100), 8000);
    utimesSync(path, 1_000_000, 1_000_000);
    expect(ok(await cache.load(path, 8000)).samples[0]).toBe(100);
    writeWav('changing.wav', new Int16Array(800).fill(-200), 8000);
    utimesSync(path, 2_000_000, 2_000_000);
    const again = ok(await cache.load(path, 8000));
    expect(again.samples[0]).toBe(-200);
    expect(cache.stats).toMatchObject({ entries: 1, misses: 2, bytes: 1600 });
  });

  it('evicts the least recently used prompt past its byte budget', async () => {
    const cache = new PromptCache({ maxBytes: 2 * 1600 });
    const [a, b, c] = ['lru-a', 'lru-b', 'lru-c'].map((n) => writeWav(`${n}.wav`, new Int16Array(800).fill(1), 8000)) as [string, string, string];
    ok(await cache.load(a, 8000));
    ok(await cache.load(b, 8000));
    ok(await cache.load(a, 8000)); // a is now the most recent
    ok(await cache.load(c, 8000)); // evicts b
    expect(cache.peek(a, 8000)).toBeDefined();
    expect(cache.peek(b, 8000)).toBeUndefined();
    expect(cache.peek(c, 8000)).toBeDefined();
    expect(cache.stats).toMatchObject({ entries: 2, bytes: 3200, evictions: 1 });
    // A prompt larger than the whole budget is returned but not kept.
    const big = ok(await cache.load(writeWav('big.wav', new Int16Array(4000), 8000), 8000));
    expect(big.samples.length).toBe(4000);
    expect(cache.stats.entries).toBe(2);
  });

  it('returns typed errors instead of throwing', async () => {
    const cache = new PromptCache();
    const missing = await cache.load(join(dir, 'nope.wav'), 8000);
    expect(missing).toMatchObject({ type: 'prompt-error', code: 'not-found' });
    writeFileSync(join(dir, 'junk.wav'), 'this is not audio at all, just text');
    expect(await cache.load(join(dir, 'junk.wav'), 8000)).toMatchObject({ code: 'bad-format' });
    const cd = writeWav('cd.wav', new Int16Array(441), 44100);
    expect(await cache.load(cd, 8000)).toMatchObject({ code: 'unsupported-rate' });
    mkdirSync(join(dir, 'folder.wav'));
    expect(await cache.load(join(dir, 'folder.wav'), 8000)).toMatchObject({ code: 'unreadable' });
  });

  it('forgets a prompt whose file was removed', async () => {
    const cache = new PromptCache();
    const path = writeWav('removed.wav', new Int16Array(80), 8000);
    ok(await cache.load(path, 8000));
    rmSync(path);
    expect(await cache.load(path, 8000)).toMatchObject({ code: 'not-found' });
    expect(cache.stats.entries).toBe(0);
  });
});
