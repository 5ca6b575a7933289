// WebRtcTransport on its own, on a manual clock: checks answered before the far end's
// credentials are known, DTLS that beats setRemote, RFC 7675 consent expiry, close().
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { cryptoRandom, ManualClock, seededRandom, systemClock } from '../../../core/index.js';
import type { RtpTransportReceiver } from '../../endpoint/index.js';
import { classifyPacket } from '../../rtcp/index.js';
import { SrtpSession, srtpProfileFromDtlsId } from '../../srtp/index.js';
import { DtlsTransport, generateDtlsCertificate } from '../dtls/index.js';
import {
  STUN_ATTR, iceRoleAttribute, priorityAttribute, serializeStunMessage, textAttribute, useCandidateAttribute,
} from '../stun/index.js';
import { WebRtcTransport, type WebRtcTransportEvent } from './webrtc-transport.js';

const HOST = '127.0.0.1';
const BROWSER_ICE = { ufrag: 'brws', pwd: 'browserpasswordbrowserpw' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function check(t: WebRtcTransport, id: number): Buffer {
  const transactionId = Buffer.alloc(12);
  transactionId.writeUInt32BE(id, 8);
  return serializeStunMessage({
    method: 1, class: 'request', transactionId,
    attributes: [
      textAttribute(STUN_ATTR.username, `${t.localIce.ufrag}:${BROWSER_ICE.ufrag}`),
      priorityAttribute(1), iceRoleAttribute('controlling', 1n), useCandidateAttribute(),
    ],
  }, { integrityKey: Buffer.from(t.localIce.pwd), fingerprint: true });
}

describe('WebRtcTransport', () => {
  const open: { close(): void }[] = [];
  afterEach(() => {
    for (const o of open.splice(0)) o.close();
  });

  it('takes DTLS that arrives before setRemote, keys SRTP, and reports consent expiry once', async () => {
    const clock = new ManualClock();
    const events: WebRtcTransportEvent[] = [];
    const certificate = generateDtlsCertificate(clock, seededRandom(5));
    const t = await WebRtcTransport.open({
      localAddress: HOST, port: 0, clock, random: seededRandom(6), certificate, emit: (e) => events.push(e), consentCheckMs: 1000,
    });
    open.push(t);
    const rtp: Buffer[] = [];
    const receiver: RtpTransportReceiver = { onRtp: (p) => rtp.push(p), onRtcp: () => undefined, onLatched: () => undefined };
    t.receiver = receiver;

    const socket: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
    open.push(socket);
    const browserCert = generateDtlsCertificate(systemClock, cryptoRandom, 'browser');
    let srtp: SrtpSession | undefined;
    const dtls = new DtlsTransport({
      role: 'client', certificate: browserCert, clock: systemClock, random: cryptoRandom,
      remoteFingerprint: { algorithm: 'sha-256', value: t.fingerprint },
      send: (d) => socket.send(d, t.port, HOST),
      onConnected: (c) => {
        srtp = new SrtpSession({
          profile: srtpProfileFromDtlsId(c.srtp.profile)!,
          local: { masterKey: c.srtp.localMasterKey, masterSalt: c.srtp.localMasterSalt },
          remote: { masterKey: c.srtp.remoteMasterKey, masterSalt: c.srtp.remoteMasterSalt },
        });
      },
    });
    open.push(dtls);
    let stunAnswers = 0;
    socket.on('message', (msg) => {
      const kind = classifyPacket(msg);
      if (kind === 'stun') stunAnswers++;
      else if (kind === 'dtls') dtls.handleDatagram(msg);
    });

    // The far end's credentials are not known yet: its check is still answered and nominates.
    socket.send(check(t, 1), t.port, HOST);
    await until(() => stunAnswers === 1 && events.length === 1);
    expect(events[0]).toEqual({ ev: 'ice', state: 'selected', address: HOST, port: socket.address().port });
    expect(t.latched).toBe(true);

    dtls.start();
    await sleep(50);
    expect(t.dtlsState).toBe('new');
    t.setRemote({
      address: '0.0.0.0', port: 9, rtcpPort: 9, rtcpMux: true, ice: BROWSER_ICE,
      dtls: { fingerprint: { algorithm: 'sha-256', value: browserCert.fingerprint.toLowerCase() }, localSetup: 'passive' },
    }, clock.monotonic());
    await until(() => srtp !== undefined && t.secure);
    expect(events[1]).toEqual({ ev: 'dtls', state: 'connected', role: 'server', srtpProfile: 'AES_CM_128_HMAC_SHA1_80' });

    const plain = Buffer.from('800000010000000000001234' + 'ab'.repeat(20), 'hex');
    const r = srtp!.protectRtp(plain);
    if (!r.ok) throw new Error(r.error);
    socket.send(r.packet, t.port, HOST);
    await until(() => rtp.length === 1);
    expect(rtp[0]).toEqual(plain);

    // Setting the same remote again keeps the association.
    t.setRemote({
      address: '0.0.0.0', port: 9, rtcpPort: 9, rtcpMux: true, ice: BROWSER_ICE,
      dtls: { fingerprint: { algorithm: 'sha-256', value: browserCert.fingerprint }, localSetup: 'passive' },
    }, clock.monotonic());
    expect(t.secure).toBe(true);

    // No consent checks for 30 s: one 'disconnected', not one per check period.
    clock.advance(31_000);
    clock.advance(5_000);
    expect(events.slice(2)).toEqual([{ ev: 'ice', state: 'disconnected', address: HOST, port: socket.address().port }]);

    t.close();
    t.close();
    expect(clock.pending).toBe(0);
    // Closing the association is not reported as a DTLS failure.
    expect(events.filter((e) => e.ev === 'dtls')).toHaveLength(1);
  });

  it('refuses a remote without ICE and DTLS parameters, or with an unknown fingerprint hash', async () => {
    const clock = new ManualClock();
    const t = await WebRtcTransport.open({
      localAddress: HOST, port: 0, clock, random: seededRandom(7), certificate: generateDtlsCertificate(clock, seededRandom(8)),
      emit: () => undefined,
    });
    open.push(t);
    const base = { address: HOST, port: 9, rtcpPort: 9, rtcpMux: true };
    expect(() => t.setRemote(base, 0)).toThrow(RangeError);
    expect(() => t.setRemote({
      ...base, ice: BROWSER_ICE, dtls: { fingerprint: { algorithm: 'md5', value: 'AA' }, localSetup: 'active' },
    }, 0)).toThrow(/not supported/);
    // Nothing is sent before DTLS-SRTP is up.
    t.sendRtp(Buffer.alloc(20, 0x80));
    expect(t.dropped).toBe(0);
  });
});
