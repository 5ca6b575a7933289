import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { fullCollection, IdleCollector } from './idle-collector.js';

describe('IdleCollector', () => {
  it('collects once after SIP traffic stops for the quiet time, never while it flows or stays idle', () => {
    const clock = new ManualClock();
    let received = 0;
    let collected = 0;
    const idle = new IdleCollector({ clock, activity: () => received, collect: () => collected++, quietMs: 1000 });
    idle.start();
    clock.advance(5000);
    expect(collected).toBe(0); // idle from the start: nothing to collect
    for (let i = 0; i < 10; i++) {
      received += 50;
      clock.advance(1000);
    }
    expect(collected).toBe(0); // traffic every second
    clock.advance(1000);
    expect(collected).toBe(1); // one quiet second after traffic
    clock.advance(10_000);
    expect(collected).toBe(1); // still quiet: once is enough
    received++;
    clock.advance(2000);
    expect(collected).toBe(2);
    idle.close();
    received++;
    clock.advance(5000);
    expect(collected).toBe(2);
    expect(clock.pending).toBe(0);
  });

  it('waits while the thread is busy (calls or media up) and collects once it is not', () => {
    const clock = new ManualClock();
    let received = 0;
    let collected = 0;
    let calls = 700;
    const idle = new IdleCollector({ clock, activity: () => received, collect: () => collected++, quietMs: 1000, busy: () => calls > 0 });
    idle.start();
    received += 700; // the calls were set up
    clock.advance(1000);
    clock.advance(30_000);
    expect(collected).toBe(0); // quiet, but 700 calls hold media: no pause for them
    calls = 0;
    clock.advance(1000);
    expect(collected).toBe(1); // all ended: the garbage of their setup goes now
    clock.advance(10_000);
    expect(collected).toBe(1);
    idle.close();
  });

  it('gets V8\'s real full collection (heap used drops after garbage is made)', () => {
    const gc = fullCollection();
    let junk: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}` }));
    expect(junk.length).toBe(200_000);
    const before = process.memoryUsage().heapUsed;
    junk = undefined;
    gc();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before - 5_000_000);
  });
});
