import { describe, expect, it } from 'vitest';
import { MediaTimeline } from './media-timeline.js';
import { PcmFifo } from './pcm-fifo.js';

describe('MediaTimeline', () => {
  it('places packets by RTP time, not by their jittered arrival, and follows the fastest path', () => {
    const tl = new MediaTimeline();
    expect(tl.timeOf(1, 1000, 8000, 500)).toBe(500);
    expect(tl.timeOf(1, 1160, 8000, 545)).toBe(520); // 25 ms late: still at 520
    expect(tl.timeOf(1, 1320, 8000, 538)).toBe(538); // arrived early: the origin moves back
    expect(tl.timeOf(1, 1480, 8000, 560)).toBe(558);
    expect(tl.rebases).toBe(1);
  });

  it('handles timestamp wrap and restarts on a new SSRC or a jump', () => {
    const tl = new MediaTimeline();
    tl.timeOf(1, 0xffffff00, 8000, 1000);
    expect(tl.timeOf(1, 0x60, 8000, 1020)).toBe(1020);
    expect(tl.timeOf(2, 5, 8000, 1040)).toBe(1040);
    expect(tl.timeOf(2, 5 - 8000 * 10, 8000, 1060)).toBe(1060); // 10 s back in time: restart
    expect(tl.rebases).toBe(3);
  });
});

describe('PcmFifo', () => {
  it('primes, reads whole frames, re-primes after running dry and drops the oldest on overflow', () => {
    const fifo = new PcmFifo(4, 2, 4);
    fifo.write(Int16Array.of(1, 2, 3, 4));
    expect(fifo.read()).toBeUndefined(); // priming: 2 frames needed
    fifo.write(Int16Array.of(5, 6, 7, 8));
    expect([...fifo.read()!]).toEqual([1, 2, 3, 4]);
    expect([...fifo.read()!]).toEqual([5, 6, 7, 8]);
    fifo.write(Int16Array.of(9, 10));
    expect([...fifo.read()!]).toEqual([9, 10, 0, 0]); // short: padded, back to priming
    expect(fifo.underruns).toBe(1);
    expect(fifo.read()).toBeUndefined();
    fifo.write(Int16Array.from({ length: 20 }, (_, i) => 100 + i));
    expect(fifo.dropped).toBe(12); // more than 4 frames: back down to 2 frames, the newest
    expect([...fifo.read()!]).toEqual([112, 113, 114, 115]);
  });
});
