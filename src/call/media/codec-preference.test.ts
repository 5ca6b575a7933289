import { describe, expect, it } from 'vitest';
import { codecsPreferring } from './codec-preference.js';

describe('codecsPreferring', () => {
  const ours = ['PCMA', 'PCMU', 'G722', 'opus'] as const;
  it('moves the other leg\'s codec to the front, keeping the rest in our order', () => {
    expect(codecsPreferring(ours, 'G722')).toEqual(['G722', 'PCMA', 'PCMU', 'opus']);
  });
  it('leaves our order when there is no preference, it is first already, or we lack it', () => {
    expect(codecsPreferring(ours, undefined)).toBe(ours);
    expect(codecsPreferring(ours, 'PCMA')).toBe(ours);
    expect(codecsPreferring(['PCMA', 'PCMU'], 'opus')).toEqual(['PCMA', 'PCMU']);
  });
});
