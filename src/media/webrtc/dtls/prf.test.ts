import { describe, expect, it } from 'vitest';
import { exportKeyingMaterial, keyBlock, masterSecret, prf, verifyData } from './prf.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('TLS 1.2 PRF (RFC 5246 section 5)', () => {
  it('matches the published P_SHA256 test vector', () => {
    // The IETF TLS working group vector for the SHA-256 PRF (also what openssl kdf TLS1-PRF gives).
    const out = prf(hex('9bbe436ba940f017b17652849a71db35'), 'test label', hex('a0ba9f936cda311827a6f796ffd5198c'), 100);
    expect(out.toString('hex')).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab' +
        '4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701' +
        '87347b66',
    );
  });

  it('cuts output to any length as a prefix of the longer stream', () => {
    const secret = hex('00112233');
    const long = prf(secret, 'x', hex('aa'), 70);
    expect(prf(secret, 'x', hex('aa'), 33)).toEqual(long.subarray(0, 33));
  });

  it('derives the extended master secret from the session hash and the legacy one from the randoms', () => {
    const pms = Buffer.alloc(32, 7);
    const cr = Buffer.alloc(32, 1);
    const sr = Buffer.alloc(32, 2);
    const hash = Buffer.alloc(32, 3);
    expect(masterSecret(pms, cr, sr, hash)).toEqual(prf(pms, 'extended master secret', hash, 48));
    expect(masterSecret(pms, cr, sr, undefined)).toEqual(prf(pms, 'master secret', Buffer.concat([cr, sr]), 48));
    // Key expansion puts the server random first; the exporter puts the client random first.
    expect(keyBlock(pms, cr, sr, 40)).toEqual(prf(pms, 'key expansion', Buffer.concat([sr, cr]), 40));
    expect(exportKeyingMaterial(pms, 'EXTRACTOR-dtls_srtp', cr, sr, 60)).toEqual(
      prf(pms, 'EXTRACTOR-dtls_srtp', Buffer.concat([cr, sr]), 60),
    );
    expect(verifyData(pms, 'client', hash)).toHaveLength(12);
    expect(verifyData(pms, 'client', hash)).not.toEqual(verifyData(pms, 'server', hash));
  });
});
