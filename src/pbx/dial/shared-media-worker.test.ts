import { describe, expect, it } from 'vitest';
import { sharedMediaWorker, type PartyPlacement } from './shared-media-worker.js';

const call = (a: string, b: string | undefined, worker: number): PartyPlacement[] => [
  { number: a, worker },
  { number: b, worker },
];

describe('sharedMediaWorker', () => {
  it('puts a consultation call in the worker of the call the caller is already in', () => {
    const parties = [...call('2001', '2002', 0), ...call('1002', '1003', 1)];
    expect(sharedMediaWorker(parties, ['1002', '1004'])).toBe(1);
  });

  it('uses the callee\'s call when the caller is in none (a second call reaching an attendant)', () => {
    expect(sharedMediaWorker(call('1003', undefined, 1), ['1002', '1003'])).toBe(1);
  });

  it('prefers the caller\'s worker over the callee\'s', () => {
    const parties = [...call('1003', '3000', 0), ...call('1002', '3001', 1)];
    expect(sharedMediaWorker(parties, ['1002', '1003'])).toBe(1);
  });

  it('leaves the choice to the pool when neither party is in a call', () => {
    expect(sharedMediaWorker(call('2001', '2002', 0), ['1002', '1003'])).toBeUndefined();
  });

  it('spreads the calls of a party carrying more calls than a phone has lines', () => {
    const parties: PartyPlacement[] = [];
    for (let i = 0; i < 5; i += 1) parties.push(...call('1001', `11${i}`, i % 2));
    expect(sharedMediaWorker(parties, ['1002', '1001'], 4)).toBeUndefined();
    expect(sharedMediaWorker(parties.slice(0, 8), ['1002', '1001'], 4)).toBe(0);
  });

  it('falls back to the callee when the caller carries too many calls', () => {
    const parties: PartyPlacement[] = [...call('1003', '9', 1)];
    for (let i = 0; i < 5; i += 1) parties.push(...call('1002', `11${i}`, 0));
    expect(sharedMediaWorker(parties, ['1002', '1003'], 4)).toBe(1);
  });

  it('ignores legs without media yet', () => {
    expect(sharedMediaWorker([{ number: '1002', worker: undefined }], ['1002'])).toBeUndefined();
  });
});
