// Codec throughput on one core: 20 ms frames per CPU-second encoded and decoded per codec,
// resampler and transcoder frames per CPU-second, and what that means in 50 packet/s streams.
// CPU time (not wall time) so that other load on the machine skews the figures less. Run:
//   npx tsx bench/codec-throughput.ts [seconds-per-case]
import { performance } from 'node:perf_hooks';
import {
  CODECS, CODEC_NAMES, Resampler, Transcoder, createDecoder, createEncoder, sineWave, type CodecName, type SampleRate,
} from '../src/media/codec/index.js';

const seconds = Number(process.argv[2] ?? 1);

/** Runs `step` for about `seconds` of wall time (after a warm-up); returns calls per CPU-second. */
function rate(step: (i: number) => void): number {
  for (let i = 0; i < 200; i++) step(i);
  let calls = 0;
  const until = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  while (performance.now() < until) for (let i = 0; i < 100; i++) step(calls++);
  const used = process.cpuUsage(cpu);
  return calls / ((used.user + used.system) / 1e6);
}

/** A second of speech-like audio (two tones and some noise) cut into 20 ms frames. */
function frames(sampleRate: SampleRate): Int16Array[] {
  const a = sineWave(300, sampleRate, sampleRate, 6000);
  const b = sineWave(1700, sampleRate, sampleRate, 3000);
  let seed = 7;
  const size = sampleRate / 50;
  const out: Int16Array[] = [];
  for (let at = 0; at < sampleRate; at += size) {
    const frame = new Int16Array(size);
    for (let i = 0; i < size; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      frame[i] = a[at + i]! + b[at + i]! + ((seed >>> 20) - 2048);
    }
    out.push(frame);
  }
  return out;
}

const rows: string[][] = [['case', 'frames/cpu-s', 'cpu-us/frame', 'streams/core (50 pps)']];
function report(name: string, perSecond: number): void {
  rows.push([name, perSecond.toFixed(0), (1e6 / perSecond).toFixed(2), (perSecond / 50).toFixed(0)]);
}

for (const name of CODEC_NAMES) {
  const { sampleRate } = CODECS[name];
  const pcm = frames(sampleRate);
  const encoder = createEncoder(name);
  const decoder = createDecoder(name);
  const payloads = pcm.map((f) => Buffer.from(encoder.encode(f)));
  const out = new Uint8Array(1500);
  report(`${name} encode`, rate((i) => encoder.encode(pcm[i % 50]!, out)));
  const samples = new Int16Array(5760);
  report(`${name} decode`, rate((i) => decoder.decode(payloads[i % 50]!, samples)));
  encoder.close();
  decoder.close();
}

const conversions: [SampleRate, SampleRate][] = [[8000, 16000], [16000, 8000], [8000, 48000], [48000, 8000], [16000, 48000], [48000, 16000]];
for (const [from, to] of conversions) {
  const resampler = new Resampler(from, to);
  const pcm = frames(from);
  report(`resample ${from / 1000}k->${to / 1000}k`, rate((i) => resampler.process(pcm[i % 50]!)));
}

const pairs: [CodecName, CodecName][] = [['PCMU', 'PCMA'], ['PCMU', 'G722'], ['G722', 'PCMU'], ['PCMU', 'opus'], ['opus', 'PCMU']];
for (const [from, to] of pairs) {
  const encoder = createEncoder(from);
  const input = frames(CODECS[from].sampleRate).map((f) => Buffer.from(encoder.encode(f)));
  encoder.close();
  const transcoder = new Transcoder(from, to);
  report(`transcode ${from}->${to}`, rate((i) => transcoder.process(input[i % 50]!)));
  transcoder.close();
}

const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
