import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../core/index.js';
import type { SampleRate } from '../codec/index.js';
import { ToneGenerator, brazilianTone, testTone } from '../tone/index.js';
import { WavWriter } from '../wav/index.js';
import type { PlayEvent, PlayRequest } from './play-request.js';
import { Player } from './player.js';
import { PromptCache, type PromptAudio, type PromptSource } from './prompt-cache.js';
import { promptError, type PromptError } from './prompt-error.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-player-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Prompts from memory: path -> samples; unknown paths are not-found; `hold` delays loads. */
class MemoryPrompts implements PromptSource {
  readonly files = new Map<string, Int16Array>();
  private held: (() => void)[] = [];
  hold = false;
  load(path: string, sampleRate: SampleRate): Promise<PromptAudio | PromptError> {
    const samples = this.files.get(path);
    const result: PromptAudio | PromptError = samples
      ? { path, sampleRate, samples, durationMs: (samples.length * 1000) / sampleRate, mtimeMs: 0 }
      : promptError('not-found', path, 'no such prompt');
    if (!this.hold) return Promise.resolve(result);
    return new Promise((resolve) => this.held.push(() => resolve(result)));
  }
  release(): void {
    for (const r of this.held.splice(0)) r();
  }
}

const settle = () => new Promise((r) => setImmediate(r));

function ramp(n: number, base: number): Int16Array {
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = base + i;
  return out;
}

function setup(rate: SampleRate = 8000) {
  const prompts = new MemoryPrompts();
  const events: PlayEvent[] = [];
  const player = new Player({ sampleRate: rate, prompts, onEvent: (e) => events.push(e), random: seededRandom(7) });
  /** Concatenates `frames` frames of `size` samples (undefined frames as markers: -1 lengths). */
  const run = (frames: number, size = rate / 50): { audio: number[]; idle: number } => {
    const audio: number[] = [];
    let idle = 0;
    for (let i = 0; i < frames; i++) {
      const f = player.next(size);
      if (f === undefined) idle++;
      else audio.push(...f);
    }
    return { audio, idle };
  };
  return { prompts, events, player, run };
}

const play = (playId: string, sources: PlayRequest['sources'], more: Partial<PlayRequest> = {}): PlayRequest => ({ playId, sources, ...more });

describe('Player', () => {
  it('is idle (undefined) with nothing queued', () => {
    const { player } = setup();
    expect(player.next(160)).toBeUndefined();
    expect(player.playing).toBe(false);
  });

  it('plays a tone phase-continuously across 20 ms frames', () => {
    const { player, run } = setup(16000);
    player.enqueue(play('t', [{ kind: 'tone', tone: testTone(1000), durationMs: 200 }]));
    const { audio } = run(10);
    const expected = new Int16Array(3200);
    new ToneGenerator(testTone(1000), 16000).fill(expected);
    expect(audio).toEqual(Array.from(expected));
  });

  it('chains prompts inside a frame with no gap, then reports finished', async () => {
    const { prompts, player, run, events } = setup();
    prompts.files.set('/p/one.wav', ramp(250, 1000));
    prompts.files.set('/p/two.wav', ramp(130, 5000));
    player.enqueue(play('list', [{ kind: 'file', path: '/p/one.wav' }, { kind: 'file', path: '/p/two.wav' }]));
    await settle();
    const { audio, idle } = run(4);
    expect(audio.slice(0, 380)).toEqual([...ramp(250, 1000), ...ramp(130, 5000)]);
    expect(audio.slice(380, 480).every((x) => x === 0)).toBe(true); // the last frame is padded
    expect(audio.length).toBe(480);
    expect(idle).toBe(1);
    expect(events).toEqual([{ playId: 'list', reason: 'finished' }]);
  });

  it('plays silence for exactly the asked time between sources', () => {
    const { player, run } = setup();
    player.enqueue(play('s', [{ kind: 'samples', samples: ramp(10, 1) }, { kind: 'silence', durationMs: 25 }, { kind: 'samples', samples: ramp(5, 100) }]));
    const { audio } = run(2);
    expect(audio.slice(0, 10)).toEqual(Array.from(ramp(10, 1)));
    expect(audio.slice(10, 210).every((x) => x === 0)).toBe(true);
    expect(audio.slice(210, 215)).toEqual(Array.from(ramp(5, 100)));
  });

  it('plays queued plays in order, one event each', () => {
    const { player, run, events } = setup();
    player.enqueue(play('a', [{ kind: 'samples', samples: ramp(100, 1) }]));
    player.enqueue(play('b', [{ kind: 'samples', samples: ramp(100, 200) }]));
    const { audio } = run(2);
    expect(audio.slice(0, 200)).toEqual([...ramp(100, 1), ...ramp(100, 200)]);
    expect(events.map((e) => e.playId)).toEqual(['a', 'b']);
  });

  it('loops until stopped', () => {
    const { player, run, events } = setup();
    player.enqueue(play('loop', [{ kind: 'samples', samples: ramp(100, 1) }], { loop: true }));
    const { audio } = run(5);
    for (let i = 0; i < audio.length; i++) expect(audio[i]).toBe(1 + (i % 100));
    expect(player.stop('loop')).toBe(true);
    expect(events).toEqual([{ playId: 'loop', reason: 'stopped' }]);
    expect(player.next(160)).toBeUndefined();
    expect(player.stop('loop')).toBe(false);
  });

  it('a looping play of nothing ends instead of spinning', () => {
    const { player, events } = setup();
    player.enqueue(play('empty', [{ kind: 'silence', durationMs: 0 }], { loop: true }));
    expect(player.next(160)).toBeUndefined();
    expect(events).toEqual([{ playId: 'empty', reason: 'finished' }]);
  });

  it('stops one queued play, or everything', () => {
    const { player, events } = setup();
    for (const id of ['a', 'b', 'c']) player.enqueue(play(id, [{ kind: 'tone', tone: testTone() }]));
    player.stop('b');
    expect(player.currentPlayId).toBe('a');
    player.close();
    player.close();
    expect(events.map((e) => `${e.playId}:${e.reason}`)).toEqual(['b:stopped', 'a:stopped', 'c:stopped']);
  });

  it('barge-in ends only a play that asked for it', () => {
    const { player, events, run } = setup();
    player.enqueue(play('plain', [{ kind: 'tone', tone: testTone() }]));
    run(1);
    expect(player.bargeIn()).toBe(false);
    player.stop();
    player.enqueue(play('menu', [{ kind: 'tone', tone: testTone() }], { bargeIn: true }));
    player.enqueue(play('after', [{ kind: 'samples', samples: ramp(160, 1) }]));
    run(1);
    expect(player.bargeIn()).toBe(true);
    expect(run(1).audio).toEqual(Array.from(ramp(160, 1)));
    expect(events.map((e) => `${e.playId}:${e.reason}`)).toEqual(['plain:stopped', 'menu:bargeIn', 'after:finished']);
  });

  it('a missing prompt ends its play with an error and the next play starts in the same frame', async () => {
    const { player, events, run } = setup();
    player.enqueue(play('bad', [{ kind: 'file', path: '/missing.wav' }, { kind: 'tone', tone: testTone() }]));
    player.enqueue(play('good', [{ kind: 'samples', samples: ramp(160, 7) }]));
    await settle();
    expect(run(1).audio).toEqual(Array.from(ramp(160, 7)));
    expect(events[0]).toMatchObject({ playId: 'bad', reason: 'error', error: { code: 'not-found', path: '/missing.wav' } });
    expect(events[1]).toEqual({ playId: 'good', reason: 'finished' });
  });

  it('a bad tone spec fails its play, not the caller', () => {
    const { player, events } = setup();
    player.enqueue(play('nyquist', [{ kind: 'tone', tone: testTone(5000) }]));
    expect(player.next(160)).toBeUndefined();
    expect(events[0]).toMatchObject({ playId: 'nyquist', reason: 'error', error: { code: 'bad-tone' } });
  });

  it('plays silence while a prompt is still loading, then the prompt', async () => {
    const { prompts, player, run } = setup();
    prompts.files.set('/slow.wav', ramp(160, 1));
    prompts.hold = true;
    player.enqueue(play('slow', [{ kind: 'file', path: '/slow.wav' }]));
    const waiting = run(2);
    expect(waiting.idle).toBe(0);
    expect(waiting.audio.every((x) => x === 0)).toBe(true);
    prompts.release();
    await settle();
    expect(run(1).audio).toEqual(Array.from(ramp(160, 1)));
  });

  it('plays a Brazilian busy tone with its 250/250 ms cadence', () => {
    const { player, run } = setup();
    player.enqueue(play('busy', [{ kind: 'tone', tone: brazilianTone('busy') }]));
    const { audio } = run(50);
    const energy = (fromMs: number) => audio.slice(fromMs * 8, fromMs * 8 + 160).reduce((s, x) => s + x * x, 0);
    expect(energy(0)).toBeGreaterThan(0);
    expect(energy(260)).toBe(0);
    expect(energy(500)).toBeGreaterThan(0);
  });

  it('reuses one output buffer per frame size', () => {
    const { player } = setup();
    player.enqueue(play('t', [{ kind: 'tone', tone: testTone() }]));
    const a = player.next(160);
    const b = player.next(160);
    expect(b).toBe(a);
    expect(player.next(240)?.length).toBe(240);
  });

  it('contains a listener that throws', () => {
    const player = new Player({ sampleRate: 8000, prompts: new MemoryPrompts(), onEvent: () => { throw new Error('listener'); } });
    player.enqueue(play('x', [{ kind: 'samples', samples: ramp(10, 1) }]));
    expect(() => player.next(160)).not.toThrow();
    expect(player.listenerErrors).toBe(1);
  });

  describe('music on hold', () => {
    function folder(order: 'name' | 'shuffle') {
      const ctx = setup();
      const files = ['/moh/a.wav', '/moh/b.wav', '/moh/c.wav', '/moh/d.wav'];
      files.forEach((f, i) => ctx.prompts.files.set(f, new Int16Array(80).fill(i + 1)));
      const player = new Player({
        sampleRate: 8000,
        prompts: ctx.prompts,
        onEvent: (e) => ctx.events.push(e),
        random: seededRandom(42),
        listFolder: async () => files,
      });
      player.enqueue(play('moh', [{ kind: 'folder', path: '/moh', order }]));
      /** The sequence of files heard (each file is 80 samples of its index + 1). */
      const heard = async (count: number): Promise<number[]> => {
        const seq: number[] = [];
        while (seq.length < count) {
          await settle(); // let the prefetch of the next file resolve
          const f = player.next(160) as Int16Array;
          for (let i = 0; i < f.length; i += 80) seq.push(f[i] as number);
        }
        return seq;
      };
      return { player, heard, events: ctx.events };
    }

    it('loops a folder in name order', async () => {
      const { heard, player, events } = folder('name');
      await settle();
      expect(await heard(10)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2]);
      player.stop();
      expect(events).toEqual([{ playId: 'moh', reason: 'stopped' }]);
    });

    it('shuffles each pass with the injected random source, no file twice in a row', async () => {
      const { heard } = folder('shuffle');
      await settle();
      const seq = await heard(40);
      const passes = Array.from({ length: 10 }, (_, i) => seq.slice(4 * i, 4 * i + 4));
      for (const p of passes) expect([...p].sort()).toEqual([1, 2, 3, 4]);
      expect(new Set(passes.map((p) => p.join(''))).size).toBeGreaterThan(1);
      for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
      // Repeatable: the same seed gives the same order.
      const again = folder('shuffle');
      await settle();
      expect(await again.heard(40)).toEqual(seq);
    });

    it('skips unreadable files and fails a folder that has nothing playable', async () => {
      const ctx = setup();
      ctx.prompts.files.set('/m/ok.wav', new Int16Array(80).fill(9));
      const player = new Player({
        sampleRate: 8000, prompts: ctx.prompts, onEvent: (e) => ctx.events.push(e), listFolder: async () => ['/m/bad.wav', '/m/ok.wav'],
      });
      player.enqueue(play('moh', [{ kind: 'folder', path: '/m' }]));
      await settle();
      await settle();
      const f = player.next(160) as Int16Array;
      expect(f.filter((x) => x === 9).length).toBeGreaterThanOrEqual(80);

      const none = new Player({
        sampleRate: 8000, prompts: ctx.prompts, onEvent: (e) => ctx.events.push(e), listFolder: async () => ['/m/x.wav', '/m/y.wav'],
      });
      none.enqueue(play('dead', [{ kind: 'folder', path: '/m' }]));
      await vi.waitFor(async () => {
        await settle();
        none.next(160);
        expect(ctx.events.at(-1)).toMatchObject({ playId: 'dead', reason: 'error', error: { code: 'not-found' } });
      });
    });

    it('reports an empty folder', async () => {
      const { events, player } = setup();
      player.enqueue(play('empty', [{ kind: 'folder', path: join(dir, 'does-not-exist') }]));
      await vi.waitFor(() => {
        player.next(160);
        expect(events[0]).toMatchObject({ playId: 'empty', reason: 'error', error: { code: 'not-found' } });
      });
    });
  });

  it('plays real WAV files through the PromptCache, music on hold from a real folder', async () => {
    const moh = join(dir, 'moh');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(moh);
    for (const [name, value] of [['02-b.wav', 2], ['01-a.wav', 1]] as const) {
      const w = WavWriter.create(join(moh, name), { sampleRate: 16000, channels: 1 });
      w.write(new Int16Array(3200).fill(value * 1000));
      w.close();
    }
    const events: PlayEvent[] = [];
    const player = new Player({ sampleRate: 16000, prompts: new PromptCache(), onEvent: (e) => events.push(e) });
    player.enqueue(play('prompt', [{ kind: 'file', path: join(moh, '02-b.wav') }]));
    player.enqueue(play('moh', [{ kind: 'folder', path: moh }]));
    const heard: number[] = [];
    await vi.waitFor(async () => {
      await settle();
      const f = player.next(320);
      if (f && f[0] !== 0) heard.push(f[0] as number);
      expect(heard.filter((x) => x === 1000).length).toBeGreaterThan(0);
    });
    expect(heard[0]).toBe(2000);
    expect(events).toEqual([{ playId: 'prompt', reason: 'finished' }]);
    player.close();
  });
});
