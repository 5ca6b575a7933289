import { randomBytes, randomInt } from 'node:crypto';

/** Randomness for tags, branches, nonces and ids; injectable so tests are repeatable. */
export interface RandomSource {
  bytes(n: number): Buffer;
  /** A URL-safe token of about `n` random bytes' entropy. */
  token(n?: number): string;
  /** An integer in [0, max). */
  int(max: number): number;
}

/**
 * Cryptographic randomness drawn from a pooled block: tags, branches and nonces need a few
 * bytes per message, and one getrandom call per 4 KiB is far cheaper than one per value.
 */
class PooledCryptoRandom implements RandomSource {
  private pool = Buffer.alloc(0);
  private offset = 0;

  bytes(n: number): Buffer {
    if (n > 1024) return randomBytes(n);
    if (this.offset + n > this.pool.length) {
      this.pool = randomBytes(4096);
      this.offset = 0;
    }
    // A copy: callers may keep or change the bytes without touching the pool.
    const out = Buffer.from(this.pool.subarray(this.offset, this.offset + n));
    this.offset += n;
    return out;
  }

  token(n = 12): string {
    return this.bytes(n).toString('base64url');
  }

  int(max: number): number {
    return randomInt(max);
  }
}

export const cryptoRandom: RandomSource = new PooledCryptoRandom();

/** Deterministic source for tests (xorshift32). */
export function seededRandom(seed = 0x9e3779b9): RandomSource {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const bytes = (n: number): Buffer => {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = next() & 0xff;
    return b;
  };
  return { bytes, token: (n = 12) => bytes(n).toString('base64url'), int: (max) => next() % max };
}
