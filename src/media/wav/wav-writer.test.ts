import { closeSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToneGenerator, testTone } from '../tone/index.js';
import { ALAW_TO_LINEAR, MULAW_TO_LINEAR, linearToAlaw, linearToMulaw } from './g711.js';
import { isWavParseError } from './wav-format.js';
import { parseWav, readWavFile, type WavAudio } from './wav-reader.js';
import { WavWriter } from './wav-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function read(path: string): WavAudio {
  const r = parseWav(readFileSync(path));
  if (isWavParseError(r)) throw new Error(r.reason);
  return r;
}

/** The sizes in a header we wrote, checked against the file length. */
function sizes(path: string): { riff: number; data: number; fileSize: number; headerSize: number } {
  const b = readFileSync(path);
  const dataAt = b.indexOf('data', 12, 'latin1');
  return { riff: b.readUInt32LE(4), data: b.readUInt32LE(dataAt + 4), fileSize: statSync(path).size, headerSize: dataAt + 8 };
}

function tone(hz: number, frames: number, rate = 8000): Int16Array {
  const out = new Int16Array(frames);
  new ToneGenerator(testTone(hz, -6), rate).fill(out);
  return out;
}

describe('WavWriter', () => {
  it('writes mono 16-bit PCM that reads back identically, header sizes exact', async () => {
    const path = join(dir, 'mono.wav');
    const w = WavWriter.create(path, { sampleRate: 16000, channels: 1 });
    const audio = tone(1000, 16000 * 2.3, 16000);
    for (let i = 0; i < audio.length; i += 320) w.write(audio.subarray(i, i + 320));
    expect(w.durationMs).toBeCloseTo(2300);
    w.close();
    w.close(); // twice is fine
    const r = await readWavFile(path);
    if (isWavParseError(r)) throw new Error(r.reason);
    expect(r).toMatchObject({ sampleRate: 16000, channels: 1, encoding: 'pcm16', frames: audio.length, truncated: false });
    expect(r.samples).toEqual(audio);
    const s = sizes(path);
    expect(s).toMatchObject({ headerSize: 44, riff: s.fileSize - 8, data: audio.length * 2 });
  });

  it('writes stereo with each party on its own channel', () => {
    const path = join(dir, 'stereo.wav');
    const w = WavWriter.create(path, { sampleRate: 8000, channels: 2 });
    const left = tone(425, 8000);
    const right = tone(1000, 8000);
    for (let i = 0; i < 8000; i += 160) w.writeStereo(left.subarray(i, i + 160), right.subarray(i, i + 160));
    w.close();
    const r = read(path);
    expect(r).toMatchObject({ channels: 2, frames: 8000 });
    const l = r.samples.filter((_, i) => i % 2 === 0);
    const rr = r.samples.filter((_, i) => i % 2 === 1);
    expect(l).toEqual(left);
    expect(rr).toEqual(right);
  });

  it('writes G.711 mu-law and A-law with fmt cbSize and fact chunk', () => {
    for (const [encoding, enc, table] of [
      ['mulaw', linearToMulaw, MULAW_TO_LINEAR],
      ['alaw', linearToAlaw, ALAW_TO_LINEAR],
    ] as const) {
      const path = join(dir, `${encoding}.wav`);
      const w = WavWriter.create(path, { sampleRate: 8000, channels: 2, encoding });
      const audio = tone(697, 8000 * 2 + 22);
      w.write(audio);
      w.close();
      const r = read(path);
      expect(r).toMatchObject({ encoding, channels: 2, frames: audio.length / 2 });
      expect(r.samples).toEqual(audio.map((x) => table[enc(x)]!));
      const b = readFileSync(path);
      expect(b.toString('latin1', 38, 42)).toBe('fact');
      expect(b.readUInt32LE(46)).toBe(audio.length / 2);
      expect(sizes(path)).toMatchObject({ headerSize: 58, riff: b.length - 8, data: audio.length });
    }
  });

  it('a crash (no close) after a size patch leaves a valid file with all but the last partial second', () => {
    const path = join(dir, 'crash.wav');
    const w = WavWriter.create(path, { sampleRate: 8000, channels: 2, flushIntervalMs: 1000 });
    const left = tone(425, 8000 * 2.5);
    const right = tone(1000, 8000 * 2.5);
    for (let i = 0; i < left.length; i += 160) w.writeStereo(left.subarray(i, i + 160), right.subarray(i, i + 160));
    // The process dies here: the fd is closed by the kernel, close() never runs.
    closeSync(w.fd);
    const s = sizes(path);
    expect(s.data).toBe(2 * 8000 * 2 * 2); // patched at 1 s and 2 s
    expect(s.riff).toBe(s.fileSize - 8);
    expect(s.fileSize).toBe(s.headerSize + s.data);
    const r = read(path);
    expect(r).toMatchObject({ frames: 16000, truncated: false });
    expect(r.samples.filter((_, i) => i % 2 === 0)).toEqual(left.subarray(0, 16000));
    expect(r.samples.filter((_, i) => i % 2 === 1)).toEqual(right.subarray(0, 16000));
  });

  it('a crash before the first patch leaves an empty but valid WAV', () => {
    const path = join(dir, 'early.wav');
    const w = WavWriter.create(path, { sampleRate: 8000, channels: 1, encoding: 'alaw' });
    w.write(tone(425, 4000));
    closeSync(w.fd);
    expect(read(path)).toMatchObject({ frames: 0, encoding: 'alaw', truncated: false });
  });

  it('flush() makes everything so far readable and keeps sizes consistent at every step', () => {
    const path = join(dir, 'flush.wav');
    const w = WavWriter.create(path, { sampleRate: 8000, channels: 1, flushIntervalMs: 100 });
    const audio = tone(1000, 3000);
    for (let i = 0; i < audio.length; i += 160) {
      w.write(audio.subarray(i, i + 160));
      const s = sizes(path);
      expect(s.riff).toBe(s.fileSize - 8);
      expect(s.data).toBe(s.fileSize - s.headerSize);
      expect(s.data % 1600).toBe(0); // whole 100 ms intervals only
    }
    w.flush();
    expect(read(path).samples).toEqual(audio);
    w.close();
    w.write(audio); // after close: ignored, no throw
    expect(read(path).frames).toBe(3000);
  });

  it('refuses bad options', () => {
    expect(() => WavWriter.create(join(dir, 'bad.wav'), { sampleRate: 8000, channels: 3 as 2 })).toThrow(RangeError);
    const w = WavWriter.create(join(dir, 'mono2.wav'), { sampleRate: 8000, channels: 1 });
    expect(() => w.writeStereo(new Int16Array(1), new Int16Array(1))).toThrow(RangeError);
    w.close();
  });
});
