import { describe, expect, it } from 'vitest';
import { RtpPortAllocator, RtpPortError, parseRtpPortRange } from './rtp-port-allocator.js';

describe('RtpPortAllocator', () => {
  it('parses ranges and rejects nonsense', () => {
    expect(parseRtpPortRange('20000-29999')).toEqual({ min: 20000, max: 29999 });
    expect(() => parseRtpPortRange('abc')).toThrow(RtpPortError);
    expect(() => parseRtpPortRange('30000-20000')).toThrow(RtpPortError);
    expect(() => parseRtpPortRange('80-90')).toThrow(RtpPortError);
  });

  it('hands out even ports only, each pair fitting the range', () => {
    const a = new RtpPortAllocator('20001-20010');
    expect(a.capacity).toBe(4); // 20002, 20004, 20006, 20008 (20010 has no RTCP port inside)
    const ports = [a.allocate(), a.allocate(), a.allocate(), a.allocate()];
    expect(ports).toEqual([20002, 20004, 20006, 20008]);
    expect(() => a.allocate()).toThrow(/in use/);
  });

  it('never hands out a port twice and reuses freed ports last (round-robin)', () => {
    const a = new RtpPortAllocator({ min: 30000, max: 30009 });
    const p1 = a.allocate();
    const p2 = a.allocate();
    a.release(p1);
    const p3 = a.allocate();
    expect(p3).not.toBe(p1);
    expect(p3).not.toBe(p2);
    expect(new Set([p2, p3, a.allocate(), a.allocate()]).size).toBe(4);
    expect(a.allocate()).toBe(p1); // the only free one left
  });

  it('release is idempotent and ignores foreign ports', () => {
    const a = new RtpPortAllocator('40000-40100');
    const p = a.allocate();
    a.release(p);
    a.release(p);
    a.release(p + 1);
    a.release(12345);
    expect(a.inUse).toBe(0);
  });

  it('leaks nothing over many allocate/release cycles', () => {
    const a = new RtpPortAllocator('20000-20199');
    let seed = 1;
    const held: number[] = [];
    const live = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      if (held.length < a.capacity && (seed & 1 || held.length === 0)) {
        const p = a.allocate();
        expect(live.has(p)).toBe(false);
        live.add(p);
        held.push(p);
      } else {
        const p = held.splice(seed % held.length, 1)[0]!;
        live.delete(p);
        a.release(p);
      }
      expect(a.inUse).toBe(held.length);
    }
    for (const p of held) a.release(p);
    expect(a.inUse).toBe(0);
    // Every pair is allocatable again.
    for (let i = 0; i < a.capacity; i++) a.allocate();
    expect(a.inUse).toBe(a.capacity);
  });
});
