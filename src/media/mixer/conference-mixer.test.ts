import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { goertzelPower } from '../dtmf/index.js';
import { ToneGenerator, testTone } from '../tone/index.js';
import { ConferenceMixer } from './conference-mixer.js';
import { spyMembers, type MixMember, type SpyMode } from './mix-member.js';

const RATE = 8000;
const TONES: Record<string, number> = { a: 500, b: 1100, c: 1800 };

/** Runs `ticks` ticks with each member sending its tone; returns what each member heard. */
function run(mixer: ConferenceMixer, ticks: number, talking = Object.keys(TONES)): Map<string, Int16Array> {
  const gens = new Map(talking.map((id) => [id, new ToneGenerator(testTone(TONES[id] as number, -16), RATE)]));
  const frames = new Map<string, Int16Array | undefined>(talking.map((id) => [id, new Int16Array(160)]));
  const heard = new Map(mixer.members.map((m) => [m.id, new Int16Array(ticks * 160)]));
  for (let t = 0; t < ticks; t++) {
    for (const [id, g] of gens) g.fill(frames.get(id) as Int16Array);
    const out = mixer.mix(frames);
    for (const [id, f] of out) heard.get(id)?.set(f, t * 160);
  }
  return heard;
}

/** For each listener, the set of members whose tone is audible in what it heard. */
function matrix(heard: Map<string, Int16Array>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [listener, audio] of heard) {
    out[listener] = Object.keys(TONES).filter((id) => goertzelPower(audio, 0, audio.length, TONES[id] as number, RATE) > 1e4);
  }
  return out;
}

function conference(ids: string[]): MixMember[] {
  return ids.map((id) => ({ id, hears: 'all-but-self' as const }));
}

describe('ConferenceMixer', () => {
  it('three members each hear exactly the other two (mix-minus)', () => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers(conference(['a', 'b', 'c']));
    const heard = run(mixer, 25);
    expect(matrix(heard)).toEqual({ a: ['b', 'c'], b: ['a', 'c'], c: ['a', 'b'] });
    // Own voice is not merely quieter: it is absent (> 60 dB below the others).
    for (const id of ['a', 'b', 'c']) {
      const audio = heard.get(id) as Int16Array;
      const own = goertzelPower(audio, 0, audio.length, TONES[id] as number, RATE);
      const other = goertzelPower(audio, 0, audio.length, TONES[id === 'a' ? 'b' : 'a'] as number, RATE);
      expect(10 * Math.log10(other / Math.max(own, 1e-9))).toBeGreaterThan(60);
    }
  });

  it('mix-minus equals the exact sum of the others', () => {
    const random = seededRandom(3);
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    mixer.setMembers(conference(ids));
    const frames = new Map(ids.map((id) => [id, Int16Array.from({ length: 160 }, () => random.int(12000) - 6000)]));
    const out = mixer.mix(frames);
    for (const id of ids) {
      const expected = new Int16Array(160);
      for (const other of ids) if (other !== id) (frames.get(other) as Int16Array).forEach((x, i) => (expected[i] = (expected[i] as number) + x));
      expect(Array.from(out.get(id) as Int16Array)).toEqual(Array.from(expected));
    }
  });

  it.each<[SpyMode, Record<string, string[]>]>([
    ['listen', { a: ['b', 'c'], b: ['c'], c: ['b'] }],
    ['whisper', { a: ['b', 'c'], b: ['a', 'c'], c: ['b'] }],
    ['barge', { a: ['b', 'c'], b: ['a', 'c'], c: ['a', 'b'] }],
  ])('spy mode %s: who hears whom (a = supervisor, b = agent, c = caller)', (mode, expected) => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers(spyMembers(mode, { supervisor: 'a', agent: 'b', caller: 'c' }));
    expect(matrix(run(mixer, 25))).toEqual(expected);
  });

  it('saturates instead of wrapping around', () => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers(conference(['a', 'b', 'c']));
    const out = mixer.mix(new Map([['a', new Int16Array(160).fill(30000)], ['b', new Int16Array(160).fill(30000)], ['c', new Int16Array(160).fill(-30000)]]));
    expect(out.get('c')?.[0]).toBe(32767);
    expect(out.get('a')?.[0]).toBe(0);
    const low = mixer.mix(new Map([['a', new Int16Array(160).fill(-32768)], ['b', new Int16Array(160).fill(-32768)]]));
    expect(low.get('c')?.[10]).toBe(-32768);
  });

  it('a member with no frame (absent or undefined) counts as silence and still hears', () => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers(conference(['a', 'b', 'c']));
    const silentB = run(mixer, 10, ['a', 'c']);
    expect(matrix(silentB)).toEqual({ a: ['c'], b: ['a', 'c'], c: ['a'] });
    const out = mixer.mix(new Map([['a', new Int16Array(160).fill(5)], ['b', undefined]]));
    expect(out.get('c')?.every((x) => x === 5)).toBe(true);
    expect(out.get('a')?.every((x) => x === 0)).toBe(true);
  });

  it('treats a short frame as padded with silence', () => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers(conference(['a', 'b']));
    const out = mixer.mix(new Map([['a', new Int16Array(100).fill(9)]]));
    expect(out.get('b')?.[99]).toBe(9);
    expect(out.get('b')?.[100]).toBe(0);
  });

  it('applies talk and listen gains, and mutes', () => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers([
      { id: 'a', hears: 'all-but-self', talkGain: 0.5 },
      { id: 'b', hears: 'all-but-self', listenGain: 2 },
      { id: 'c', hears: 'all-but-self', muted: true },
    ]);
    const out = mixer.mix(new Map([['a', new Int16Array(160).fill(1000)], ['b', new Int16Array(160).fill(100)], ['c', new Int16Array(160).fill(7)]]));
    expect(out.get('b')?.[0]).toBe(1000); // a at half, heard at double; c muted
    expect(out.get('c')?.[0]).toBe(600);
    expect(out.get('a')?.[0]).toBe(100);
  });

  it('never lets a member hear itself through an explicit list; unknown ids wait for the member', () => {
    const mixer = new ConferenceMixer({ sampleRate: RATE });
    mixer.setMembers([{ id: 'a', hears: ['a', 'b', 'late'] }, { id: 'b', hears: [] }]);
    let out = mixer.mix(new Map([['a', new Int16Array(160).fill(1)], ['b', new Int16Array(160).fill(2)], ['late', new Int16Array(160).fill(4)]]));
    expect(out.get('a')?.[0]).toBe(2);
    expect(out.get('b')?.[0]).toBe(0);
    expect(out.has('late')).toBe(false);
    mixer.setMember({ id: 'late', hears: 'all-but-self' });
    out = mixer.mix(new Map([['a', new Int16Array(160).fill(1)], ['b', new Int16Array(160).fill(2)], ['late', new Int16Array(160).fill(4)]]));
    expect(out.get('a')?.[0]).toBe(6);
    expect(out.get('late')?.[0]).toBe(3);
    expect(mixer.removeMember('b')).toBe(true);
    expect(mixer.removeMember('b')).toBe(false);
    out = mixer.mix(new Map([['a', new Int16Array(160).fill(1)], ['late', new Int16Array(160).fill(4)]]));
    expect([...out.keys()]).toEqual(['a', 'late']);
    expect(out.get('a')?.[0]).toBe(4);
  });

  it('reuses its output map and buffers every tick, also across membership changes', () => {
    const mixer = new ConferenceMixer({ sampleRate: 16000 });
    expect(mixer.frameSamples).toBe(320);
    mixer.setMembers(conference(['a', 'b']));
    const frames = new Map([['a', new Int16Array(320)], ['b', new Int16Array(320)]]);
    const first = mixer.mix(frames);
    const bufferA = first.get('a');
    const second = mixer.mix(frames);
    expect(second).toBe(first);
    expect(second.get('a')).toBe(bufferA);
    mixer.setMember({ id: 'c', hears: 'all-but-self' });
    expect(mixer.mix(frames).get('a')).toBe(bufferA);
  });
});
