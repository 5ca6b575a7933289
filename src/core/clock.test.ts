import { describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from './clock.js';

describe('SystemClock', () => {
  it('fires timers, clears them through their handle, and counts what is pending', async () => {
    const clock = new SystemClock();
    const fired: string[] = [];
    const a = clock.setTimer(5, () => fired.push('a'));
    clock.setTimer(10, () => fired.push('b'));
    const c = clock.setTimer(15, () => fired.push('c'));
    expect(clock.pending).toBe(3);
    clock.clearTimer(c);
    clock.clearTimer(c); // twice is harmless
    expect(clock.pending).toBe(2);
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual(['a', 'b']);
    expect(clock.pending).toBe(0);
    clock.clearTimer(a); // already fired: nothing to clear, the count stays
    clock.clearTimer(undefined);
    expect(clock.pending).toBe(0);
  });

  it('ignores handles of another clock', () => {
    const clock = new SystemClock();
    const manual = new ManualClock();
    const t = clock.setTimer(1000, () => undefined);
    clock.clearTimer(manual.setTimer(1, () => undefined));
    expect(clock.pending).toBe(1);
    clock.clearTimer(t);
    expect(clock.pending).toBe(0);
  });
});
