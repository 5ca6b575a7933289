import { describe, expect, it } from 'vitest';
import { ManualClock, type Clock, type TimerHandle } from '../../core/index.js';
import { MediaClock } from './media-clock.js';

/** A ManualClock whose timers fire `lateMs` after they are due (a busy event loop). */
class LateClock implements Clock {
  constructor(
    readonly inner: ManualClock,
    public lateMs: number,
  ) {}
  /** Added to the next timer only. */
  lateOnce = 0;
  now(): number {
    return this.inner.now();
  }
  monotonic(): number {
    return this.inner.monotonic();
  }
  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const late = this.lateMs + this.lateOnce;
    this.lateOnce = 0;
    return this.inner.setTimer(Math.max(0, delayMs) + late, fire);
  }
  clearTimer(handle: TimerHandle | undefined): void {
    this.inner.clearTimer(handle);
  }
}

describe('MediaClock', () => {
  it('ticks on a fixed 20 ms grid even when every timer fires late (no drift)', () => {
    const inner = new ManualClock(0);
    const clock = new LateClock(inner, 3);
    const ticks: number[] = [];
    const media = new MediaClock({ clock, onTick: (t) => ticks.push(t) });
    media.start();
    inner.advance(10_000);
    // 10 s of 20 ms ticks whatever the 3 ms lateness: a "now + 20" loop would have made ~435.
    expect(ticks.length).toBeGreaterThanOrEqual(499);
    expect(ticks.length).toBeLessThanOrEqual(500);
    ticks.forEach((t, i) => expect(t).toBe((i + 1) * 20));
    expect(media.skipped).toBe(0);
    media.stop();
    expect(inner.pending).toBe(0);
  });

  it('catches up at most maxCatchUp ticks after a long stall and skips the rest', () => {
    const inner = new ManualClock(0);
    const clock = new LateClock(inner, 0);
    const ticks: number[] = [];
    const media = new MediaClock({ clock, onTick: (t) => ticks.push(t), maxCatchUp: 3 });
    media.start();
    inner.advance(20);
    clock.lateOnce = 200; // the wake-up for tick 60 comes 200 ms late
    inner.advance(20);
    expect(ticks).toEqual([20, 40]);
    inner.advance(220);
    // Woke at 260: ticks 60..260 were due (11), 3 run, 8 skipped; then back on the grid.
    expect(ticks.slice(2, 5)).toEqual([220, 240, 260]);
    expect(media.skipped).toBe(8);
    inner.advance(40);
    expect(ticks.slice(5)).toEqual([280, 300]);
    media.stop();
  });

  it('runs one timer however often start() is called, and a handler may stop it', () => {
    const inner = new ManualClock(0);
    let count = 0;
    const media: MediaClock = new MediaClock({
      clock: inner,
      onTick: () => {
        count++;
        media.start();
        if (count === 5) media.stop();
      },
    });
    media.start();
    media.start();
    expect(inner.pending).toBe(1);
    inner.advance(1000);
    expect(count).toBe(5);
    expect(media.running).toBe(false);
    expect(inner.pending).toBe(0);
  });

  it('contains a throwing tick handler', () => {
    const inner = new ManualClock(0);
    const media = new MediaClock({ clock: inner, onTick: () => { throw new Error('boom'); } });
    media.start();
    inner.advance(100);
    expect(media.errors).toBe(5);
    expect(media.running).toBe(true);
    media.stop();
  });
});
