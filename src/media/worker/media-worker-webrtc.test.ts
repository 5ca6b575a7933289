// A 'webrtc' endpoint in a real worker against a "browser" made of our own pieces: a dgram
// socket sending ICE checks (src/media/webrtc/stun), running DtlsTransport as client or server
// and SrtpSession, with the endpoint relayed to a plain 'rtp' endpoint and a plain dgram phone.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cryptoRandom, systemClock } from '../../core/index.js';
import { decodeMuLaw, encodeMuLaw, fitTone, OpusCodec, sineWave } from '../codec/index.js';
import { classifyPacket, serializeRtcpCompound } from '../rtcp/index.js';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../rtp/index.js';
import { SrtpSession, srtpProfileFromDtlsId } from '../srtp/index.js';
import { DtlsTransport, generateDtlsCertificate, type DtlsRole } from '../webrtc/dtls/index.js';
import {
  STUN_ATTR, iceRoleAttribute, isStunParseError, parseStunMessage, priorityAttribute, readXorMappedAddress,
  serializeStunMessage, textAttribute, useCandidateAttribute, verifyMessageIntegrity, type StunMessage,
} from '../webrtc/stun/index.js';
import { MediaWorkerPool } from './media-worker-pool.js';
import type { EndpointBinding, MediaEvent, RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';
const BROWSER_ICE = { ufrag: 'brws', pwd: 'browserpasswordbrowserpw' };
const browserCert = generateDtlsCertificate(systemClock, cryptoRandom, 'browser');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 4000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function rtp(p: Partial<RtpPacket> & { payload: Uint8Array }): Buffer {
  return Buffer.from(serializeRtpPacket({
    marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234, csrcs: [], paddingLength: 0, ...p,
  }));
}

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  return socket;
}

interface Browser {
  socket: Socket;
  port: number;
  stunResponses: StunMessage[];
  dtls: DtlsTransport | undefined;
  srtp: SrtpSession | undefined;
  received: RtpPacket[];
  rejected: number;
  rtcp: number;
  /** A Binding request as Chromium sends it (controlling, USE-CANDIDATE when nominating). */
  check(endpoint: EndpointBinding, nominate: boolean, pwd?: string): void;
  /** Starts DTLS in `role` towards the endpoint, checking its fingerprint. */
  startDtls(endpoint: EndpointBinding, role: DtlsRole, fingerprint?: string): void;
  sendSrtp(to: number, p: Partial<RtpPacket> & { payload: Uint8Array }, tamper?: boolean): void;
  close(): void;
}

async function browser(): Promise<Browser> {
  const socket = await bound();
  let tid = 0;
  const b: Browser = {
    socket,
    port: socket.address().port,
    stunResponses: [],
    dtls: undefined,
    srtp: undefined,
    received: [],
    rejected: 0,
    rtcp: 0,
    check(endpoint, nominate, pwd = endpoint.ice!.pwd) {
      const transactionId = Buffer.alloc(12);
      transactionId.writeUInt32BE(++tid, 8);
      const attributes = [
        textAttribute(STUN_ATTR.username, `${endpoint.ice!.ufrag}:${BROWSER_ICE.ufrag}`),
        priorityAttribute(1853824767),
        iceRoleAttribute('controlling', 0x1234n),
        ...(nominate ? [useCandidateAttribute()] : []),
      ];
      const req = serializeStunMessage({ method: 1, class: 'request', transactionId, attributes },
        { integrityKey: Buffer.from(pwd), fingerprint: true });
      socket.send(req, endpoint.port, HOST);
    },
    startDtls(endpoint, role, fingerprint = endpoint.dtls!.fingerprint.value) {
      b.dtls = new DtlsTransport({
        role,
        certificate: browserCert,
        clock: systemClock,
        random: cryptoRandom,
        remoteFingerprint: { algorithm: 'sha-256', value: fingerprint },
        send: (d) => socket.send(d, endpoint.port, HOST),
        onConnected: (c) => {
          b.srtp = new SrtpSession({
            profile: srtpProfileFromDtlsId(c.srtp.profile)!,
            local: { masterKey: c.srtp.localMasterKey, masterSalt: c.srtp.localMasterSalt },
            remote: { masterKey: c.srtp.remoteMasterKey, masterSalt: c.srtp.remoteMasterSalt },
          });
        },
      });
      b.dtls.start();
    },
    sendSrtp(to, p, tamper = false) {
      const r = b.srtp!.protectRtp(rtp(p));
      if (!r.ok) throw new Error(r.error);
      if (tamper) r.packet[r.packet.length - 1]! ^= 0xff;
      socket.send(r.packet, to, HOST);
    },
    close() {
      b.dtls?.close();
      socket.close();
    },
  };
  socket.on('message', (msg) => {
    switch (classifyPacket(msg)) {
      case 'stun': {
        const m = parseStunMessage(msg);
        if (!isStunParseError(m)) b.stunResponses.push(m);
        return;
      }
      case 'dtls':
        b.dtls?.handleDatagram(msg);
        return;
      case 'rtcp': {
        const r = b.srtp?.unprotectRtcp(msg);
        if (r?.ok) b.rtcp++;
        else b.rejected++;
        return;
      }
      case 'rtp': {
        const r = b.srtp?.unprotectRtp(msg);
        if (!r?.ok) return void b.rejected++;
        const p = parseRtpPacket(r.packet);
        if ('payloadType' in p) b.received.push(p);
        return;
      }
      default:
    }
  });
  return b;
}

interface PlainPhone {
  socket: Socket;
  port: number;
  received: RtpPacket[];
  close(): void;
}

async function plainPhone(): Promise<PlainPhone> {
  const socket = await bound();
  const phone: PlainPhone = { socket, port: socket.address().port, received: [], close: () => socket.close() };
  socket.on('message', (msg) => {
    if (classifyPacket(msg) !== 'rtp') return;
    const p = parseRtpPacket(msg);
    if ('payloadType' in p) phone.received.push(p);
  });
  return phone;
}

const payload = (seed: number): Uint8Array => Uint8Array.from({ length: 160 }, (_, i) => (i * 3 + seed) & 0xff);

function pcmu(port: number, extra: Partial<RemoteDescription> = {}): RemoteDescription {
  return {
    address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000, ptime: 20, direction: 'sendrecv', ...extra,
  };
}

describe("'webrtc' endpoint (ICE-lite, DTLS-SRTP) in a real worker", () => {
  let pool: MediaWorkerPool;
  const closers: (() => unknown)[] = [];
  const events: MediaEvent[] = [];

  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: 1, ports: '33200-33399' });
    pool.on((e) => events.push(e));
  });
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    events.length = 0;
  });
  afterAll(async () => {
    await pool.close();
  });

  /** A browser, a webrtc endpoint bridged to an rtp endpoint, and the plain phone behind it. */
  async function setup(localSetup: 'active' | 'passive', fingerprint = browserCert.fingerprint, options = {}, codec: Partial<RemoteDescription> = {}) {
    const b = await browser();
    const phone = await plainPhone();
    closers.push(() => b.close(), () => phone.close());
    const w = await pool.createEndpoint({ localAddress: HOST, kind: 'webrtc', options });
    const p = await pool.createEndpoint({ localAddress: HOST, kind: 'rtp', rtcpMux: true, near: w.endpoint });
    closers.push(() => pool.destroy(w.endpoint), () => pool.destroy(p.endpoint));
    await pool.setRemote(w.endpoint, pcmu(9, {
      address: '0.0.0.0', ice: BROWSER_ICE, dtls: { fingerprint: { algorithm: 'sha-256', value: fingerprint }, localSetup }, ...codec,
    }));
    await pool.setRemote(p.endpoint, pcmu(phone.port));
    await pool.connect(w.endpoint, p.endpoint);
    return { b, phone, w, p };
  }

  it('returns what a=ice-ufrag, a=ice-pwd, a=candidate, a=fingerprint and a=setup need', async () => {
    const w = await pool.createEndpoint({ localAddress: HOST, kind: 'webrtc' });
    closers.push(() => pool.destroy(w.endpoint));
    expect(w.rtcpPort).toBeUndefined();
    expect(w.ice!.ufrag).toMatch(/^[A-Za-z0-9+/]{4,256}$/);
    expect(w.ice!.pwd).toMatch(/^[A-Za-z0-9+/]{22,256}$/);
    expect(w.ice!.lite).toBe(true);
    expect(w.candidate).toMatchObject({ component: 1, transport: 'udp', ip: HOST, port: w.port, type: 'host' });
    expect(w.candidate!.priority).toBeGreaterThan(0);
    expect(w.dtls!.fingerprint.algorithm).toBe('sha-256');
    expect(w.dtls!.fingerprint.value).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(w.dtls!.setup).toBe('passive');
    // setRemote without ICE/DTLS parameters is refused.
    await expect(pool.setRemote(w.endpoint, pcmu(9))).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  for (const localSetup of ['passive', 'active'] as const) {
    it(`carries audio both ways once DTLS-SRTP is up (we are ${localSetup === 'passive' ? 'DTLS server' : 'DTLS client'})`, async () => {
      const { b, phone, w, p } = await setup(localSetup);
      // Before ICE and DTLS nothing reaches the browser.
      phone.socket.send(rtp({ sequenceNumber: 1, timestamp: 160, payload: payload(0) }), p.port, HOST);

      b.check(w, false);
      await until(() => b.stunResponses.length === 1);
      const res = b.stunResponses[0]!;
      expect(res.class).toBe('success');
      expect(verifyMessageIntegrity(res, Buffer.from(w.ice!.pwd))).toBe(true);
      expect(readXorMappedAddress(res)).toEqual({ address: HOST, port: b.port });
      // Our setup 'passive' makes the browser the DTLS client, 'active' the server, listening
      // before it nominates: we start the handshake as soon as ICE selected its address.
      if (localSetup === 'active') b.startDtls(w, 'server');
      b.check(w, true);
      await until(() => events.some((e) => e.ev === 'ice'));
      expect(events).toContainEqual({ ev: 'ice', endpoint: w.endpoint, state: 'selected', address: HOST, port: b.port });
      if (localSetup === 'passive') b.startDtls(w, 'client');
      await until(() => b.srtp !== undefined && events.some((e) => e.ev === 'dtls'));
      expect(events).toContainEqual({
        ev: 'dtls', endpoint: w.endpoint, state: 'connected', role: localSetup === 'passive' ? 'server' : 'client',
        srtpProfile: 'AES_CM_128_HMAC_SHA1_80',
      });
      expect(b.received).toHaveLength(0);

      // Plain phone -> rtp endpoint -> relay -> webrtc endpoint -> SRTP -> browser.
      for (let i = 0; i < 5; i++) {
        phone.socket.send(rtp({ sequenceNumber: 10 + i, timestamp: 1600 + i * 160, ssrc: 0xaaaa, payload: payload(i) }), p.port, HOST);
      }
      await until(() => b.received.length === 5);
      for (let i = 0; i < 5; i++) expect(Buffer.from(b.received[i]!.payload)).toEqual(Buffer.from(payload(i)));

      // Browser -> SRTP -> webrtc endpoint -> relay -> plain RTP -> phone.
      for (let i = 0; i < 5; i++) b.sendSrtp(w.port, { sequenceNumber: 500 + i, timestamp: 48000 + i * 160, ssrc: 0xbbbb, payload: payload(100 + i) });
      await until(() => phone.received.length === 5);
      for (let i = 0; i < 5; i++) expect(Buffer.from(phone.received[i]!.payload)).toEqual(Buffer.from(payload(100 + i)));
      expect(b.rejected).toBe(0);

      // A tampered packet is dropped and counted; the stream goes on.
      b.sendSrtp(w.port, { sequenceNumber: 505, timestamp: 48800, ssrc: 0xbbbb, payload: payload(7) }, true);
      b.sendSrtp(w.port, { sequenceNumber: 506, timestamp: 48960, ssrc: 0xbbbb, payload: payload(8) });
      await until(() => phone.received.length === 6);
      expect(Buffer.from(phone.received[5]!.payload)).toEqual(Buffer.from(payload(8)));
      const stats = await pool.stats(w.endpoint);
      expect(stats).toMatchObject({ packetsIn: 6, remoteAddress: HOST, remotePort: b.port, latched: true });
      expect(stats.packetsDropped).toBe(1);
      expect(stats.srtpDrops).toMatchObject({ authFailed: 1, replayed: 0 });
    });
  }

  it('transcodes Chromium\'s opus/48000/2 to and from the phone\'s PCMU over SRTP', async () => {
    const { b, phone, w, p } = await setup('passive', browserCert.fingerprint, {}, { codec: 'opus', payloadType: 111, clockRate: 48000 });
    b.check(w, true);
    b.startDtls(w, 'client');
    await until(() => b.srtp !== undefined && events.some((e) => e.ev === 'dtls'));

    const frames = 25;
    const tone = sineWave(1000, 8000, 160 * frames, 8000);
    for (let i = 0; i < frames; i++) {
      const mu = encodeMuLaw(tone.subarray(i * 160, (i + 1) * 160));
      phone.socket.send(rtp({ sequenceNumber: i, timestamp: i * 160, ssrc: 0xaaaa, payload: mu }), p.port, HOST);
      await sleep(5);
    }
    await until(() => b.received.length >= frames - 2);
    const decoder = new OpusCodec();
    const heard = b.received.flatMap((pkt) => Array.from(decoder.decode(pkt.payload)));
    decoder.close();
    expect(b.received.every((pkt) => pkt.payloadType === 111)).toBe(true);
    expect(fitTone(heard, 48000, 1000, heard.length / 2).snrDb).toBeGreaterThan(15);

    const encoder = new OpusCodec();
    const voice = sineWave(440, 48000, 960 * frames, 8000);
    for (let i = 0; i < frames; i++) {
      const opus = encoder.encode(voice.subarray(i * 960, (i + 1) * 960));
      b.sendSrtp(w.port, { sequenceNumber: 100 + i, timestamp: i * 960, ssrc: 0xbbbb, payloadType: 111, payload: opus });
      await sleep(5);
    }
    encoder.close();
    await until(() => phone.received.length >= frames - 2);
    expect(phone.received.every((pkt) => pkt.payloadType === 0)).toBe(true);
    const pcm = phone.received.flatMap((pkt) => Array.from(decodeMuLaw(pkt.payload)));
    expect(fitTone(pcm, 8000, 440, pcm.length / 2).snrDb).toBeGreaterThan(15);
  });

  it('accepts the browser\'s RTCP feedback (PSFB/RTPFB) and sends its reports as SRTCP', async () => {
    const { b, phone, w, p } = await setup('passive', browserCert.fingerprint, { rtcpIntervalMs: 100 });
    b.check(w, true);
    b.startDtls(w, 'client');
    await until(() => b.srtp !== undefined && events.some((e) => e.ev === 'dtls'));
    phone.socket.send(rtp({ sequenceNumber: 1, timestamp: 160, payload: payload(1) }), p.port, HOST);
    // RR + PLI (PT 206, FMT 1) + generic NACK (PT 205, FMT 1), as Chromium sends them.
    const rr = serializeRtcpCompound([{ type: 'rr', ssrc: 0xbbbb, reports: [] }]);
    const fb = (pt: number, fmt: number, fci: number[]): Buffer => {
      const x = Buffer.alloc(12 + fci.length);
      x[0] = 0x80 | fmt;
      x[1] = pt;
      x.writeUInt16BE((x.length >> 2) - 1, 2);
      x.writeUInt32BE(0xbbbb, 4);
      x.writeUInt32BE(0x1111, 8);
      Buffer.from(fci).copy(x, 12);
      return x;
    };
    const compound = Buffer.concat([rr, fb(206, 1, []), fb(205, 1, [0, 1, 0, 0])]);
    const r = b.srtp!.protectRtcp(compound);
    if (!r.ok) throw new Error(r.error);
    b.socket.send(r.packet, w.port, HOST);
    await until(() => b.rtcp > 0);
    await sleep(300);
    const stats = await pool.stats(w.endpoint);
    expect(stats.rtcpIn).toBe(1);
    expect(stats.packetsDropped).toBe(0);
    expect(b.rejected).toBe(0);
  });

  it('reports a DTLS failure when the browser\'s certificate does not match its fingerprint', async () => {
    const other = generateDtlsCertificate(systemClock, cryptoRandom, 'other');
    const { b, w, phone, p } = await setup('passive', other.fingerprint);
    b.check(w, true);
    b.startDtls(w, 'client');
    await until(() => events.some((e) => e.ev === 'dtls'));
    const dtls = events.find((e) => e.ev === 'dtls');
    expect(dtls).toMatchObject({ endpoint: w.endpoint, state: 'failed', role: 'server' });
    expect((dtls as { reason: string }).reason).toMatch(/fingerprint/);
    phone.socket.send(rtp({ sequenceNumber: 1, timestamp: 160, payload: payload(1) }), p.port, HOST);
    await sleep(100);
    expect(b.received).toHaveLength(0);
  });

  it('ignores checks with a wrong password and DTLS or SRTP from addresses that passed no check', async () => {
    const { b, w } = await setup('passive');
    b.check(w, true, 'wrongpasswordwrongpasswd');
    await until(() => b.stunResponses.length === 1);
    expect(b.stunResponses[0]!.class).toBe('error');
    b.startDtls(w, 'client');
    await sleep(150);
    expect(events.filter((e) => e.ev === 'ice' || e.ev === 'dtls')).toHaveLength(0);
    expect(b.srtp).toBeUndefined();
    expect((await pool.stats(w.endpoint)).packetsDropped).toBeGreaterThan(0);
    // The right password then lets the same browser in; its DTLS retransmission completes.
    b.check(w, true);
    await until(() => b.srtp !== undefined, 5000);
  });
});
