/** A self-signed certificate for SIP over TLS and WSS, generated on first start and reused after. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface CertificatePair {
  key: string;
  cert: string;
}

const keyFile = 'sip-tls.key';
const certFile = 'sip-tls.crt';
const validityDays = 3650;

async function readPair(dir: string): Promise<CertificatePair | undefined> {
  try {
    const [key, cert] = await Promise.all([readFile(join(dir, keyFile), 'utf8'), readFile(join(dir, certFile), 'utf8')]);
    if (key.includes('PRIVATE KEY') && cert.includes('CERTIFICATE')) return { key, cert };
    return undefined;
  } catch {
    return undefined;
  }
}

/** Reads `sip-tls.key`/`sip-tls.crt` from `dir`, or generates and writes them (key mode 0600). */
export async function loadOrCreateCertificate(dir: string, commonName: string): Promise<CertificatePair> {
  const existing = await readPair(dir);
  if (existing) return existing;

  await mkdir(dir, { recursive: true });
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + validityDays * 86_400_000);
  const altName = isIP(commonName) ? { type: 7 as const, ip: commonName } : { type: 2 as const, value: commonName };
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
      { name: 'subjectAltName', altNames: [altName, { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  // Write to temporary names then rename, so a crash never leaves a half-written pair.
  const keyPath = join(dir, keyFile);
  const certPath = join(dir, certFile);
  await writeFile(`${keyPath}.tmp`, pems.private, { mode: 0o600 });
  await writeFile(`${certPath}.tmp`, pems.cert, { mode: 0o644 });
  await rename(`${keyPath}.tmp`, keyPath);
  await rename(`${certPath}.tmp`, certPath);
  return { key: pems.private, cert: pems.cert };
}
