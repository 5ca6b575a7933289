import { describe, expect, it } from 'vitest';
import { SrtpKeyError, SrtpSession, type SrtpMasterKey } from './srtp-session.js';
import { SRTP_PROFILES, type SrtpProfileName } from './srtp-profile.js';
import type { SrtpResult } from './srtp-result.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// libsrtp's srtp_validate() reference packets (test/srtp_driver.c), SSRC 0xcafebabe.
const CM_KEY: SrtpMasterKey = {
  masterKey: hex('e1f97a0d3e018be0d64fa32c06de4139'),
  masterSalt: hex('0ec675ad498afeebb6960b3aabe6'),
};
const RTP_PLAIN = hex('800f1234decafbadcafebabe' + 'ab'.repeat(16));
const RTCP_PLAIN = hex('81c8000bcafebabe' + 'ab'.repeat(16));
const CM_SRTP = hex('800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb');
const CM_SRTCP = hex('81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798');
const GCM_KEY: SrtpMasterKey = {
  masterKey: hex('000102030405060708090a0b0c0d0e0f'),
  masterSalt: hex('a0a1a2a3a4a5a6a7a8a9aaab'),
};
const GCM_SRTP = hex('800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392');
const GCM_SRTCP = hex('81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001');

const packet = (r: SrtpResult): Buffer => {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.packet;
};

function rtp(seq: number, ssrc = 0x11223344, payload = Buffer.from('0123456789abcdef0123')): Buffer {
  const b = Buffer.alloc(12 + payload.length);
  b[0] = 0x80;
  b[1] = 0;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 160, 4);
  b.writeUInt32BE(ssrc, 8);
  payload.copy(b, 12);
  return b;
}

function pair(profile: SrtpProfileName): { alice: SrtpSession; bob: SrtpSession } {
  const p = SRTP_PROFILES.find((x) => x.name === profile)!;
  const a: SrtpMasterKey = { masterKey: Buffer.alloc(p.keyLength, 1), masterSalt: Buffer.alloc(p.saltLength, 2) };
  const b: SrtpMasterKey = { masterKey: Buffer.alloc(p.keyLength, 3), masterSalt: Buffer.alloc(p.saltLength, 4) };
  return {
    alice: new SrtpSession({ profile, local: a, remote: b }),
    bob: new SrtpSession({ profile, local: b, remote: a }),
  };
}

describe('SrtpSession against libsrtp reference packets', () => {
  it('AES_CM_128_HMAC_SHA1_80: protects RTP and RTCP byte for byte, and unprotects them', () => {
    const tx = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_80', local: CM_KEY, remote: CM_KEY });
    expect(packet(tx.protectRtp(RTP_PLAIN)).toString('hex')).toBe(CM_SRTP.toString('hex'));
    expect(packet(tx.protectRtcp(RTCP_PLAIN)).toString('hex')).toBe(CM_SRTCP.toString('hex'));
    const rx = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_80', local: CM_KEY, remote: CM_KEY });
    expect(packet(rx.unprotectRtp(CM_SRTP))).toEqual(RTP_PLAIN);
    expect(packet(rx.unprotectRtcp(CM_SRTCP))).toEqual(RTCP_PLAIN);
  });

  it('AEAD_AES_128_GCM (RFC 7714): protects RTP and RTCP byte for byte, and unprotects them', () => {
    const tx = new SrtpSession({ profile: 'AEAD_AES_128_GCM', local: GCM_KEY, remote: GCM_KEY });
    expect(packet(tx.protectRtp(RTP_PLAIN)).toString('hex')).toBe(GCM_SRTP.toString('hex'));
    expect(packet(tx.protectRtcp(RTCP_PLAIN)).toString('hex')).toBe(GCM_SRTCP.toString('hex'));
    const rx = new SrtpSession({ profile: 'AEAD_AES_128_GCM', local: GCM_KEY, remote: GCM_KEY });
    expect(packet(rx.unprotectRtp(GCM_SRTP))).toEqual(RTP_PLAIN);
    expect(packet(rx.unprotectRtcp(GCM_SRTCP))).toEqual(RTCP_PLAIN);
  });
});

describe.each(SRTP_PROFILES.map((p) => p.name))('SrtpSession %s', (profile) => {
  it('round-trips RTP and RTCP and the tag has the profile length', () => {
    const { alice, bob } = pair(profile);
    const p = SRTP_PROFILES.find((x) => x.name === profile)!;
    const plain = rtp(1000);
    const sealed = packet(alice.protectRtp(plain));
    expect(sealed).toHaveLength(plain.length + p.rtpTagLength);
    expect(sealed.subarray(12, 32).equals(plain.subarray(12))).toBe(false);
    expect(packet(bob.unprotectRtp(sealed))).toEqual(plain);
    const rtcp = hex('80c90001' + '11223344');
    const sealedRtcp = packet(bob.protectRtcp(rtcp));
    expect(sealedRtcp).toHaveLength(rtcp.length + 4 + p.rtcpTagLength);
    expect(packet(alice.unprotectRtcp(sealedRtcp))).toEqual(rtcp);
  });

  it('rejects a tampered packet, a wrong key and a replay, typed, without throwing', () => {
    const { alice, bob } = pair(profile);
    const sealed = packet(alice.protectRtp(rtp(5)));
    const tampered = Buffer.from(sealed);
    tampered[14] = (tampered[14] ?? 0) ^ 1;
    expect(bob.unprotectRtp(tampered)).toEqual({ ok: false, error: 'auth-failed' });
    const headerTampered = Buffer.from(sealed);
    headerTampered[1] = 8; // payload type is authenticated too
    expect(bob.unprotectRtp(headerTampered)).toEqual({ ok: false, error: 'auth-failed' });
    expect(alice.unprotectRtp(sealed).ok).toBe(false); // alice's receive key is bob's
    expect(bob.unprotectRtp(sealed).ok).toBe(true);
    expect(bob.unprotectRtp(sealed)).toEqual({ ok: false, error: 'replayed' });

    const sealedRtcp = packet(alice.protectRtcp(hex('80c8000611223344' + '00'.repeat(20))));
    expect(bob.unprotectRtcp(sealedRtcp).ok).toBe(true);
    expect(bob.unprotectRtcp(sealedRtcp)).toEqual({ ok: false, error: 'replayed' });
    const badRtcp = packet(alice.protectRtcp(hex('80c8000611223344' + '00'.repeat(20))));
    badRtcp[9] = (badRtcp[9] ?? 0) ^ 0x80;
    expect(bob.unprotectRtcp(badRtcp)).toEqual({ ok: false, error: 'auth-failed' });
  });

  it('keeps the ROC across 65535 -> 0 on both sides', () => {
    const { alice, bob } = pair(profile);
    const ssrc = 0x11223344;
    for (const seq of [65533, 65534, 65535, 0, 1]) {
      expect(packet(bob.unprotectRtp(packet(alice.protectRtp(rtp(seq, ssrc)))))).toEqual(rtp(seq, ssrc));
    }
    expect(alice.localRolloverCounter(ssrc)).toBe(1);
    expect(bob.remoteRolloverCounter(ssrc)).toBe(1);
  });

  it('decrypts a packet from before the wrap that arrives after it, with ROC 0', () => {
    const { alice, bob } = pair(profile);
    const sealed = [65534, 65535, 0, 1].map((seq) => packet(alice.protectRtp(rtp(seq))));
    for (const i of [0, 2, 3, 1]) expect(packet(bob.unprotectRtp(sealed[i]!))).toEqual(rtp([65534, 65535, 0, 1][i]!));
    expect(bob.remoteRolloverCounter(0x11223344)).toBe(1);
    expect(bob.unprotectRtp(sealed[1]!)).toEqual({ ok: false, error: 'replayed' });
  });

  it('drops packets older than the 64-packet window', () => {
    const { alice, bob } = pair(profile);
    const old = packet(alice.protectRtp(rtp(100)));
    for (let seq = 101; seq <= 170; seq++) expect(bob.unprotectRtp(packet(alice.protectRtp(rtp(seq)))).ok).toBe(true);
    expect(bob.unprotectRtp(old)).toEqual({ ok: false, error: 'too-old' });
  });

  it('refuses short and non-RTP input with typed results', () => {
    const { alice, bob } = pair(profile);
    expect(bob.unprotectRtp(Buffer.alloc(5))).toEqual({ ok: false, error: 'too-short' });
    expect(bob.unprotectRtp(Buffer.alloc(20))).toEqual({ ok: false, error: 'malformed' });
    expect(bob.unprotectRtp(rtp(1).subarray(0, 13))).toEqual({ ok: false, error: 'too-short' });
    expect(bob.unprotectRtcp(Buffer.alloc(10))).toEqual({ ok: false, error: 'too-short' });
    expect(alice.protectRtp(Buffer.alloc(3))).toEqual({ ok: false, error: 'malformed' });
    expect(alice.protectRtcp(Buffer.alloc(3))).toEqual({ ok: false, error: 'too-short' });
  });
});
