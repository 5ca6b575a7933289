import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomSource } from '../core/random.js';

/**
 * The key that signs digest nonces, kept in the data dir so nonces issued before a restart
 * still verify (phones re-use them). Created on first start, readable by the owner only.
 */
export async function loadDigestSecret(dataDir: string, random: RandomSource): Promise<Buffer> {
  const path = join(dataDir, 'digest-secret');
  try {
    const hex = (await readFile(path, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = random.bytes(32);
  await writeFile(path, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return secret;
}
