// Reserved RTP ports through real worker threads and real UDP on 127.0.0.1.
import { createSocket, type Socket } from 'node:dgram';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRtpPacket, serializeRtpPacket } from '../rtp/index.js';
import { MediaWorkerPool } from './media-worker-pool.js';
import type { MediaEvent, RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

async function udp(port = 0): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, HOST, () => resolve());
  });
  return socket;
}

const pcmu = (port: number): RemoteDescription => ({
  address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000,
  telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv',
});

const rtp = (sequenceNumber: number): Buffer => Buffer.from(serializeRtpPacket({
  marker: false, payloadType: 0, sequenceNumber, timestamp: sequenceNumber * 160, ssrc: 0x1234, csrcs: [], paddingLength: 0,
  payload: new Uint8Array(160),
}));

describe('MediaWorkerPool with spare endpoints', () => {
  const sockets: Socket[] = [];
  let pool: MediaWorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
    for (const s of sockets.splice(0)) s.close();
  });

  it('hands out a bound port at once and relays on it with commands sent right behind', async () => {
    pool = await MediaWorkerPool.start({ workers: 1, ports: '36000-36099', spareEndpoints: 2 });
    // The first endpoint on an address goes the slow way and starts the stock.
    const first = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true });
    await until(() => pool!.sparePorts === 2);
    expect(pool.ports.inUse).toBe(3);

    const created = [pool.createEndpoint({ localAddress: HOST }), pool.createEndpoint({ localAddress: HOST, rtcpMux: true })];
    // Answered before the worker saw either command: both were in the stock.
    expect(pool.sparePorts).toBe(0);
    const [a, b] = await Promise.all(created);
    expect(a!.rtcpPort).toBe(a!.port + 1);
    expect(b!.rtcpPort).toBeUndefined();

    const [phoneA, phoneB] = [await udp(), await udp()];
    sockets.push(phoneA, phoneB);
    const got: number[] = [];
    phoneB.on('message', (msg) => {
      const p = parseRtpPacket(msg);
      if ('payloadType' in p && p.payloadType === 0) got.push(p.sequenceNumber);
    });
    // Not awaited one by one: they reach the worker after the createEndpoint commands.
    await Promise.all([pool.setRemote(a!.endpoint, pcmu(phoneA.address().port)), pool.setRemote(b!.endpoint, pcmu(phoneB.address().port))]);
    await pool.connect(a!.endpoint, b!.endpoint);
    // The worker has adopted both pairs by now (it runs commands in order): with rtcp-mux the
    // reserved RTCP socket was closed (its port stays allocated with the pair).
    sockets.push(await udp(b!.port + 1));
    for (let i = 1; i <= 3; i++) phoneA.send(rtp(i), a!.port, HOST);
    await until(() => got.length === 3);

    await until(() => pool!.sparePorts === 2);
    for (const e of [first, a!, b!]) await pool.destroy(e.endpoint);
    expect(pool.ports.inUse - pool.sparePorts).toBe(0);
    await pool.close();
    expect(pool.ports.inUse).toBe(0);
  });

  it('skips a port another program holds and keeps serving', async () => {
    pool = await MediaWorkerPool.start({ workers: 1, ports: '36100-36163', spareEndpoints: 2 });
    // 36100 goes to the first endpoint; its reservations draw 36102 (taken here) and 36104.
    sockets.push(await udp(36103));
    const first = await pool.createEndpoint({ localAddress: HOST });
    expect(first.port).toBe(36100);
    await until(() => pool!.sparePorts === 1);
    await sleep(50);
    expect(pool.ports.isAllocated(36102)).toBe(false);
    const second = await pool.createEndpoint({ localAddress: HOST });
    expect(second.port).toBe(36104);
    await pool.destroy(first.endpoint);
    await pool.destroy(second.endpoint);
  });

  it('keeps at most an eighth of a small range bound ahead', async () => {
    pool = await MediaWorkerPool.start({ workers: 2, ports: '36300-36331', spareEndpoints: 8 });
    const a = await pool.createEndpoint({ localAddress: HOST, worker: 0 });
    const b = await pool.createEndpoint({ localAddress: HOST, worker: 1 });
    await until(() => pool!.sparePorts === 2);
    await sleep(50);
    expect(pool.sparePorts).toBe(2);
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('frees the stock of a worker that died', async () => {
    pool = await MediaWorkerPool.start({ workers: 2, ports: '36200-36299', spareEndpoints: 3 });
    const events: MediaEvent[] = [];
    pool.on((e) => events.push(e));
    const a = await pool.createEndpoint({ localAddress: HOST, worker: 0 });
    await until(() => pool!.sparePorts === 3);
    const slots = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    await slots[0]!.worker.terminate();
    await until(() => events.length > 0);
    expect(events[0]).toMatchObject({ ev: 'error', endpoint: a.endpoint });
    expect(pool.sparePorts).toBe(0);
    expect(pool.ports.inUse).toBe(0);
  });
});
