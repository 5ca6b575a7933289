import { constants, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** SignatureScheme code points (RFC 8446 4.2.3; in TLS 1.2 they are hash || signature pairs). */
export const SignatureScheme = {
  ecdsaSecp256r1Sha256: 0x0403,
  ecdsaSecp384r1Sha384: 0x0503,
  rsaPkcs1Sha256: 0x0401,
  rsaPssRsaeSha256: 0x0804,
} as const;

/** What we accept in a peer's CertificateVerify, in preference order. */
export const VERIFY_SCHEMES: readonly number[] = [
  SignatureScheme.ecdsaSecp256r1Sha256,
  SignatureScheme.ecdsaSecp384r1Sha384,
  SignatureScheme.rsaPssRsaeSha256,
  SignatureScheme.rsaPkcs1Sha256,
];

/** Signs with our ECDSA P-256 key (DER-encoded signature, as TLS carries it). */
export function signEcdsaSha256(privateKey: KeyObject, data: Uint8Array): Buffer {
  return sign('sha256', data, privateKey);
}

/** Verifies a peer signature; false (never a throw) for unknown schemes or bad keys. */
export function verifySignature(scheme: number, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (scheme) {
      case SignatureScheme.ecdsaSecp256r1Sha256:
        return publicKey.asymmetricKeyType === 'ec' && verify('sha256', data, publicKey, signature);
      case SignatureScheme.ecdsaSecp384r1Sha384:
        return publicKey.asymmetricKeyType === 'ec' && verify('sha384', data, publicKey, signature);
      case SignatureScheme.rsaPkcs1Sha256:
        return publicKey.asymmetricKeyType === 'rsa' && verify('sha256', data, publicKey, signature);
      case SignatureScheme.rsaPssRsaeSha256:
        return (
          publicKey.asymmetricKeyType === 'rsa' &&
          verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
        );
      default:
        return false;
    }
  } catch {
    // Malformed signatures make node throw; to us they are just invalid.
    return false;
  }
}
