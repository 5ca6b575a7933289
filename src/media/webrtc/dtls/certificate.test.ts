import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../../core/index.js';
import { certificateFingerprint, certificatePublicKey, generateDtlsCertificate, sharedDtlsCertificate } from './certificate.js';

describe('self-signed DTLS certificate', () => {
  it('is a valid X.509 ECDSA P-256 certificate whose fingerprint is the SDP sha-256 form', () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 15));
    const cert = generateDtlsCertificate(clock, seededRandom(7), 'atende');
    const x509 = new X509Certificate(cert.der);
    expect(x509.subject).toBe('CN=atende');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new Date(x509.validFrom).getTime()).toBe(Date.UTC(2030, 0, 14));
    expect(cert.fingerprint).toBe(x509.fingerprint256);
    expect(cert.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(certificateFingerprint(cert.der, 'SHA-1')).toBe(x509.fingerprint);
    expect(certificateFingerprint(cert.der, 'md5')).toBeUndefined();
    expect(certificatePublicKey(cert.der)?.asymmetricKeyType).toBe('ec');
    expect(certificatePublicKey(Buffer.from('junk'))).toBeUndefined();
  });

  it('is shared by the process and renewed after 30 days', () => {
    const clock = new ManualClock();
    const a = sharedDtlsCertificate(clock, seededRandom(1));
    clock.advance(86_400_000);
    expect(sharedDtlsCertificate(clock, seededRandom(1))).toBe(a);
    clock.advance(30 * 86_400_000);
    expect(sharedDtlsCertificate(clock, seededRandom(1))).not.toBe(a);
  });
});
