import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goertzelPower } from '../dtmf/index.js';
import { ToneGenerator, testTone } from '../tone/index.js';
import { isWavParseError, parseWav, type WavAudio } from '../wav/index.js';
import { CallRecorder, type CallRecorderOptions, type RecordingResult } from './call-recorder.js';
import { isRecorderError, type RecorderError } from './recorder-error.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function open(opts: Partial<CallRecorderOptions> = {}): CallRecorder {
  const r = CallRecorder.open({ path: join(dir, `rec-${n++}.wav`), startMediaTimeMs: 1000, ...opts });
  if (isRecorderError(r)) throw new Error(r.message);
  return r;
}

function read(path: string): WavAudio {
  const w = parseWav(readFileSync(path));
  if (isWavParseError(w)) throw new Error(w.reason);
  return w;
}

function done(r: RecordingResult | RecorderError): RecordingResult {
  if (isRecorderError(r)) throw new Error(r.message);
  return r;
}

/** One channel of an interleaved stereo file. */
function channel(w: WavAudio, c: number): Int16Array {
  const out = new Int16Array(w.frames);
  for (let i = 0; i < w.frames; i++) out[i] = w.samples[i * w.channels + c] as number;
  return out;
}

const A_HZ = 440;
const B_HZ = 1400;

describe('CallRecorder', () => {
  it('puts each party on its own channel, aligned, even when one party sends late', () => {
    const rec = open();
    const a = new ToneGenerator(testTone(A_HZ, -10), 8000);
    const b = new ToneGenerator(testTone(B_HZ, -10), 8000);
    const fa = new Int16Array(160);
    const fb = new Int16Array(160);
    const pendingB: { t: number; f: Int16Array }[] = [];
    for (let k = 0; k < 150; k++) {
      const t = 1000 + 20 * k;
      a.fill(fa);
      rec.write(0, t, fa);
      b.fill(fb);
      pendingB.push({ t, f: fb.slice() });
      // Party B's frames arrive three ticks (60 ms) late.
      if (pendingB.length > 3) {
        const late = pendingB.shift() as { t: number; f: Int16Array };
        rec.write(1, late.t, late.f);
      }
      rec.advance(t + 20);
    }
    for (const late of pendingB) rec.write(1, late.t, late.f);
    const result = done(rec.stop(4000));
    expect(result.durationMs).toBe(3000);
    expect(result.bytes).toBe(statSync(result.path).size);
    const wav = read(result.path);
    expect(wav).toMatchObject({ channels: 2, sampleRate: 8000, encoding: 'pcm16', frames: 24000 });
    expect(rec.lateSamples).toBe(0);
    const left = channel(wav, 0);
    const right = channel(wav, 1);
    const db = (x: number) => 10 * Math.log10(x);
    for (const from of [0, 8000, 16000]) {
      const leftA = goertzelPower(left, from, 8000, A_HZ, 8000);
      const leftB = goertzelPower(left, from, 8000, B_HZ, 8000);
      const rightA = goertzelPower(right, from, 8000, A_HZ, 8000);
      const rightB = goertzelPower(right, from, 8000, B_HZ, 8000);
      expect(db(leftA / Math.max(leftB, 1e-9))).toBeGreaterThan(40);
      expect(db(rightB / Math.max(rightA, 1e-9))).toBeGreaterThan(40);
    }
    // Aligned: B's late frames sit at their own time, so the right channel is the exact tone.
    const expectedB = new Int16Array(24000);
    new ToneGenerator(testTone(B_HZ, -10), 8000).fill(expectedB);
    expect(Array.from(right)).toEqual(Array.from(expectedB));
  });

  it('keeps time with silence for a party that sends nothing or drops frames', () => {
    const rec = open();
    for (let k = 0; k < 50; k++) {
      const t = 1000 + 20 * k;
      rec.write(0, t, new Int16Array(160).fill(k + 1));
      if (k % 5 !== 0) rec.write(1, t, new Int16Array(160).fill(-(k + 1)));
      rec.advance(t + 20);
    }
    const wav = read(done(rec.stop(2000)).path);
    expect(wav.frames).toBe(8000);
    const left = channel(wav, 0);
    const right = channel(wav, 1);
    for (let k = 0; k < 50; k++) {
      expect(left[k * 160]).toBe(k + 1);
      expect(left[k * 160 + 159]).toBe(k + 1);
      expect(right[k * 160 + 80]).toBe(k % 5 === 0 ? 0 : -(k + 1));
    }
  });

  it('records a silent party B as a zero channel', () => {
    const rec = open();
    const a = new ToneGenerator(testTone(A_HZ), 8000);
    const f = new Int16Array(160);
    for (let k = 0; k < 50; k++) {
      a.fill(f);
      rec.write(0, 1000 + 20 * k, f);
    }
    const wav = read(done(rec.stop()).path);
    expect(wav.durationMs).toBe(1000);
    expect(channel(wav, 1).every((x) => x === 0)).toBe(true);
    expect(goertzelPower(channel(wav, 0), 0, 8000, A_HZ, 8000)).toBeGreaterThan(1e6);
  });

  it('drops (and counts) a frame later than maxDelayMs', () => {
    const rec = open({ maxDelayMs: 100 });
    for (let k = 0; k < 20; k++) rec.write(0, 1000 + 20 * k, new Int16Array(160).fill(1));
    rec.write(1, 1000, new Int16Array(160).fill(5)); // 400 ms late
    rec.write(1, 1000 + 20 * 19, new Int16Array(160).fill(7)); // in time
    const wav = read(done(rec.stop()).path);
    const right = channel(wav, 1);
    expect(right[0]).toBe(0);
    expect(right[19 * 160]).toBe(7);
    expect(rec.lateSamples).toBe(160);
  });

  it('advance() alone writes silence while nobody sends', () => {
    const rec = open();
    for (let t = 1000; t <= 3000; t += 20) rec.advance(t);
    expect(done(rec.stop(3000)).durationMs).toBe(2000);
  });

  it('mixes both parties into mono with saturation when asked', () => {
    const rec = open({ layout: 'mixed' });
    const a = new ToneGenerator(testTone(A_HZ), 8000);
    const b = new ToneGenerator(testTone(B_HZ), 8000);
    const fa = new Int16Array(160);
    const fb = new Int16Array(160);
    for (let k = 0; k < 50; k++) {
      a.fill(fa);
      b.fill(fb);
      rec.write(0, 1000 + 20 * k, fa);
      rec.write(1, 1000 + 20 * k, fb);
    }
    rec.write(0, 2000, new Int16Array(160).fill(30000));
    rec.write(1, 2000, new Int16Array(160).fill(30000));
    rec.write(0, 2020, new Int16Array(160).fill(-30000));
    rec.write(1, 2020, new Int16Array(160).fill(-30000));
    const wav = read(done(rec.stop()).path);
    expect(wav.channels).toBe(1);
    expect(wav.frames).toBe(8320);
    const pa = goertzelPower(wav.samples, 0, 8000, A_HZ, 8000);
    const pb = goertzelPower(wav.samples, 0, 8000, B_HZ, 8000);
    expect(pa / pb).toBeGreaterThan(0.5);
    expect(pa / pb).toBeLessThan(2);
    expect(wav.samples[8000]).toBe(32767);
    expect(wav.samples[8160]).toBe(-32768);
  });

  it('records at 16 kHz, resampling 8 kHz frames', () => {
    const rec = open({ sampleRate: 16000 });
    const a = new ToneGenerator(testTone(A_HZ), 8000);
    const b = new ToneGenerator(testTone(5000), 16000);
    const fa = new Int16Array(160);
    const fb = new Int16Array(320);
    for (let k = 0; k < 50; k++) {
      a.fill(fa);
      b.fill(fb);
      rec.write(0, 1000 + 20 * k, fa, 8000);
      rec.write(1, 1000 + 20 * k, fb, 16000);
    }
    const wav = read(done(rec.stop()).path);
    expect(wav).toMatchObject({ sampleRate: 16000, frames: 16000 });
    expect(goertzelPower(channel(wav, 0), 1600, 12800, A_HZ, 16000)).toBeGreaterThan(1e6);
    expect(goertzelPower(channel(wav, 1), 1600, 12800, 5000, 16000)).toBeGreaterThan(1e6);
  });

  it('pause skips the paused time (MixMonitor behaviour)', () => {
    const rec = open();
    for (let k = 0; k < 150; k++) {
      const t = 1000 + 20 * k;
      if (t === 2000) rec.pause(2000);
      if (t === 3000) rec.resume(3000);
      rec.write(0, t, new Int16Array(160).fill(k + 1));
      rec.write(1, t, new Int16Array(160).fill(k + 1));
    }
    expect(rec.state).toBe('recording');
    const result = done(rec.stop(4000));
    expect(result.durationMs).toBe(2000);
    const left = channel(read(result.path), 0);
    expect(left[49 * 160]).toBe(50); // the last frame before the pause (t = 1980)
    expect(left[50 * 160]).toBe(101); // then straight to t = 3000
    expect(left[99 * 160 + 159]).toBe(150);
  });

  it('mute writes silence and keeps the timeline (MixMonitor mute), also for late frames; idempotent', () => {
    const rec = open();
    for (let k = 0; k < 150; k++) {
      const t = 1000 + 20 * k;
      if (t === 2000) {
        rec.mute(2000);
        rec.mute(2010); // a second mute changes nothing
      }
      if (t === 3000) {
        rec.unmute(3000);
        rec.unmute(3100);
      }
      rec.write(0, t, new Int16Array(160).fill(k + 1));
      // Party B is 60 ms late: its frames for the muted stretch arrive after unmute.
      if (k >= 3) rec.write(1, t - 60, new Int16Array(160).fill(-(k - 2)));
      rec.advance(t + 20);
    }
    expect(rec.isMuted).toBe(false);
    const result = done(rec.stop(4000));
    expect(result.durationMs).toBe(3000);
    const wav = read(result.path);
    const left = channel(wav, 0);
    const right = channel(wav, 1);
    expect(left[49 * 160 + 159]).toBe(50);
    expect(right[49 * 160 + 159]).toBe(-50);
    for (let i = 50 * 160; i < 100 * 160; i++) {
      if (left[i] !== 0 || right[i] !== 0) throw new Error(`sample ${i} not silent`);
    }
    expect(left[100 * 160]).toBe(101);
    expect(right[100 * 160]).toBe(-101);
    expect(left[149 * 160 + 159]).toBe(150);
  });

  it('mute blanks audio already placed after the mute time', () => {
    const rec = open();
    for (let k = 0; k < 10; k++) rec.write(0, 1000 + 20 * k, new Int16Array(160).fill(9));
    // Nothing committed yet (party B silent, within maxDelay): mute at t = 1100 blanks 1100..1200.
    rec.mute(1100);
    const left = channel(read(done(rec.stop(1200)).path), 0);
    expect(left[5 * 160 - 1]).toBe(9);
    expect(left.subarray(5 * 160).every((x) => x === 0)).toBe(true);
  });

  it('a crash (no stop) leaves a readable file with all but the last half second', () => {
    const rec = open();
    const a = new ToneGenerator(testTone(A_HZ), 8000);
    const f = new Int16Array(160);
    for (let k = 0; k < 250; k++) {
      a.fill(f);
      rec.write(0, 1000 + 20 * k, f);
      rec.write(1, 1000 + 20 * k, f);
      rec.advance(1000 + 20 * (k + 1));
      // At any moment the file on disk lags the audio by at most the commit lag (200 ms), one
      // flush interval (250 ms) and one block (20 ms).
      if (k % 5 === 4) expect(read(rec.path).durationMs).toBeGreaterThanOrEqual(20 * (k + 1) - 470);
    }
    // What is on disk now is what a crash of the process would leave (writes are synchronous).
    const onDisk = read(rec.path);
    expect(onDisk.channels).toBe(2);
    expect(onDisk.durationMs).toBeGreaterThanOrEqual(4000);
    expect(onDisk.truncated).toBe(false);
    const left = channel(onDisk, 0);
    expect(goertzelPower(left, 0, left.length, A_HZ, 8000)).toBeGreaterThan(1e6);
    expect(done(rec.stop()).durationMs).toBe(5000);
  });

  it('stop is safe twice and returns the same result; later frames are ignored', () => {
    const rec = open();
    rec.write(0, 1000, new Int16Array(160).fill(3));
    const first = done(rec.stop());
    rec.write(0, 1020, new Int16Array(160).fill(3));
    expect(rec.stop()).toBe(first);
    expect(first).toMatchObject({ durationMs: 20, bytes: 44 + 160 * 4 });
    expect(rec.state).toBe('stopped');
  });

  it('returns a typed error when the file cannot be created', () => {
    const r = CallRecorder.open({ path: join(dir, 'no', 'such', 'dir.wav'), startMediaTimeMs: 0 });
    expect(r).toMatchObject({ type: 'recorder-error', code: 'open-failed' });
  });
});
