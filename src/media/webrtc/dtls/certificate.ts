import { createHash, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Clock, RandomSource } from '../../../core/index.js';

/** Our DTLS identity: a self-signed ECDSA P-256 certificate and its key. */
export interface DtlsCertificate {
  readonly der: Buffer;
  readonly privateKey: KeyObject;
  /** sha-256 fingerprint as SDP writes it (RFC 8122): uppercase hex pairs joined by colons. */
  readonly fingerprint: string;
}

// Minimal DER (X.690) for the handful of types an X.509 certificate needs.
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const sequence = (...c: Buffer[]): Buffer => der(0x30, ...c);

function positiveInteger(bytes: Buffer): Buffer {
  // A leading 1 bit would make the INTEGER negative: prefix a zero byte.
  const first = bytes.readUInt8(0);
  return der(0x02, first & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function utcTime(ms: number): Buffer {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  const text = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, Buffer.from(text, 'latin1'));
}

function commonName(cn: string): Buffer {
  const oidCommonName = Buffer.from('0603550403', 'hex');
  return sequence(der(0x31, sequence(oidCommonName, der(0x0c, Buffer.from(cn, 'utf8')))));
}

// AlgorithmIdentifier ecdsa-with-SHA256 (RFC 5758 3.2): no parameters.
const ECDSA_WITH_SHA256 = sequence(Buffer.from('06082a8648ce3d040302', 'hex'));
const DAY_MS = 86_400_000;

/** Uppercase colon-separated hex of a digest, the SDP a=fingerprint form. */
export function formatFingerprint(digest: Buffer): string {
  return (digest.toString('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** The fingerprint of a DER certificate with a hash named as SDP names it (sha-256, sha-1, ...). */
export function certificateFingerprint(der: Uint8Array, algorithm = 'sha-256'): string | undefined {
  const hash = algorithm.toLowerCase().replace('-', '');
  if (!['sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(hash)) return undefined;
  return formatFingerprint(createHash(hash).update(der).digest());
}

/**
 * A fresh self-signed ECDSA P-256 certificate. WebRTC trusts it through the SDP fingerprint
 * alone (RFC 8827 6.5), so the subject and validity only need to parse.
 */
export function generateDtlsCertificate(clock: Clock, random: RandomSource, commonNameText = 'atende'): DtlsCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const serial = random.bytes(16);
  serial.writeUInt8((serial.readUInt8(0) & 0x7f) | 0x01, 0);
  const now = clock.now();
  const name = commonName(commonNameText);
  const tbs = sequence(
    der(0xa0, der(0x02, Buffer.from([2]))), // [0] EXPLICIT version v3
    positiveInteger(serial),
    ECDSA_WITH_SHA256,
    name,
    sequence(utcTime(now - DAY_MS), utcTime(now + 365 * DAY_MS)),
    name,
    spki,
  );
  const signature = sign('sha256', tbs, privateKey);
  // BIT STRING: a leading byte counting the unused bits (none).
  const certDer = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.from([0]), signature));
  return { der: certDer, privateKey, fingerprint: certificateFingerprint(certDer) ?? '' };
}

/** The public key of a peer's DER certificate, or undefined if node cannot parse it. */
export function certificatePublicKey(der: Buffer): KeyObject | undefined {
  try {
    return new X509Certificate(der).publicKey;
  } catch {
    // A malformed peer certificate is wire input: report it as absent.
    return undefined;
  }
}

/** How long the shared certificate is reused before a fresh one is made (well inside its validity). */
const SHARED_CERTIFICATE_LIFETIME_MS = 30 * DAY_MS;
let shared: { certificate: DtlsCertificate; createdAt: number } | undefined;

/**
 * The process-wide certificate: generating an EC key per call is wasteful and WebRTC peers only
 * compare fingerprints, so every transport of this process presents the same one.
 */
export function sharedDtlsCertificate(clock: Clock, random: RandomSource): DtlsCertificate {
  const now = clock.now();
  if (!shared || now - shared.createdAt > SHARED_CERTIFICATE_LIFETIME_MS) {
    shared = { certificate: generateDtlsCertificate(clock, random), createdAt: now };
  }
  return shared.certificate;
}
