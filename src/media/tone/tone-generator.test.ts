import { describe, expect, it } from 'vitest';
import { goertzelPower, meanSquare, powerToDbm0 } from '../dtmf/index.js';
import { brazilianTone, dtmfTones, testTone } from './call-progress.js';
import { ToneGenerator, type ToneSpec } from './tone-generator.js';
import { parseToneList } from './tone-list.js';

function render(spec: ToneSpec, ms: number, rate: number, frameMs = 20): Int16Array {
  const gen = new ToneGenerator(spec, rate);
  const out = new Int16Array(Math.round((ms * rate) / 1000));
  const frame = new Int16Array((frameMs * rate) / 1000);
  for (let i = 0; i < out.length; i += frame.length) {
    gen.fill(frame);
    out.set(frame.subarray(0, Math.min(frame.length, out.length - i)), i);
  }
  return out;
}

/** On/off pattern in 10 ms windows: '#' where `hz` holds most of the energy, '.' where silent. */
function cadence(pcm: Int16Array, rate: number, hz: number): string {
  const w = rate / 100;
  let s = '';
  for (let i = 0; i + w <= pcm.length; i += w) {
    const ms = meanSquare(pcm, i, w);
    const p = goertzelPower(pcm, i, w, hz, rate);
    s += ms < 1 ? '.' : p > 0.8 * ms ? '#' : '?';
  }
  return s;
}

/** Run-length form of a cadence string: "#x100 .x400 ...". */
const runs = (s: string): string[] => s.match(/(.)\1*/g)!.map((r) => `${r[0]}${r.length * 10}`);

describe('ToneGenerator', () => {
  it('a 1 kHz test tone: right frequency and level, at 8, 16 and 48 kHz', () => {
    for (const rate of [8000, 16000, 48000]) {
      const pcm = render(testTone(1000, -10), 1000, rate);
      const total = meanSquare(pcm, 0, pcm.length);
      expect(powerToDbm0(total)).toBeCloseTo(-10, 1);
      expect(goertzelPower(pcm, 0, pcm.length, 1000, rate) / total).toBeGreaterThan(0.99);
      expect(goertzelPower(pcm, 0, pcm.length, 1100, rate) / total).toBeLessThan(0.001);
    }
  });

  it('is phase continuous across frames: 20 ms frames equal one long buffer, no jumps', () => {
    const spec = testTone(425, -3);
    const long = new Int16Array(8000);
    new ToneGenerator(spec, 8000).fill(long);
    for (const frameMs of [20, 30, 10]) expect(render(spec, 1000, 8000, frameMs)).toEqual(long);
    // The largest step of a 425 Hz sine of peak A at 8 kHz is about A * 2*pi*425/8000.
    const peak = Math.max(...long.map(Math.abs));
    let maxStep = 0;
    for (let i = 1; i < long.length; i++) maxStep = Math.max(maxStep, Math.abs(long[i]! - long[i - 1]!));
    expect(maxStep).toBeLessThanOrEqual(Math.ceil(peak * ((2 * Math.PI * 425) / 8000)) + 1);
  });

  it('does not drift over a long run (one hour of frames keeps its level)', () => {
    const gen = new ToneGenerator(testTone(1000, -10), 8000);
    const frame = new Int16Array(160);
    for (let i = 0; i < 180_000; i++) gen.fill(frame);
    expect(powerToDbm0(meanSquare(frame, 0, 160))).toBeCloseTo(-10, 1);
  });

  it('dual tones: each frequency at its own level', () => {
    const pcm = render({ segments: [{ frequencies: [941, 1477], durationMs: Infinity, levelDbm0: [-8, -6] }] }, 1000, 8000);
    expect(powerToDbm0(goertzelPower(pcm, 0, pcm.length, 941, 8000))).toBeCloseTo(-8, 1);
    expect(powerToDbm0(goertzelPower(pcm, 0, pcm.length, 1477, 8000))).toBeCloseTo(-6, 1);
  });

  it('DTMF digits: the Q.23 pair for each digit, for the on time, then silence, then finished', () => {
    const gen = new ToneGenerator(dtmfTones('5#', { onMs: 100, offMs: 50 }), 8000);
    const pcm = new Int16Array(8000 * 0.4);
    const n = gen.fill(pcm);
    expect(n).toBe(2400); // 100 + 50 + 100 + 50 ms
    expect(gen.finished).toBe(true);
    expect(runs(cadence(pcm, 8000, 770))).toEqual(['?100', '.50', '?100', '.150']); // 770 is half of '5'
    const five = pcm.subarray(0, 800);
    const ms5 = meanSquare(five, 0, 800);
    expect((goertzelPower(five, 0, 800, 770, 8000) + goertzelPower(five, 0, 800, 1336, 8000)) / ms5).toBeGreaterThan(0.98);
    const hash = pcm.subarray(1200, 2000);
    const msH = meanSquare(hash, 0, 800);
    expect((goertzelPower(hash, 0, 800, 941, 8000) + goertzelPower(hash, 0, 800, 1477, 8000)) / msH).toBeGreaterThan(0.98);
  });

  it('Brazilian ringback: 425 Hz, 1 s on / 4 s off, repeating', () => {
    const pcm = render(brazilianTone('ringback'), 10_000, 8000);
    expect(runs(cadence(pcm, 8000, 425))).toEqual(['#1000', '.4000', '#1000', '.4000']);
  });

  it('Brazilian busy 250/250, congestion 250/250/750/250, call waiting 50/1000, dial continuous', () => {
    expect(runs(cadence(render(brazilianTone('busy'), 1000, 8000), 8000, 425))).toEqual(['#250', '.250', '#250', '.250']);
    expect(runs(cadence(render(brazilianTone('congestion'), 3000, 16000), 16000, 425))).toEqual([
      '#250', '.250', '#750', '.250', '#250', '.250', '#750', '.250',
    ]);
    expect(runs(cadence(render(brazilianTone('callWaiting'), 2100, 8000), 8000, 425))).toEqual(['#50', '.1000', '#50', '.1000']);
    expect(runs(cadence(render(brazilianTone('dial'), 3000, 8000), 8000, 425))).toEqual(['#3000']);
  });

  it('cadence timing is sample exact when a segment is not a whole number of frames', () => {
    const pcm = render({ segments: [{ frequencies: [425], durationMs: 33 }, { frequencies: [], durationMs: 17 }] }, 100, 8000);
    const on = (i: number): boolean => pcm.slice(i, i + 8).some((x) => x !== 0);
    expect(on(0)).toBe(true);
    expect(pcm.slice(264, 400).every((x) => x === 0)).toBe(true); // 33 ms = 264 samples, then 17 ms off
    expect(on(400)).toBe(true);
  });

  it('"!" lead-in segments play once before the loop', () => {
    const spec = parseToneList('!1000/100,!0/100,425/100,0/100');
    if ('type' in spec) throw new Error(spec.reason);
    const pcm = render(spec, 600, 8000);
    expect(runs(cadence(pcm, 8000, 425))).toEqual(['?100', '.100', '#100', '.100', '#100', '.100']);
    expect(goertzelPower(pcm, 0, 800, 1000, 8000)).toBeGreaterThan(1000);
  });

  it('parses tone lists and rejects what it does not support', () => {
    expect(parseToneList('350+440')).toEqual({ segments: [{ frequencies: [350, 440], durationMs: Infinity }] });
    expect(parseToneList('425/250,0/250', -10)).toEqual({
      segments: [
        { frequencies: [425], durationMs: 250 },
        { frequencies: [], durationMs: 250 },
      ],
      levelDbm0: -10,
    });
    for (const bad of ['', '425*20/100', 'abc', '425/x']) expect(parseToneList(bad)).toMatchObject({ type: 'parse-error' });
  });

  it('reset() restarts the cadence; bad specs are refused', () => {
    const gen = new ToneGenerator(brazilianTone('busy'), 8000);
    const a = new Int16Array(800);
    const b = new Int16Array(800);
    gen.fill(a);
    gen.fill(b);
    gen.reset();
    gen.fill(b);
    expect(b).toEqual(a);
    expect(() => new ToneGenerator({ segments: [] }, 8000)).toThrow(RangeError);
    expect(() => new ToneGenerator(testTone(5000), 8000)).toThrow(RangeError);
  });
});
