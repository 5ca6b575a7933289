// 'srtp' endpoints (SDES, RFC 4568) through real worker threads and real UDP; the "phones" are
// dgram sockets protecting and unprotecting with their own SrtpSession from src/media/srtp.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cryptoRandom } from '../../core/index.js';
import { sdesCryptoOf, sdesKeyDescription } from '../endpoint/index.js';
import { isRtcp, parseRtcpCompound } from '../rtcp/index.js';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../rtp/index.js';
import { generateSdesCrypto, srtpSessionFromSdes, type SrtpSession } from '../srtp/index.js';
import { MediaWorkerPool } from './media-worker-pool.js';
import type { EndpointBinding, MediaEvent, RemoteDescription, SdesKeyDescription } from './protocol.js';

const HOST = '127.0.0.1';
const SUITE = 'AES_CM_128_HMAC_SHA1_80';

interface SecurePhone {
  socket: Socket;
  port: number;
  key: SdesKeyDescription;
  session: SrtpSession | undefined;
  received: RtpPacket[];
  rtcpTypes: number[][];
  /** Datagrams that did not unprotect. */
  rejected: number;
  /** Keys the session: our key and the endpoint's (from its createEndpoint reply). */
  pairWith(endpoint: EndpointBinding): void;
  /** A new key of ours (a re-INVITE with new a=crypto). */
  rekey(endpoint: EndpointBinding): void;
  protect(p: Partial<RtpPacket> & { payload: Uint8Array }): Buffer;
  sendRaw(to: number, datagram: Buffer): void;
  close(): void;
}

async function securePhone(): Promise<SecurePhone> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  let own = generateSdesCrypto(1, SUITE, cryptoRandom)!;
  const phone: SecurePhone = {
    socket,
    port: socket.address().port,
    key: sdesKeyDescription(own),
    session: undefined,
    received: [],
    rtcpTypes: [],
    rejected: 0,
    pairWith(endpoint) {
      const theirs = sdesCryptoOf(endpoint.crypto!);
      if (typeof theirs === 'string') throw new Error(theirs);
      const s = srtpSessionFromSdes(own, theirs);
      if (typeof s === 'string') throw new Error(s);
      phone.session = s;
    },
    rekey(endpoint) {
      own = generateSdesCrypto(1, SUITE, cryptoRandom)!;
      phone.key = sdesKeyDescription(own);
      phone.pairWith(endpoint);
    },
    protect(p) {
      const packet: RtpPacket = {
        marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234, csrcs: [], paddingLength: 0, ...p,
      };
      const r = phone.session!.protectRtp(Buffer.from(serializeRtpPacket(packet)));
      if (!r.ok) throw new Error(r.error);
      return r.packet;
    },
    sendRaw: (to, datagram) => socket.send(datagram, to, HOST),
    close: () => socket.close(),
  };
  socket.on('message', (msg) => {
    const s = phone.session;
    if (!s) return;
    if (isRtcp(msg)) {
      const r = s.unprotectRtcp(msg);
      if (!r.ok) return void phone.rejected++;
      const packets = parseRtcpCompound(r.packet);
      if (Array.isArray(packets)) phone.rtcpTypes.push(packets.map((p) => (p.type === 'unknown' ? p.packetType : p.type === 'sr' ? 200 : p.type === 'rr' ? 201 : 202)));
      return;
    }
    const r = s.unprotectRtp(msg);
    if (!r.ok) return void phone.rejected++;
    const p = parseRtpPacket(r.packet);
    if ('payloadType' in p) phone.received.push(p);
  });
  return phone;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function remoteOf(phone: SecurePhone, extra: Partial<RemoteDescription> = {}): RemoteDescription {
  return {
    address: HOST, port: phone.port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000,
    telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv', crypto: phone.key, ...extra,
  };
}

const payload = (seed: number): Uint8Array => Uint8Array.from({ length: 160 }, (_, i) => (i * 7 + seed) & 0xff);

describe("'srtp' endpoints (SDES-SRTP) in real workers", () => {
  let pool: MediaWorkerPool;
  const phones: SecurePhone[] = [];
  const events: MediaEvent[] = [];
  const newPhone = async (): Promise<SecurePhone> => {
    const p = await securePhone();
    phones.push(p);
    return p;
  };

  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: 1, ports: '33000-33199' });
    pool.on((e) => events.push(e));
  });
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    events.length = 0;
  });
  afterAll(async () => {
    await pool.close();
  });

  async function bridge(options = {}) {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const a = await pool.createEndpoint({ localAddress: HOST, kind: 'srtp', rtcpMux: true, options });
    const b = await pool.createEndpoint({ localAddress: HOST, kind: 'srtp', rtcpMux: true, near: a.endpoint, options });
    phoneA.pairWith(a);
    phoneB.pairWith(b);
    await pool.setRemote(a.endpoint, remoteOf(phoneA));
    await pool.setRemote(b.endpoint, remoteOf(phoneB));
    await pool.connect(a.endpoint, b.endpoint);
    return { phoneA, phoneB, a, b };
  }

  it('returns a fresh SDES key per endpoint, in the form a=crypto writes', async () => {
    const a = await pool.createEndpoint({ localAddress: HOST, kind: 'srtp' });
    const b = await pool.createEndpoint({ localAddress: HOST, kind: 'srtp', srtpSuite: 'AES_CM_128_HMAC_SHA1_32' });
    expect(a.crypto).toMatchObject({ suite: SUITE });
    expect(a.crypto!.keyParams).toMatch(/^inline:[A-Za-z0-9+/]{40}$/);
    expect(b.crypto!.suite).toBe('AES_CM_128_HMAC_SHA1_32');
    expect(b.crypto!.keyParams).not.toBe(a.crypto!.keyParams);
    await expect(pool.createEndpoint({ localAddress: HOST, kind: 'srtp', srtpSuite: 'F8_128_HMAC_SHA1_80' }))
      .rejects.toMatchObject({ code: 'invalid_argument' });
    // A remote key of another suite, or none, fails setRemote rather than the media.
    const phone = await newPhone();
    await expect(pool.setRemote(a.endpoint, remoteOf(phone, { crypto: undefined as never })))
      .rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(pool.setRemote(b.endpoint, remoteOf(phone))).rejects.toMatchObject({ code: 'invalid_argument' });
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('relays SRTP both ways: each phone gets the other\'s audio re-encrypted under its own keys', async () => {
    const { phoneA, phoneB, a, b } = await bridge();
    for (let i = 0; i < 5; i++) {
      phoneA.sendRaw(a.port, phoneA.protect({ sequenceNumber: 100 + i, timestamp: 1000 + i * 160, ssrc: 0xaaaa, payload: payload(i) }));
    }
    await until(() => phoneB.received.length === 5);
    for (let i = 0; i < 5; i++) {
      phoneB.sendRaw(b.port, phoneB.protect({ sequenceNumber: 7000 + i, timestamp: 9000 + i * 160, ssrc: 0xbbbb, payload: payload(50 + i) }));
    }
    await until(() => phoneA.received.length === 5);
    expect(phoneB.rejected).toBe(0);
    expect(phoneA.rejected).toBe(0);
    for (let i = 0; i < 5; i++) {
      expect(Buffer.from(phoneB.received[i]!.payload)).toEqual(Buffer.from(payload(i)));
      expect(Buffer.from(phoneA.received[i]!.payload)).toEqual(Buffer.from(payload(50 + i)));
    }
    // Our own SSRC towards each phone (RFC 3550 7.3), not the other phone's.
    expect(phoneB.received[0]!.ssrc).not.toBe(0xaaaa);
    const stats = await pool.stats(a.endpoint);
    expect(stats.packetsIn).toBe(5);
    expect(stats.packetsOut).toBe(5);
    expect(stats.packetsDropped).toBe(0);
  });

  it('drops tampered, replayed and wrongly keyed packets, counting them, and keeps relaying', async () => {
    const { phoneA, phoneB, a } = await bridge();
    const good = phoneA.protect({ sequenceNumber: 1, timestamp: 160, ssrc: 0xaaaa, payload: payload(1) });
    phoneA.sendRaw(a.port, good);
    await until(() => phoneB.received.length === 1);

    const tampered = phoneA.protect({ sequenceNumber: 2, timestamp: 320, ssrc: 0xaaaa, payload: payload(2) });
    tampered[20]! ^= 0x01;
    phoneA.sendRaw(a.port, tampered);
    phoneA.sendRaw(a.port, good); // replay
    const stranger = await newPhone();
    stranger.pairWith(a); // the right endpoint key, but its own key is not the one signalled
    phoneA.sendRaw(a.port, stranger.protect({ sequenceNumber: 3, timestamp: 480, ssrc: 0xaaaa, payload: payload(3) }));
    await sleep(100);
    expect(phoneB.received).toHaveLength(1);
    const stats = await pool.stats(a.endpoint);
    expect(stats.packetsDropped).toBe(3);
    expect(stats.srtpDrops).toEqual({ noKey: 0, authFailed: 2, replayed: 1, malformed: 0 });

    phoneA.sendRaw(a.port, phoneA.protect({ sequenceNumber: 4, timestamp: 640, ssrc: 0xaaaa, payload: payload(4) }));
    await until(() => phoneB.received.length === 2);
    expect(Buffer.from(phoneB.received[1]!.payload)).toEqual(Buffer.from(payload(4)));
  });

  it('latches only onto a source whose packets authenticate', async () => {
    const phoneA = await newPhone();
    const phoneB = await newPhone();
    const attacker = await newPhone();
    const a = await pool.createEndpoint({ localAddress: HOST, kind: 'srtp', rtcpMux: true });
    const b = await pool.createEndpoint({ localAddress: HOST, kind: 'srtp', rtcpMux: true, near: a.endpoint });
    phoneA.pairWith(a);
    phoneB.pairWith(b);
    attacker.pairWith(a);
    // Phone A signalled a port it does not send from (behind NAT): the first genuine source wins.
    await pool.setRemote(a.endpoint, remoteOf(phoneA, { port: 9 }));
    await pool.setRemote(b.endpoint, remoteOf(phoneB));
    await pool.connect(a.endpoint, b.endpoint);

    attacker.sendRaw(a.port, attacker.protect({ sequenceNumber: 1, timestamp: 160, ssrc: 0xdead, payload: payload(9) }));
    await sleep(100);
    let stats = await pool.stats(a.endpoint);
    expect(stats.latched).toBe(false);
    expect(stats.remotePort).toBe(9);

    phoneA.sendRaw(a.port, phoneA.protect({ sequenceNumber: 1, timestamp: 160, ssrc: 0xaaaa, payload: payload(1) }));
    await until(() => phoneB.received.length === 1);
    stats = await pool.stats(a.endpoint);
    expect(stats).toMatchObject({ latched: true, remotePort: phoneA.port });
    expect(events).toContainEqual({ ev: 'latched', endpoint: a.endpoint, address: HOST, port: phoneA.port, rtcp: false });
    // Phone B's audio now reaches phone A at its real source, and the attacker gets nothing.
    phoneB.sendRaw(b.port, phoneB.protect({ sequenceNumber: 1, timestamp: 160, ssrc: 0xbbbb, payload: payload(5) }));
    await until(() => phoneA.received.length === 1);
    expect(attacker.received).toHaveLength(0);
  });

  it('sends its RTCP reports as SRTCP', async () => {
    const { phoneA, phoneB, a } = await bridge({ rtcpIntervalMs: 100 });
    phoneA.sendRaw(a.port, phoneA.protect({ sequenceNumber: 1, timestamp: 160, ssrc: 0xaaaa, payload: payload(1) }));
    await until(() => phoneA.rtcpTypes.length > 0 && phoneB.rtcpTypes.some((t) => t[0] === 200));
    expect(phoneA.rtcpTypes[0]).toContain(202);
    expect(phoneA.rejected + phoneB.rejected).toBe(0);
  });

  it('keeps the session across a re-INVITE with the same key, and rekeys on a new one', async () => {
    const { phoneA, phoneB, a } = await bridge();
    phoneA.sendRaw(a.port, phoneA.protect({ sequenceNumber: 10, timestamp: 160, ssrc: 0xaaaa, payload: payload(1) }));
    await until(() => phoneB.received.length === 1);
    await pool.setRemote(a.endpoint, remoteOf(phoneA, { direction: 'sendrecv' }));
    // The replay window survived: the same packet again is still refused.
    const p11 = phoneA.protect({ sequenceNumber: 11, timestamp: 320, ssrc: 0xaaaa, payload: payload(2) });
    phoneA.sendRaw(a.port, p11);
    phoneA.sendRaw(a.port, p11);
    await until(() => phoneB.received.length === 2);
    await sleep(50);
    expect(phoneB.received).toHaveLength(2);
    expect((await pool.stats(a.endpoint)).packetsDropped).toBe(1);

    const oldKey = phoneA.protect({ sequenceNumber: 12, timestamp: 480, ssrc: 0xaaaa, payload: payload(3) });
    phoneA.rekey(a);
    await pool.setRemote(a.endpoint, remoteOf(phoneA));
    phoneA.sendRaw(a.port, oldKey);
    phoneA.sendRaw(a.port, phoneA.protect({ sequenceNumber: 13, timestamp: 640, ssrc: 0xaaaa, payload: payload(4) }));
    await until(() => phoneB.received.length === 3);
    expect(Buffer.from(phoneB.received[2]!.payload)).toEqual(Buffer.from(payload(4)));
    expect((await pool.stats(a.endpoint)).packetsDropped).toBe(2);
  });
});
