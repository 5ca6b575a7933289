// Media relay load: N concurrent G.711 streams at 50 packets/s, each through its own pair
// of endpoints (phone A -> endpoint A -> relay -> endpoint B -> phone B) in one
// MediaWorkerPool, for a fixed time. Prints loss, the jitter the relay adds (p50/p99/max of
// transit time minus each stream's minimum) and CPU (whole process, and the media workers'
// event-loop utilization). The "phones" run on the main thread, spread over the 20 ms period.
// Run:
//   npx tsx bench/media-relay.ts [--streams 200] [--seconds 10] [--workers 1] [--transcode]
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { MediaWorkerPool } from '../src/media/worker/index.js';
import type { RemoteDescription } from '../src/media/worker/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const streams = Math.min(2000, arg('streams', 200));
const seconds = Math.min(120, arg('seconds', 10));
const workers = arg('workers', 1);
const transcode = process.argv.includes('--transcode');
const HOST = '127.0.0.1';

async function bound(): Promise<Socket> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, HOST, resolve));
  // Enough room for a burst of every stream's packet.
  s.setRecvBufferSize(4 * 1024 * 1024);
  s.setSendBufferSize(4 * 1024 * 1024);
  return s;
}

const remote = (port: number, codec: 'PCMU' | 'PCMA'): RemoteDescription => ({
  address: HOST, port, rtcpMux: true, codec, payloadType: codec === 'PCMU' ? 0 : 8, clockRate: 8000,
  telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv',
});

const sender = await bound();
const receiver = await bound();
const pool = await MediaWorkerPool.start({ workers, ports: '40000-49999' });
const rssBefore = process.memoryUsage().rss;
const targets: number[] = [];
for (let i = 0; i < streams; i++) {
  const a = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options: { statsEvents: false } });
  const b = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, near: a.endpoint, options: { statsEvents: false } });
  await pool.setRemote(a.endpoint, remote(sender.address().port, 'PCMU'));
  await pool.setRemote(b.endpoint, remote(receiver.address().port, transcode ? 'PCMA' : 'PCMU'));
  await pool.connect(a.endpoint, b.endpoint);
  targets.push(a.port);
}
const rssPerCall = (process.memoryUsage().rss - rssBefore) / streams;

// Payload bytes 0-3: stream, 4-7: packet number (the copy path leaves the payload untouched).
const sent = new Uint32Array(streams);
const received = new Uint32Array(streams);
const sentAt: Float64Array[] = Array.from({ length: streams }, () => new Float64Array(seconds * 50 + 10));
const minTransit = new Float64Array(streams).fill(Infinity);
const transits: number[] = [];
const transitStream: number[] = [];

receiver.on('message', (msg) => {
  const now = performance.now();
  // RTCP shares the port (rtcp-mux): packet types 200..204 (RFC 5761 4).
  if (msg.length < 20 || (msg[1]! >= 192 && msg[1]! <= 223)) return;
  if (transcode) {
    // Transcoded payloads are not byte-identical: count only (stream from SSRC order is unknown).
    received[0]!++;
    return;
  }
  const stream = msg.readUInt32BE(12);
  const n = msg.readUInt32BE(16);
  if (stream >= streams) return;
  received[stream]!++;
  const transit = now - sentAt[stream]![n]!;
  if (transit < minTransit[stream]!) minTransit[stream] = transit;
  transits.push(transit);
  transitStream.push(stream);
});

const packet = Buffer.alloc(12 + 160, 0xff);
const start = performance.now() + 100;
const cpuStart = process.cpuUsage();
const eluStart = pool.eventLoopUtilization();
const total = seconds * 50;
let done = 0;

await new Promise<void>((resolve) => {
  const tick = setInterval(() => {
    const now = performance.now();
    for (let i = 0; i < streams; i++) {
      const n = sent[i]!;
      if (n >= total) continue;
      // Stream i sends at phase i/streams of the 20 ms period.
      const due = start + n * 20 + (i * 20) / streams;
      if (now < due) continue;
      packet[0] = 0x80;
      packet[1] = 0;
      packet.writeUInt16BE(n & 0xffff, 2);
      packet.writeUInt32BE((n * 160) >>> 0, 4);
      packet.writeUInt32BE(0x10000 + i, 8);
      packet.writeUInt32BE(i, 12);
      packet.writeUInt32BE(n, 16);
      sentAt[i]![n] = now;
      sender.send(packet, targets[i]!, HOST);
      sent[i] = n + 1;
      if (n + 1 === total) done++;
    }
    if (done === streams) {
      clearInterval(tick);
      resolve();
    }
  }, 1);
});
await new Promise((r) => setTimeout(r, 300));

const cpu = process.cpuUsage(cpuStart);
const eluEnd = pool.eventLoopUtilization();
const wall = (performance.now() - start) / 1000;
const sentTotal = sent.reduce((a, b) => a + b, 0);
const receivedTotal = received.reduce((a, b) => a + b, 0);
const added = transits.map((t, k) => t - minTransit[transitStream[k]!]!).sort((a, b) => a - b);
const pct = (p: number): number => added.length ? added[Math.min(added.length - 1, Math.floor(p * added.length))]! : NaN;
const workerCpu = eluEnd.map((e, i) => {
  const s = eluStart[i]!;
  return (e.active - s.active) / (e.active - s.active + e.idle - s.idle);
});

console.log(JSON.stringify({
  streams, seconds, workers, mode: transcode ? 'transcode PCMU->PCMA' : 'copy PCMU',
  sent: sentTotal, received: receivedTotal,
  lossPercent: Number((((sentTotal - receivedTotal) * 100) / sentTotal).toFixed(3)),
  addedJitterMs: transcode ? null : { p50: +pct(0.5).toFixed(3), p99: +pct(0.99).toFixed(3), max: +pct(1).toFixed(3) },
  processCpuPercent: Number((((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)),
  mediaWorkerCpuPercent: workerCpu.map((u) => Number((u * 100).toFixed(1))),
  rssPerCallKB: Math.round(rssPerCall / 1024),
}, null, 2));

await pool.close();
sender.close();
receiver.close();
