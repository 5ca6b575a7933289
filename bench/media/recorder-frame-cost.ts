// Cost of recording per 20 ms tick (two parties' frames + advance, disk writes included), not a
// test: `npx tsx bench/media/recorder-frame-cost.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallRecorder } from '../../src/media/recorder/call-recorder.js';
import { isRecorderError } from '../../src/media/recorder/recorder-error.js';

const TICKS = 100_000; // 2000 s of call audio

function measure(label: string, rate: 8000 | 16000, layout: 'stereo' | 'mixed', frameRate: 8000 | 16000): void {
  const dir = mkdtempSync(join(tmpdir(), 'atende-rec-cost-'));
  const rec = CallRecorder.open({ path: join(dir, 'r.wav'), startMediaTimeMs: 0, sampleRate: rate, layout });
  if (isRecorderError(rec)) throw new Error(rec.message);
  const a = new Int16Array(frameRate / 50).map((_, i) => i * 50);
  const b = new Int16Array(frameRate / 50).map((_, i) => -i * 50);
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < TICKS; k++) {
    const t = k * 20;
    rec.write(0, t, a, frameRate);
    rec.write(1, t, b, frameRate);
    rec.advance(t + 20);
  }
  const ns = Number(process.hrtime.bigint() - t0) / TICKS;
  rec.stop();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${label.padEnd(36)} ${(ns / 1000).toFixed(2)} us/tick`);
}

measure('stereo 8 kHz', 8000, 'stereo', 8000);
measure('mixed mono 8 kHz', 8000, 'mixed', 8000);
measure('stereo 16 kHz', 16000, 'stereo', 16000);
measure('stereo 8 kHz from 16 kHz frames', 8000, 'stereo', 16000);
