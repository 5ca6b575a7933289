import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha1 } from './hmac-sha1.js';
import { deriveSrtpKeys } from './key-derivation.js';
import { SRTP_PROFILES, srtpProfile } from './srtp-profile.js';
import { SrtpSession } from './srtp-session.js';

const KEY = { masterKey: Buffer.alloc(16, 5), masterSalt: Buffer.alloc(14, 6) };

describe('SRTP robustness', () => {
  it('accepts an authenticated SRTCP packet with E=0 (not encrypted) and returns it unchanged', () => {
    const keys = deriveSrtpKeys(srtpProfile('AES_CM_128_HMAC_SHA1_80')!, KEY.masterKey, KEY.masterSalt);
    const rtcp = Buffer.from('81c90007deadbeef' + '11'.repeat(24), 'hex');
    const trailer = Buffer.from('00000005', 'hex'); // E=0, index 5
    const authed = Buffer.concat([rtcp, trailer]);
    const tag = new HmacSha1(keys.rtcp.authKey).digest(authed).subarray(0, 10);
    const rx = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_80', local: KEY, remote: KEY });
    expect(rx.unprotectRtcp(Buffer.concat([authed, tag]))).toEqual({ ok: true, packet: rtcp });
    const flipped = Buffer.concat([authed, tag]);
    flipped[12] = flipped[12]! ^ 1;
    const fresh = new SrtpSession({ profile: 'AES_CM_128_HMAC_SHA1_80', local: KEY, remote: KEY });
    expect(fresh.unprotectRtcp(flipped)).toEqual({ ok: false, error: 'auth-failed' });
  });

  it('never throws on arbitrary bytes, for every profile (fuzz)', () => {
    for (const p of SRTP_PROFILES) {
      const k = { masterKey: Buffer.alloc(16, 1), masterSalt: Buffer.alloc(p.saltLength, 2) };
      const s = new SrtpSession({ profile: p, local: k, remote: k });
      fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, rtpLike) => {
        const b = Buffer.from(bytes);
        if (rtpLike && b.length > 0) b[0] = 0x80 | (b[0]! & 0x1f);
        for (const r of [s.unprotectRtp(b), s.unprotectRtcp(b), s.protectRtp(b), s.protectRtcp(b)]) {
          expect(typeof r.ok).toBe('boolean');
        }
        expect(s.unprotectRtp(b).ok).toBe(false); // random bytes never authenticate
      }), { numRuns: 300 });
    }
  });

  it('refuses keys of the wrong size when the session is built', () => {
    expect(() => new SrtpSession({ profile: 'AEAD_AES_128_GCM', local: KEY, remote: KEY })).toThrow(/salt/);
  });
});
