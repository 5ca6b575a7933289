import { describe, expect, it } from 'vitest';
import { cryptoRandom, seededRandom } from './random.js';

describe('random sources', () => {
  it('pooled crypto randomness never repeats values and serves every size', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(cryptoRandom.token(12));
    expect(seen.size).toBe(2000);
    expect(cryptoRandom.bytes(3000)).toHaveLength(3000);
    const a = cryptoRandom.bytes(16);
    a.fill(0);
    expect(cryptoRandom.bytes(16).equals(Buffer.alloc(16))).toBe(false);
    for (let i = 0; i < 100; i++) expect(cryptoRandom.int(10)).toBeLessThan(10);
  });

  it('seeded randomness is repeatable', () => {
    expect(seededRandom(5).token()).toBe(seededRandom(5).token());
  });
});
