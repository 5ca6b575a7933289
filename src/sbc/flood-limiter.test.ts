import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { FloodLimiter } from './flood-limiter.js';

function burst(limiter: FloodLimiter, key: string, n: number): number {
  let passed = 0;
  for (let i = 0; i < n; i++) if (limiter.hit(key)) passed++;
  return passed;
}

describe('FloodLimiter', () => {
  it('allows 16 requests per 2 s window per source', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock });
    expect(burst(limiter, '192.0.2.1', 40)).toBe(16);
    expect(burst(limiter, '192.0.2.2', 16)).toBe(16);
    clock.advance(1_999);
    expect(limiter.hit('192.0.2.1')).toBe(false);
    clock.advance(1);
    expect(burst(limiter, '192.0.2.1', 20)).toBe(16);
  });

  it('reports a source over the limit in consecutive windows, not a single burst', () => {
    const clock = new ManualClock();
    const reports: [string, number][] = [];
    const limiter = new FloodLimiter({ clock, requests: 4, windowSeconds: 1, reportAfterWindows: 3, onFlood: (k, w) => reports.push([k, w]) });
    burst(limiter, 'a', 10);
    clock.advance(1000);
    burst(limiter, 'a', 10);
    clock.advance(5000); // a pause breaks the streak
    burst(limiter, 'a', 10);
    clock.advance(1000);
    burst(limiter, 'a', 10);
    expect(reports).toEqual([]);
    clock.advance(1000);
    burst(limiter, 'a', 10);
    expect(reports).toEqual([['a', 3]]);
  });

  it('never reports when reportAfterWindows is 0', () => {
    const clock = new ManualClock();
    const reports: string[] = [];
    const limiter = new FloodLimiter({ clock, reportAfterWindows: 0, onFlood: (k) => reports.push(k) });
    for (let i = 0; i < 20; i++) {
      burst(limiter, 'a', 100);
      clock.advance(2000);
    }
    expect(reports).toEqual([]);
  });

  it('takes new limits at run time', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock });
    limiter.configure({ requests: 2 });
    expect(burst(limiter, 'a', 5)).toBe(2);
  });

  it('stays bounded under a flood of distinct sources, and prunes idle ones', () => {
    const clock = new ManualClock();
    const limiter = new FloodLimiter({ clock, maxTrackedSources: 1000 });
    for (let i = 0; i < 20_000; i++) limiter.hit(`2001:db8::${i.toString(16)}`);
    expect(limiter.trackedSources).toBe(1000);
    clock.advance(4_001);
    limiter.hit('192.0.2.1');
    expect(limiter.trackedSources).toBe(1);
  });
});
