// Main-thread cost of a call's media commands (two endpoints, their far ends, a relay, two
// destroys) through the real worker pool, without SIP: event-loop busy time per call at a
// paced rate, so changes to the pool's messaging (spare ports, batching) are measured apart
// from SIP's noise.
//   npx tsx bench/media-setup-cost.ts [--calls 4000] [--rate 250] [--spare 8]
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MediaWorkerPool } from '../src/media/worker/index.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const calls = arg('calls', 4000);
const rate = arg('rate', 250);
const spare = arg('spare', 8);
const HOST = '127.0.0.1';
const remote = (port: number) => ({
  address: HOST, port, rtcpMux: false, codec: 'PCMU' as const, payloadType: 0, clockRate: 8000,
  telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv' as const,
});

const pool = await MediaWorkerPool.start({ workers: 2, ports: '40000-49999', spareEndpoints: spare });
const setupMs: number[] = [];
async function call(n: number): Promise<void> {
  const t0 = performance.now();
  const worker = pool.pickWorker();
  const [a, b] = await Promise.all([pool.createEndpoint({ localAddress: HOST, worker }), pool.createEndpoint({ localAddress: HOST, worker })]);
  setupMs.push(performance.now() - t0);
  void pool.setRemote(a.endpoint, remote(30000 + (n % 1000) * 2));
  void pool.setRemote(b.endpoint, remote(31000 + (n % 1000) * 2));
  await pool.connect(a.endpoint, b.endpoint);
  await Promise.all([pool.destroy(a.endpoint), pool.destroy(b.endpoint)]);
}

// Warm up, then measure.
for (let i = 0; i < 500; i++) await call(i);
setupMs.length = 0;
const elu0 = performance.eventLoopUtilization();
const started = performance.now();
const running: Promise<void>[] = [];
for (let i = 0; i < calls; i++) {
  const due = started + (i * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  running.push(call(i));
}
await Promise.all(running);
const elu = performance.eventLoopUtilization(elu0);
const sorted = setupMs.sort((x, y) => x - y);
const pct = (p: number): string => sorted[Math.floor((sorted.length * p) / 100)]!.toFixed(3);
console.log(`spare ${spare}: ${calls} calls at ${rate}/s: main thread busy ${(elu.active / calls * 1000).toFixed(1)} µs per call; endpoints ready p50 ${pct(50)} ms p95 ${pct(95)} ms p99 ${pct(99)} ms`);
await pool.close();
