import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { youngCollection, youngGenerationBytes, YoungGenerationTrim } from './young-generation-trim.js';

const MB = 1024 * 1024;

/** A young generation as V8 runs it: a scavenge shrinks it only once `shrinkAfter` have gone by. */
function fakeHeap(shrinkAfter: number) {
  const heap = { bytes: 32 * MB, scavenges: 0 };
  const scavenge = (): void => {
    heap.scavenges++;
    if (heap.scavenges >= shrinkAfter) heap.bytes = 1 * MB;
  };
  return { heap, scavenge, size: () => heap.bytes };
}

describe('YoungGenerationTrim', () => {
  it('scavenges once a second while traffic is quiet, until the young generation is small, then stops', () => {
    const clock = new ManualClock();
    let received = 0;
    const { heap, scavenge, size } = fakeHeap(6);
    const trim = new YoungGenerationTrim({ clock, activity: () => received, scavenge, size });
    trim.start();
    clock.advance(5000);
    expect(heap.scavenges).toBe(0); // idle from the start: nothing grew
    for (let i = 0; i < 10; i++) {
      received += 50; // a burst of call setups
      clock.advance(1000);
    }
    expect(heap.scavenges).toBe(0); // never while traffic flows
    clock.advance(5000);
    expect(heap.scavenges).toBe(5); // V8 judged the rate still high: not shrunk yet
    expect(heap.bytes).toBe(32 * MB);
    clock.advance(1000);
    expect(heap.bytes).toBe(1 * MB);
    clock.advance(30_000);
    expect(heap.scavenges).toBe(6); // small now: no more
    trim.close();
    expect(clock.pending).toBe(0);
  });

  it('starts over when traffic comes back, and gives up after maxAttempts in one quiet spell', () => {
    const clock = new ManualClock();
    let received = 0;
    const { heap, scavenge, size } = fakeHeap(Number.POSITIVE_INFINITY);
    const trim = new YoungGenerationTrim({ clock, activity: () => received, scavenge, size, maxAttempts: 3 });
    trim.start();
    received++;
    clock.advance(1000);
    clock.advance(10_000);
    expect(heap.scavenges).toBe(3);
    received++;
    clock.advance(1000);
    clock.advance(1000);
    expect(heap.scavenges).toBe(4); // a new quiet spell, a new try
    trim.close();
    received++;
    clock.advance(10_000);
    expect(heap.scavenges).toBe(4);
  });

  it('leaves a young generation below the floor alone', () => {
    const clock = new ManualClock();
    let received = 0;
    let scavenges = 0;
    const trim = new YoungGenerationTrim({ clock, activity: () => received, scavenge: () => scavenges++, size: () => 2 * MB });
    trim.start();
    received++;
    clock.advance(10_000);
    expect(scavenges).toBe(0);
    trim.close();
  });

  it('gets V8\'s real scavenge and young-generation size', () => {
    const scavenge = youngCollection();
    const newSpaceUsed = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    scavenge();
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += [i, i + 1].length; // garbage, dead at once
    expect(sum).toBe(40_000);
    const before = newSpaceUsed();
    expect(before).toBeGreaterThan(100_000);
    scavenge();
    expect(newSpaceUsed()).toBeLessThan(before / 2);
    expect(youngGenerationBytes()).toBeGreaterThan(0);
  });
});
