import { randomBytes, randomInt } from 'node:crypto';

/** Randomness for tags, branches, nonces and ids; injectable so tests are repeatable. */
export interface RandomSource {
  bytes(n: number): Buffer;
  /** A URL-safe token of about `n` random bytes' entropy. */
  token(n?: number): string;
  /** An integer in [0, max). */
  int(max: number): number;
}

export const cryptoRandom: RandomSource = {
  bytes: (n) => randomBytes(n),
  token: (n = 12) => randomBytes(n).toString('base64url'),
  int: (max) => randomInt(max),
};

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
