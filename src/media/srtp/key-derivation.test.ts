import { describe, expect, it } from 'vitest';
import { aesCmKeystream, deriveSessionKey, deriveSrtpKeys } from './key-derivation.js';
import { srtpProfile } from './srtp-profile.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('AES-CM keystream (RFC 3711 B.2)', () => {
  it('matches the published keystream blocks, including across the 16-bit block counter', () => {
    const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
    const iv = hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000');
    const ks = aesCmKeystream(key, iv, 0xff02 * 16);
    const block = (n: number): string => ks.subarray(n * 16, n * 16 + 16).toString('hex').toUpperCase();
    expect(block(0)).toBe('E03EAD0935C95E80E166B16DD92B4EB4');
    expect(block(1)).toBe('D23513162B02D0F72A43A2FE4A5F97AB');
    expect(block(2)).toBe('41E95B3BB0A2E8DD477901E4FCA894C0');
    expect(block(0xfeff)).toBe('EC8CDF7398607CB0F2D21675EA9EA1E4');
    expect(block(0xff00)).toBe('362B7C3C6773516318A077D7FC5073AE');
    expect(block(0xff01)).toBe('6A2CC3787889374FBEB4C81B17BA6C44');
  });
});

describe('key derivation (RFC 3711 B.3)', () => {
  const masterKey = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
  const masterSalt = hex('0EC675AD498AFEEBB6960B3AABE6');

  it('derives the cipher key, cipher salt and auth key', () => {
    expect(deriveSessionKey(masterKey, masterSalt, 0, 16).toString('hex').toUpperCase())
      .toBe('C61E7A93744F39EE10734AFE3FF7A087');
    expect(deriveSessionKey(masterKey, masterSalt, 2, 14).toString('hex').toUpperCase())
      .toBe('30CBBC08863D8C85D49DB34A9AE1');
    expect(deriveSessionKey(masterKey, masterSalt, 1, 20).toString('hex').toUpperCase())
      .toBe('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4');
  });

  it('fills all six session keys with the profile sizes', () => {
    const keys = deriveSrtpKeys(srtpProfile('AES_CM_128_HMAC_SHA1_80')!, masterKey, masterSalt);
    expect(keys.rtp.encryptionKey.toString('hex')).toBe('c61e7a93744f39ee10734afe3ff7a087');
    expect(keys.rtp.authKey).toHaveLength(20);
    expect(keys.rtcp.salt).toHaveLength(14);
    expect(keys.rtcp.encryptionKey.equals(keys.rtp.encryptionKey)).toBe(false);
    const gcm = deriveSrtpKeys(srtpProfile('AEAD_AES_128_GCM')!, masterKey, masterSalt.subarray(0, 12));
    expect(gcm.rtp.salt).toHaveLength(12);
    expect(gcm.rtp.authKey).toHaveLength(0);
  });
});
