// The worker runtime on the calling thread: the graph's resources end with their endpoints.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cryptoRandom, systemClock } from '../../core/index.js';
import { MediaWorkerRuntime } from './media-worker-runtime.js';
import type { MediaCommand, MediaEvent } from './protocol.js';

/** A command without its request id (distributes over the union). */
type Unsent<C> = C extends MediaCommand ? Omit<C, 'id'> : never;

describe('MediaWorkerRuntime graph lifecycle', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('ends plays, recordings and mixes when endpoints are destroyed, and stops the media clock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-rt-'));
    dirs.push(dir);
    const events: MediaEvent[] = [];
    const rt = new MediaWorkerRuntime({ clock: systemClock, random: cryptoRandom, emit: (e) => events.push(e) });
    let id = 1;
    const run = async (c: Unsent<MediaCommand>) => {
      const r = await rt.handle({ ...c, id: id++ } as MediaCommand);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.result;
    };
    for (const [endpoint, port] of [['a', 0], ['b', 0]] as const) {
      await run({ op: 'createEndpoint', endpoint, kind: 'rtp', localAddress: '127.0.0.1', port, rtcpMux: true, options: { rtcpIntervalMs: 0 } });
      await run({ op: 'setRemote', endpoint, remote: { address: '127.0.0.1', port: 9, rtcpMux: true, codec: 'PCMA', payloadType: 8, clockRate: 8000, direction: 'sendrecv' } });
    }
    await run({ op: 'play', endpoint: 'a', playId: 'p', sources: [{ kind: 'folder', path: dir }], loop: true });
    await run({ op: 'record', recId: 'r', path: join(dir, 'sub', 'r.wav'), endpoints: ['a', 'b'] });
    await run({ op: 'mix', mixId: 'm', members: [{ endpoint: 'a', hears: 'all-but-self' }, { endpoint: 'b', hears: 'all-but-self' }] });
    await run({ op: 'echo', endpoint: 'b', on: true });
    expect(rt.graph.counts).toEqual({ nodes: 2, recordings: 1, mixes: 1, clockRunning: true });
    await new Promise((r) => setTimeout(r, 100));
    // An empty folder fails its play, with the reason.
    expect(events.find((e) => e.ev === 'playDone')).toMatchObject({ playId: 'p', reason: 'error' });
    await run({ op: 'destroy', endpoint: 'a' });
    const rec = events.find((e) => e.ev === 'recordDone');
    expect(rec).toMatchObject({ recId: 'r', path: join(dir, 'sub', 'r.wav') });
    expect(statSync(join(dir, 'sub', 'r.wav')).size).toBe((rec as { bytes: number }).bytes);
    await run({ op: 'destroy', endpoint: 'b' });
    await run({ op: 'unmix', mixId: 'm' });
    expect(rt.graph.counts).toEqual({ nodes: 0, recordings: 0, mixes: 0, clockRunning: false });
    rt.close();
    rt.close();
  });
});
