// Real UDP on 127.0.0.1 through real worker threads; plain dgram sockets play the phones.
import { createSocket, type Socket } from 'node:dgram';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeALaw, decodeMuLaw, encodeMuLaw, sineWave } from '../codec/index.js';
import { parseTelephoneEvents, serializeTelephoneEvents } from '../dtmf/index.js';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../rtp/index.js';
import { MediaWorkerError, MediaWorkerPool } from './media-worker-pool.js';
import type { EndpointBinding, MediaEvent, RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';

interface Phone {
  socket: Socket;
  port: number;
  received: RtpPacket[];
  send(to: number, p: Partial<RtpPacket> & { payload: Uint8Array }): void;
  close(): void;
}

async function phone(): Promise<Phone> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  const received: RtpPacket[] = [];
  socket.on('message', (msg) => {
    const p = parseRtpPacket(msg);
    // RTCP (PT 200..204 shows as 72..76 with the marker) is not what these tests look at.
    if ('payloadType' in p && !(msg[1]! >= 200 && msg[1]! <= 204)) received.push(p);
  });
  return {
    socket,
    port: socket.address().port,
    received,
    send(to, p) {
      const packet: RtpPacket = {
        marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234, csrcs: [], paddingLength: 0, ...p,
      };
      socket.send(serializeRtpPacket(packet), to, HOST);
    },
    close: () => socket.close(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function pcmu(port: number, extra: Partial<RemoteDescription> = {}): RemoteDescription {
  return {
    address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000,
    telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv', ...extra,
  };
}

const pcma = (port: number, extra: Partial<RemoteDescription> = {}): RemoteDescription =>
  pcmu(port, { codec: 'PCMA', payloadType: 8, ...extra });

describe('MediaWorkerPool with real UDP', () => {
  let pool: MediaWorkerPool;
  const phones: Phone[] = [];
  const events: MediaEvent[] = [];
  const newPhone = async (): Promise<Phone> => {
    const p = await phone();
    phones.push(p);
    return p;
  };

  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: 2, ports: '31000-31999' });
    pool.on((e) => events.push(e));
  });
  afterEach(() => {
    for (const p of phones.splice(0)) p.close();
    events.length = 0;
  });
  afterAll(async () => {
    await pool.close();
  });

  async function pair(remoteA: RemoteDescription, remoteB: RemoteDescription, options = {}) {
    const a = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options });
    const b = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, near: a.endpoint, options });
    await pool.setRemote(a.endpoint, remoteA);
    await pool.setRemote(b.endpoint, remoteB);
    return { a, b };
  }

  it('relays same-codec RTP both ways, one continuous SSRC/sequence/timestamp towards each phone', async () => {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const { a, b } = await pair(pcmu(phoneA.port), pcmu(phoneB.port, { telephoneEventPayloadType: 96 }));
    expect(pool.workerOf(a.endpoint)).toBe(pool.workerOf(b.endpoint));
    expect(await pool.connect(a.endpoint, b.endpoint)).toEqual({ transcoding: false });

    const payload = Uint8Array.from({ length: 160 }, (_, i) => i & 0xff);
    for (let i = 0; i < 5; i++) phoneA.send(a.port, { sequenceNumber: 1000 + i, timestamp: 5000 + i * 160, ssrc: 0xaaaa, payload });
    await until(() => phoneB.received.length === 5);
    // The caller restarts its stream: new SSRC, unrelated numbering.
    for (let i = 0; i < 5; i++) phoneA.send(a.port, { sequenceNumber: 40000 + i, timestamp: 900000 + i * 160, ssrc: 0xbbbb, payload });
    await until(() => phoneB.received.length === 10);

    const got = phoneB.received;
    const ssrc = got[0]!.ssrc;
    expect(ssrc).not.toBe(0xaaaa);
    for (let i = 0; i < got.length; i++) {
      expect(got[i]!.ssrc).toBe(ssrc);
      expect(got[i]!.payloadType).toBe(0);
      expect(Buffer.from(got[i]!.payload)).toEqual(Buffer.from(payload));
      if (i > 0) expect(got[i]!.sequenceNumber).toBe((got[i - 1]!.sequenceNumber + 1) & 0xffff);
      if (i > 0 && i !== 5) expect((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0).toBe(160);
    }
    // The switch is marked and keeps time moving forward.
    expect(got[5]!.marker).toBe(true);
    expect((got[5]!.timestamp - got[4]!.timestamp) >>> 0).toBeGreaterThanOrEqual(160);
    expect((got[5]!.timestamp - got[4]!.timestamp) >>> 0).toBeLessThan(8000);

    // And the other way.
    phoneB.send(b.port, { sequenceNumber: 7, timestamp: 7, ssrc: 0xcccc, payload });
    await until(() => phoneA.received.length === 1);
    expect(phoneA.received[0]!.ssrc).not.toBe(0xcccc);

    const stats = await pool.stats(a.endpoint);
    expect(stats.packetsIn).toBe(10);
    expect(stats.packetsOut).toBe(1);
    expect(stats.lost).toBe(0);
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('transcodes PCMU to PCMA and back', async () => {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const { a, b } = await pair(pcmu(phoneA.port), pcma(phoneB.port, { telephoneEventPayloadType: 96 }));
    expect(await pool.connect(a.endpoint, b.endpoint)).toEqual({ transcoding: true });

    const tone = sineWave(440, 8000, 800, 8000);
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) {
      const payload = Uint8Array.from(encodeMuLaw(tone.subarray(i * 160, i * 160 + 160)));
      sent.push(payload);
      phoneA.send(a.port, { sequenceNumber: 10 + i, timestamp: i * 160, ssrc: 0x55, payload });
    }
    await until(() => phoneB.received.length === 5);
    for (let i = 0; i < 5; i++) {
      const p = phoneB.received[i]!;
      expect(p.payloadType).toBe(8);
      expect(p.payload.length).toBe(160);
      const want = decodeMuLaw(sent[i]!).slice();
      const have = decodeALaw(p.payload).slice();
      for (let k = 0; k < 160; k++) expect(Math.abs(have[k]! - want[k]!)).toBeLessThanOrEqual(Math.max(16, Math.abs(want[k]!) / 16));
      if (i > 0) expect(p.sequenceNumber).toBe((phoneB.received[i - 1]!.sequenceNumber + 1) & 0xffff);
    }
    // A lost packet is concealed (the far end still gets one packet per 20 ms), and a digit
    // joins the transcoded stream with B's telephone-event payload type.
    phoneA.send(a.port, { sequenceNumber: 16, timestamp: 6 * 160, ssrc: 0x55, payload: sent[0]! });
    phoneA.send(a.port, { payloadType: 101, marker: true, sequenceNumber: 17, timestamp: 7 * 160, ssrc: 0x55,
      payload: serializeTelephoneEvents([{ event: 9, end: false, volume: 10, duration: 160 }]) });
    await until(() => phoneB.received.length === 8);
    const tail = phoneB.received.slice(4);
    expect(tail.map((p) => p.payloadType)).toEqual([8, 8, 8, 96]);
    for (let i = 1; i < tail.length; i++) expect(tail[i]!.sequenceNumber).toBe((tail[i - 1]!.sequenceNumber + 1) & 0xffff);
    expect((tail[2]!.timestamp - tail[1]!.timestamp) >>> 0).toBe(160);
    expect((tail[3]!.timestamp - tail[2]!.timestamp) >>> 0).toBe(160);
    // PCMA back to PCMU.
    phoneB.send(b.port, { payloadType: 8, sequenceNumber: 1, timestamp: 0, ssrc: 0x66, payload: new Uint8Array(160).fill(0xd5) });
    await until(() => phoneA.received.length === 1);
    expect(phoneA.received[0]!.payloadType).toBe(0);
    expect(Math.max(...decodeMuLaw(phoneA.received[0]!.payload).map(Math.abs))).toBeLessThan(16);
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('raises one dtmf event per RFC 4733 digit and forwards events with the mapped payload type', async () => {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const { a, b } = await pair(pcmu(phoneA.port), pcmu(phoneB.port, { telephoneEventPayloadType: 96 }));
    await pool.connect(a.endpoint, b.endpoint);
    const mine: MediaEvent[] = [];
    pool.onEndpoint(a.endpoint, (e) => mine.push(e));
    const event = (duration: number, end: boolean) => serializeTelephoneEvents([{ event: 5, end, volume: 10, duration }]);
    let seq = 200;
    phoneA.send(a.port, { payloadType: 101, marker: true, sequenceNumber: seq++, timestamp: 8000, payload: event(160, false) });
    phoneA.send(a.port, { payloadType: 101, sequenceNumber: seq++, timestamp: 8000, payload: event(320, false) });
    for (let i = 0; i < 3; i++) phoneA.send(a.port, { payloadType: 101, sequenceNumber: seq++, timestamp: 8000, payload: event(800, true) });
    await until(() => phoneB.received.length === 5);
    await sleep(50);
    const digits = mine.filter((e) => e.ev === 'dtmf');
    expect(digits).toEqual([{ ev: 'dtmf', endpoint: a.endpoint, digit: '5', source: 'rfc4733' }]);
    expect(phoneB.received.every((p) => p.payloadType === 96 && p.timestamp === phoneB.received[0]!.timestamp)).toBe(true);
    expect((await pool.stats(a.endpoint)).dtmfIn).toBe(1);
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('drops telephone-event and comfort noise towards a side that did not negotiate them', async () => {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const { a, b } = await pair(pcmu(phoneA.port, { comfortNoisePayloadType: 13 }), pcmu(phoneB.port, { telephoneEventPayloadType: undefined }));
    await pool.connect(a.endpoint, b.endpoint);
    phoneA.send(a.port, { payloadType: 13, sequenceNumber: 1, timestamp: 0, payload: Uint8Array.of(40) });
    phoneA.send(a.port, { payloadType: 101, marker: true, sequenceNumber: 2, timestamp: 160, payload: serializeTelephoneEvents([{ event: 1, end: true, volume: 10, duration: 800 }]) });
    phoneA.send(a.port, { payloadType: 0, sequenceNumber: 3, timestamp: 320, payload: new Uint8Array(160) });
    await until(() => phoneB.received.length >= 1);
    await sleep(50);
    expect(phoneB.received.map((p) => p.payloadType)).toEqual([0]);
    // The digit still reaches the call layer.
    expect(events.some((e) => e.ev === 'dtmf' && e.endpoint === a.endpoint && e.digit === '1')).toBe(true);
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('sends RFC 4733 digits paced, with end packets, on one timestamp', async () => {
    const phoneB = await newPhone();
    const b = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true });
    await pool.setRemote(b.endpoint, pcmu(phoneB.port, { telephoneEventPayloadType: 96 }));
    await pool.sendDtmf(b.endpoint, '#', 120);
    const got = phoneB.received;
    expect(got.length).toBeGreaterThanOrEqual(5);
    expect(got.every((p) => p.payloadType === 96 && p.timestamp === got[0]!.timestamp)).toBe(true);
    expect(got[0]!.marker).toBe(true);
    const blocks = got.map((p) => parseTelephoneEvents(p.payload)).map((e) => (Array.isArray(e) ? e[0]! : undefined));
    expect(blocks.every((e) => e?.event === 11)).toBe(true);
    expect(blocks.filter((e) => e?.end).length).toBe(3);
    expect(blocks.at(-1)!.duration).toBe(960);
    await expect(pool.sendDtmf(b.endpoint, 'X')).rejects.toMatchObject({ code: 'invalid_argument' });
    await pool.destroy(b.endpoint);
  });

  it('latches to a NATed source port within the window, and not to anyone afterwards', async () => {
    const natted = await newPhone();
    const hijacker = await newPhone();
    const peer = await newPhone();
    const signalled = await newPhone(); // what the SDP said; the phone really sends from `natted`
    const { a, b } = await pair(pcmu(signalled.port), pcmu(peer.port), { latchWindowMs: 300 });
    await pool.connect(a.endpoint, b.endpoint);
    natted.send(a.port, { sequenceNumber: 1, timestamp: 0, payload: new Uint8Array(160) });
    await until(() => events.some((e) => e.ev === 'latched' && e.endpoint === a.endpoint));
    expect(events.find((e) => e.ev === 'latched')).toMatchObject({ address: HOST, port: natted.port, rtcp: false });
    // Media for the phone now goes where it really is.
    peer.send(b.port, { sequenceNumber: 1, timestamp: 0, payload: new Uint8Array(160) });
    await until(() => natted.received.length === 1);
    // Someone else cannot take it over, inside or after the window.
    hijacker.send(a.port, { sequenceNumber: 2, timestamp: 160, payload: new Uint8Array(160) });
    await sleep(350);
    hijacker.send(a.port, { sequenceNumber: 3, timestamp: 320, payload: new Uint8Array(160) });
    peer.send(b.port, { sequenceNumber: 2, timestamp: 160, payload: new Uint8Array(160) });
    await until(() => natted.received.length === 2);
    await sleep(30);
    expect(hijacker.received.length).toBe(0);
    expect(signalled.received.length).toBe(0);
    expect(events.filter((e) => e.ev === 'latched').length).toBe(1);
    const stats = await pool.stats(a.endpoint);
    expect(stats).toMatchObject({ latched: true, remotePort: natted.port, packetsIn: 1 });
    expect(stats.packetsDropped).toBe(2);
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('keeps the media of the phone the SDP names when a stray RTCP report or RTP packet arrives first', async () => {
    // (Seen at 800 calls: another call's RTCP report, sent to its far end's port + 1, landed on
    // this endpoint's RTP port before the phone's first packet and took the latch.)
    const phoneA = await newPhone();
    const stray = await newPhone();
    const peer = await newPhone();
    const a = await pool.createEndpoint({ localAddress: HOST, options: { latchWindowMs: 2000 } });
    const b = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, near: a.endpoint });
    await pool.setRemote(a.endpoint, pcmu(phoneA.port, { rtcpMux: false }));
    await pool.setRemote(b.endpoint, pcmu(peer.port));
    await pool.connect(a.endpoint, b.endpoint);
    // A receiver report (PT 201) on the RTP port: dropped, no latch.
    stray.socket.send(Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 7]), a.port, HOST);
    await sleep(50);
    expect(events.some((e) => e.ev === 'latched')).toBe(false);
    // A stray RTP packet does latch (it could be the phone behind NAT)...
    stray.send(a.port, { sequenceNumber: 1, timestamp: 0, ssrc: 0x99, payload: new Uint8Array(160) });
    await until(() => events.some((e) => e.ev === 'latched' && e.port === stray.port));
    // ...but the signalled phone takes its media back, and it is relayed.
    phoneA.send(a.port, { sequenceNumber: 7, timestamp: 0, payload: new Uint8Array(160).fill(0x55) });
    await until(() => peer.received.some((p) => p.payload[0] === 0x55));
    peer.send(b.port, { sequenceNumber: 1, timestamp: 0, payload: new Uint8Array(160) });
    await until(() => phoneA.received.length === 1);
    expect(stray.received.length).toBe(0);
    expect(await pool.stats(a.endpoint)).toMatchObject({ latched: false, remotePort: phoneA.port });
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('opens two endpoints at once in the worker picked beforehand, and relays between them', async () => {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const busy = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true });
    const worker = pool.pickWorker();
    expect(worker).not.toBe(pool.workerOf(busy.endpoint)); // the least loaded one
    const [a, b] = await Promise.all([
      pool.createEndpoint({ localAddress: HOST, rtcpMux: true, worker }),
      pool.createEndpoint({ localAddress: HOST, rtcpMux: true, worker }),
    ]);
    expect([pool.workerOf(a.endpoint), pool.workerOf(b.endpoint)]).toEqual([worker, worker]);
    await pool.setRemote(a.endpoint, pcmu(phoneA.port));
    await pool.setRemote(b.endpoint, pcmu(phoneB.port));
    await pool.connect(a.endpoint, b.endpoint);
    phoneA.send(a.port, { sequenceNumber: 1, timestamp: 0, payload: new Uint8Array(160) });
    await until(() => phoneB.received.length === 1);
    for (const e of [a, b, busy]) await pool.destroy(e.endpoint);
  });

  it('does not latch once the window has passed', async () => {
    const natted = await newPhone();
    const signalled = await newPhone();
    const a = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options: { latchWindowMs: 100 } });
    await pool.setRemote(a.endpoint, pcmu(signalled.port));
    await sleep(200);
    natted.send(a.port, { sequenceNumber: 1, timestamp: 0, payload: new Uint8Array(160) });
    await sleep(100);
    expect(events.some((e) => e.ev === 'latched')).toBe(false);
    expect(await pool.stats(a.endpoint)).toMatchObject({ latched: false, packetsIn: 0, packetsDropped: 1, remotePort: signalled.port });
    await pool.destroy(a.endpoint);
  });

  it('raises a media timeout when RTP stops, but not while the far end holds', async () => {
    const phoneA = await newPhone();
    const a = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options: { mediaTimeoutMs: 150 } });
    const held = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options: { mediaTimeoutMs: 150 } });
    await pool.setRemote(a.endpoint, pcmu(phoneA.port));
    await pool.setRemote(held.endpoint, pcmu(phoneA.port, { direction: 'sendonly' }));
    phoneA.send(a.port, { sequenceNumber: 1, timestamp: 0, payload: new Uint8Array(160) });
    await until(() => events.some((e) => e.ev === 'timeout'));
    await sleep(300);
    const timeouts = events.filter((e) => e.ev === 'timeout');
    expect(timeouts.length).toBe(1);
    expect(timeouts[0]).toMatchObject({ endpoint: a.endpoint });
    expect((timeouts[0] as { silentMs: number }).silentMs).toBeGreaterThanOrEqual(150);
    await pool.destroy(a.endpoint);
    await pool.destroy(held.endpoint);
  });

  it('rejects bad commands with typed errors', async () => {
    const a = await pool.createEndpoint({ localAddress: HOST });
    expect(a.rtcpPort).toBe(a.port + 1);
    await expect(pool.setRemote(a.endpoint, pcmu(0))).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(pool.setRemote('nope', pcmu(4000))).rejects.toBeInstanceOf(MediaWorkerError);
    await expect(pool.sendDtmf(a.endpoint, '1')).rejects.toMatchObject({ code: 'internal' });
    await pool.destroy(a.endpoint);
    await pool.destroy(a.endpoint); // already gone: fine
  });

  it('frees every port on destroy, retries the next port on EADDRINUSE and spreads endpoints', async () => {
    expect(pool.ports.inUse).toBe(0);
    const created: EndpointBinding[] = [];
    for (let i = 0; i < 40; i++) created.push(await pool.createEndpoint({ localAddress: HOST }));
    expect(pool.load[0]).toBe(20);
    expect(pool.load[1]).toBe(20);
    expect(new Set(created.map((c) => c.port)).size).toBe(40);
    await Promise.all(created.map((c) => pool.destroy(c.endpoint)));
    expect(pool.ports.inUse).toBe(0);
    expect(pool.endpointCount).toBe(0);
    // The sockets really are closed: the ports bind again.
    const probe = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(created[0]!.port, HOST, () => resolve());
    });
    // Now the port is taken by someone else: the next allocation that lands on it moves on.
    const busy = created[0]!.port;
    const seen: number[] = [];
    for (let i = 0; i < 520; i++) {
      const c = await pool.createEndpoint({ localAddress: HOST, rtcpMux: true });
      seen.push(c.port);
      await pool.destroy(c.endpoint);
    }
    probe.close();
    expect(seen).not.toContain(busy);
    expect(pool.ports.inUse).toBe(0);
  });
});

describe('MediaWorkerPool lifecycle', () => {
  it('reports a crashed worker to its endpoints and closes cleanly, twice', async () => {
    const pool = await MediaWorkerPool.start({ workers: 2, ports: '32000-32099' });
    const a = await pool.createEndpoint({ localAddress: HOST });
    const b = await pool.createEndpoint({ localAddress: HOST });
    expect(pool.workerOf(a.endpoint)).not.toBe(pool.workerOf(b.endpoint));
    const events: MediaEvent[] = [];
    pool.on((e) => events.push(e));
    // Kill a's worker from outside, as a crash would.
    const slots = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    await slots[pool.workerOf(a.endpoint)!]!.worker.terminate();
    await until(() => events.length > 0);
    expect(events).toEqual([{ ev: 'error', endpoint: a.endpoint, error: expect.objectContaining({ code: 'worker_crashed' }) }]);
    expect(pool.liveWorkers).toBe(1);
    expect(pool.ports.inUse).toBe(1);
    // New endpoints go to the surviving worker.
    const c = await pool.createEndpoint({ localAddress: HOST });
    expect(pool.workerOf(c.endpoint)).toBe(pool.workerOf(b.endpoint));
    await expect(pool.createEndpoint({ localAddress: HOST, near: a.endpoint })).rejects.toMatchObject({ code: 'unknown_endpoint' });

    await pool.close();
    await pool.close();
    expect(pool.liveWorkers).toBe(0);
    expect(pool.ports.inUse).toBe(0);
    await expect(pool.stats(b.endpoint)).rejects.toMatchObject({ code: 'unknown_endpoint' });
    await expect(pool.createEndpoint({ localAddress: HOST })).rejects.toMatchObject({ code: 'pool_closed' });
  });
});
