import { describe, expect, it } from 'vitest';
import { RtpIndexTracker } from './packet-index.js';
import { ReplayWindow } from './replay-window.js';

describe('ReplayWindow', () => {
  it('accepts new and reordered indexes, refuses repeats and those older than 64', () => {
    const w = new ReplayWindow();
    expect(w.check(100)).toBe('ok');
    w.accept(100);
    expect(w.check(100)).toBe('replayed');
    expect(w.check(99)).toBe('ok');
    w.accept(99);
    expect(w.check(99)).toBe('replayed');
    w.accept(163);
    expect(w.check(100)).toBe('replayed');
    expect(w.check(99)).toBe('too-old');
    expect(w.check(110)).toBe('ok');
    expect(w.check(-1)).toBe('too-old');
  });
});

describe('RtpIndexTracker (RFC 3711 3.3.1)', () => {
  it('guesses ROC+1 after a wrap and ROC-1 for a late packet from before it', () => {
    const t = new RtpIndexTracker();
    t.update(t.estimate(65534));
    expect(t.estimate(65535)).toBe(65535);
    expect(t.estimate(2)).toBe(65536 + 2);
    t.update(t.estimate(2));
    expect(t.rolloverCounter).toBe(1);
    expect(t.estimate(65533)).toBe(65533);
    expect(t.estimate(40000)).toBe(65536 + 40000 - 65536); // far behind 2: ROC 0
    t.update(65533); // late packet does not move s_l or ROC back
    expect(t.rolloverCounter).toBe(1);
    expect(t.estimate(3)).toBe(65536 + 3);
  });

  it('from ROC 0, a guess of ROC-1 is negative', () => {
    const t = new RtpIndexTracker();
    t.update(t.estimate(10));
    expect(t.estimate(60000)).toBeLessThan(0);
  });
});
