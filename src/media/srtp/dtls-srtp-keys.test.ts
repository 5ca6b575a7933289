import { describe, expect, it } from 'vitest';
import { dtlsSrtpKeyingMaterialLength, srtpKeysFromDtlsExport } from './dtls-srtp-keys.js';
import { srtpProfile } from './srtp-profile.js';
import { SrtpSession } from './srtp-session.js';

describe('srtpKeysFromDtlsExport (RFC 5764 4.2)', () => {
  const material = Buffer.from(Array.from({ length: 60 }, (_, i) => i));

  it('splits client key | server key | client salt | server salt by role', () => {
    const client = srtpKeysFromDtlsExport(material, 'AES_CM_128_HMAC_SHA1_80', 'client')!;
    expect(client.local.masterKey).toEqual(material.subarray(0, 16));
    expect(client.remote.masterKey).toEqual(material.subarray(16, 32));
    expect(client.local.masterSalt).toEqual(material.subarray(32, 46));
    expect(client.remote.masterSalt).toEqual(material.subarray(46, 60));
    const server = srtpKeysFromDtlsExport(material, 'AES_CM_128_HMAC_SHA1_80', 'server')!;
    expect(server.local).toEqual(client.remote);
    expect(server.remote).toEqual(client.local);
  });

  it('lets the two roles talk to each other, for GCM too', () => {
    const gcm = srtpProfile('AEAD_AES_128_GCM')!;
    const m = material.subarray(0, dtlsSrtpKeyingMaterialLength(gcm));
    expect(m).toHaveLength(56);
    const c = new SrtpSession(srtpKeysFromDtlsExport(m, gcm, 'client')!);
    const s = new SrtpSession(srtpKeysFromDtlsExport(m, gcm, 'server')!);
    const rtp = Buffer.from('80000001000000a012345678aabbccdd', 'hex');
    const sealed = c.protectRtp(rtp);
    expect(sealed.ok && s.unprotectRtp(sealed.packet)).toEqual({ ok: true, packet: rtp });
  });

  it('returns undefined for the wrong length or an unknown profile', () => {
    expect(srtpKeysFromDtlsExport(material.subarray(0, 59), 'AES_CM_128_HMAC_SHA1_80', 'client')).toBeUndefined();
    expect(srtpKeysFromDtlsExport(material, 'NULL' as never, 'client')).toBeUndefined();
  });
});
