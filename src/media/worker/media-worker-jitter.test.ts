// The jitter buffer on the decoding path, in real worker threads over real UDP on 127.0.0.1: a
// dgram phone sends a tone with packets reordered, duplicated or lost into a recorded endpoint,
// and the WAV must carry the tone without a gap; stats show what the buffer dropped or concealed.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeMuLaw, sineWave } from '../codec/index.js';
import { goertzelPower, meanSquare } from '../dtmf/index.js';
import { serializeRtpPacket } from '../rtp/index.js';
import { isWavParseError, readWavFile } from '../wav/index.js';
import { MediaWorkerPool } from './media-worker-pool.js';
import type { RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';
const RATE = 8000;
const FRAME = 160;
const HZ = 700;
const AMPLITUDE = 8000;

interface Phone {
  port: number;
  /**
   * Sends packet indices tick by tick (20 ms apart): packet i carries frame i of a continuous
   * tone (sequence 5000 + i, timestamp 20000 + 160 i). Resolves after the last tick.
   */
  send(to: number, ticks: number[][]): Promise<void>;
  close(): void;
}

async function phone(ssrc: number): Promise<Phone> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  socket.on('message', () => {});
  const timers = new Set<ReturnType<typeof setInterval>>();
  let closed = false;
  const packet = (i: number): Buffer => {
    const pcm = sineWave(HZ, RATE, FRAME, AMPLITUDE, i * FRAME);
    return serializeRtpPacket({
      marker: i === 0, payloadType: 0, sequenceNumber: (5000 + i) & 0xffff, timestamp: 20_000 + i * FRAME, ssrc,
      csrcs: [], paddingLength: 0, payload: encodeMuLaw(pcm, new Uint8Array(FRAME)),
    });
  };
  return {
    port: socket.address().port,
    send(to, ticks) {
      return new Promise((resolve) => {
        let t = 0;
        const start = performance.now();
        // Paced on the real clock, like a phone's: a late timer sends what is due, so the stream
        // does not drift behind real time however loaded the machine is.
        const timer = setInterval(() => {
          // close() clears the timer; this guards a tick already queued.
          if (closed) return;
          const due = Math.floor((performance.now() - start) / 20) + 1;
          for (; t < ticks.length && t < due; t++) for (const i of ticks[t]!) socket.send(packet(i), to, HOST);
          if (t >= ticks.length) {
            clearInterval(timer);
            timers.delete(timer);
            resolve();
          }
        }, 5);
        timers.add(timer);
      });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      timers.clear();
      socket.close();
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pcmu(port: number): RemoteDescription {
  return { address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000, ptime: 20, direction: 'sendrecv' };
}

/** Packets 0..n-1, one per tick. */
const inOrder = (n: number): number[][] => Array.from({ length: n }, (_, i) => [i]);

/**
 * Checks the mono recording holds the tone without a hole: every 20 ms window (sliding by 2.5 ms,
 * so a missing 20 ms frame leaves at least one window almost empty) between the tone's first and
 * last 60 ms carries most of the tone's power, and the tone dominates. Returns the tone's span.
 */
function expectContinuousTone(pcm: Int16Array): { fromMs: number; toMs: number } {
  const toneMs = (AMPLITUDE * AMPLITUDE) / 2;
  const loud: number[] = [];
  for (let at = 0; at + FRAME <= pcm.length; at += 20) if (meanSquare(pcm, at, FRAME) > 0.3 * toneMs) loud.push(at);
  expect(loud.length).toBeGreaterThan(100);
  const first = loud[0]!;
  const last = loud.at(-1)!;
  const quiet: number[] = [];
  for (let at = first + 480; at + FRAME <= last - 480; at += 20) {
    if (meanSquare(pcm, at, FRAME) < 0.3 * toneMs) quiet.push(Math.round((at * 1000) / RATE));
  }
  expect(quiet, `windows without the tone at ms ${quiet.slice(0, 5).join(', ')}`).toEqual([]);
  // The tone dominates, measured per 20 ms frame: over the whole body a coherent sum would also
  // punish the small phase steps where the media time was re-anchored on a loaded machine.
  let tone = 0;
  let other = 0;
  let frames = 0;
  for (let at = first; at + FRAME <= last; at += FRAME, frames++) {
    tone += goertzelPower(pcm, at, FRAME, HZ, RATE);
    other += goertzelPower(pcm, at, FRAME, 1700, RATE);
  }
  expect(tone / frames).toBeGreaterThan(0.25 * toneMs);
  expect(tone).toBeGreaterThan(100 * other);
  return { fromMs: (first * 1000) / RATE, toMs: (last * 1000) / RATE };
}

describe('jitter buffer on the decoding path, in media workers', () => {
  let pool: MediaWorkerPool;
  let dir: string;
  const phones: Phone[] = [];
  let nextSsrc = 0x6100;
  const newPhone = async (): Promise<Phone> => {
    const p = await phone(nextSsrc++);
    phones.push(p);
    return p;
  };
  const endpoint = () => pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options: { rtcpIntervalMs: 0 } });

  /** Records `ticks` sent to a fresh endpoint; returns the mono PCM and the endpoint's stats. */
  async function record(name: string, ticks: number[][]) {
    const p = await newPhone();
    const ep = await endpoint();
    await pool.setRemote(ep.endpoint, pcmu(p.port));
    const path = join(dir, `${name}.wav`);
    await pool.record({ recId: name, path, endpoints: [ep.endpoint] });
    await p.send(ep.port, ticks);
    // Generous on a loaded machine: the last frames wait out the buffer's delay and a tick.
    await sleep(300);
    const stats = await pool.stats(ep.endpoint);
    await pool.stopRecord(name);
    await pool.destroy(ep.endpoint);
    const wav = await readWavFile(path);
    if (isWavParseError(wav)) throw new Error(wav.reason);
    expect(wav.channels).toBe(1);
    return { pcm: wav.samples, stats };
  }

  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: 1, ports: '33600-33799' });
    dir = mkdtempSync(join(tmpdir(), 'atende-jitter-'));
  });
  afterEach(() => {
    for (const p of phones.splice(0)) p.close();
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts reordered packets back in order and drops a duplicate: the tone is recorded without a gap', async () => {
    const n = 75; // 1.5 s
    // Every third pair swapped: packet i (i % 6 === 4) is held back and sent right after i + 1.
    const ticks: number[][] = inOrder(n).map(([i]) => (i! % 6 === 4 ? [] : i! % 6 === 5 ? [i!, i! - 1] : [i!]));
    // And packet 20 arrives twice (a copy right after packet 21).
    ticks[21]!.push(20);
    const { pcm, stats } = await record('reordered', ticks);
    expectContinuousTone(pcm);
    const jb = stats.jitterBuffer!;
    expect(jb).toBeDefined();
    expect(jb.duplicate).toBe(1);
    expect(jb.received).toBe(n);
    // Each late packet came with its successor, before that one's turn: nothing concealed.
    expect(jb.late).toBe(0);
    expect(jb.lost).toBe(0);
    expect(jb.targetDelayMs).toBeGreaterThanOrEqual(20);
    expect(jb.targetDelayMs).toBeLessThanOrEqual(150);
  });

  it('conceals a lost packet: no 20 ms hole of silence where it was', async () => {
    const n = 75;
    const ticks = inOrder(n);
    ticks[30] = []; // packet 30 never sent
    const { pcm, stats } = await record('lost', ticks);
    expectContinuousTone(pcm);
    const jb = stats.jitterBuffer!;
    expect(jb.lost).toBe(1);
    expect(jb.concealed).toBe(1);
    expect(jb.received).toBe(n - 1);
    expect(jb.duplicate).toBe(0);
  });

  it('the relay is not delayed by the buffer: a recorded call is relayed packet for packet at once', async () => {
    const pa = await newPhone();
    const a = await endpoint();
    const b = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, near: a.endpoint, options: { rtcpIntervalMs: 0 } });
    const heard: number[] = [];
    const sink: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => sink.bind(0, HOST, resolve));
    try {
      sink.on('message', (msg) => {
        if (msg[1]! < 200 || msg[1]! > 204) heard.push(msg.readUInt16BE(2));
      });
      await pool.setRemote(a.endpoint, pcmu(pa.port));
      await pool.setRemote(b.endpoint, pcmu(sink.address().port));
      await pool.connect(a.endpoint, b.endpoint);
      await pool.record({ recId: 'relayed', path: join(dir, 'relayed.wav'), endpoints: [a.endpoint, b.endpoint] });
      // Reordered and duplicated on the way in: the relay forwards exactly what came, as it came.
      const ticks = inOrder(20);
      ticks[5] = [];
      ticks[6] = [6, 5, 6];
      await pa.send(a.port, ticks);
      await sleep(200);
      expect(heard).toHaveLength(21);
      // The relay renumbers the stream by a constant offset: the order is what came in.
      expect(heard.slice(4, 8).map((s) => (s - heard[0]!) & 0xffff)).toEqual([4, 6, 5, 6]);
      const jb = (await pool.stats(a.endpoint)).jitterBuffer!;
      expect(jb.duplicate).toBe(1);
      await pool.stopRecord('relayed');
    } finally {
      sink.close();
      await pool.destroy(a.endpoint);
      await pool.destroy(b.endpoint);
    }
  });
});
