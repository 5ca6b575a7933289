import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { ExpiringEntries } from './expiring-entries.js';

describe('ExpiringEntries', () => {
  it('holds each entry until its deadline, on one timer', () => {
    const clock = new ManualClock();
    const entries = new ExpiringEntries<string>(clock);
    entries.set('a', 'first', 5000);
    clock.advance(1000);
    entries.set('b', 'second', 5000);
    expect(clock.pending).toBe(1);
    clock.advance(3999);
    expect(entries.get('a')).toBe('first');
    clock.advance(1);
    expect(entries.get('a')).toBeUndefined();
    expect(entries.size).toBe(1);
    clock.advance(1000);
    expect(entries.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('an entry due before an older one is gone on lookup at once, and from the map with the older one', () => {
    const clock = new ManualClock();
    const entries = new ExpiringEntries<boolean>(clock);
    entries.set('long', true, 30_000);
    entries.set('short', true, 1000);
    clock.advance(1000);
    expect(entries.get('short')).toBeUndefined();
    entries.set('short2', true, 1000);
    clock.advance(1000);
    expect(entries.size).toBe(2);
    clock.advance(28_000);
    expect(entries.size).toBe(0);
  });

  it('setting a key again moves it to the end with its new deadline; close drops all', () => {
    const clock = new ManualClock();
    const entries = new ExpiringEntries<number>(clock);
    entries.set('k', 1, 1000);
    entries.set('k', 2, 5000);
    clock.advance(1000);
    expect(entries.get('k')).toBe(2);
    entries.close();
    expect(entries.size).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
