import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintDigestNonce, readDigestNonce } from './digest-nonce.js';

describe('digest nonces', () => {
  const salt = Buffer.from('0123456789abcdef', 'hex');

  it('carry an HMAC-SHA256 equal to node:crypto createHmac, for short and long secrets', () => {
    for (const secret of [randomBytes(32), randomBytes(100)]) {
      // A realm changed by provisioning, and back: the laid-out MAC blocks follow it.
      for (const realm of ['atende.local', 'defensoria.example.gov.br', 'atende.local']) {
        const nonce = mintDigestNonce(secret, realm, 1_700_000_000_123, salt);
        const raw = Buffer.from(nonce, 'base64url');
        const head = raw.subarray(0, 16);
        const expected = createHmac('sha256', secret).update(head).update(realm).digest().subarray(0, 16);
        expect(raw.subarray(16).equals(expected)).toBe(true);
        expect(readDigestNonce(secret, realm, nonce)).toBe(1_700_000_000_123);
      }
    }
  });

  it('give back their issue time, and nothing when tampered, for another realm or another secret', () => {
    const secret = randomBytes(32);
    const nonce = mintDigestNonce(secret, 'atende.local', 1_700_000_000_123, salt);
    expect(readDigestNonce(secret, 'atende.local', nonce)).toBe(1_700_000_000_123);
    expect(readDigestNonce(secret, 'other.realm', nonce)).toBeUndefined();
    expect(readDigestNonce(randomBytes(32), 'atende.local', nonce)).toBeUndefined();
    const flipped = `${nonce.slice(0, 5)}${nonce[5] === 'A' ? 'B' : 'A'}${nonce.slice(6)}`;
    expect(readDigestNonce(secret, 'atende.local', flipped)).toBeUndefined();
    expect(readDigestNonce(secret, 'atende.local', `${nonce}x`)).toBeUndefined();
  });
});
