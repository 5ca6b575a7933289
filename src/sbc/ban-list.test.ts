import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { BanList, type Ban } from './ban-list.js';
import { parseCidr, cidrContains } from './cidr.js';

function setup(extra: Partial<ConstructorParameters<typeof BanList>[0]> = {}) {
  const clock = new ManualClock();
  const trusted = parseCidr('10.0.0.0/8')!;
  const bans = new BanList({ clock, isTrusted: (a) => cidrContains(trusted, a), ...extra });
  const banned: Ban[] = [];
  bans.on('ban', (b) => banned.push(b));
  return { clock, bans, banned };
}

describe('BanList', () => {
  it('bans after 5 failures in 600 s, for 600 s', () => {
    const { clock, bans, banned } = setup();
    for (let i = 0; i < 4; i++) {
      expect(bans.recordFailure('203.0.113.5', 'bad-response')).toBeUndefined();
      clock.advance(100_000);
    }
    expect(bans.isBanned('203.0.113.5')).toBe(false);
    const ban = bans.recordFailure('203.0.113.5', 'bad-response');
    expect(ban).toMatchObject({ address: '203.0.113.5', until: clock.now() + 600_000 });
    expect(banned).toHaveLength(1);
    expect(bans.isBanned('203.0.113.5')).toBe(true);
    expect(bans.isBanned('::ffff:203.0.113.5')).toBe(true);
    expect(bans.isBanned('203.0.113.6')).toBe(false);
    clock.advance(599_999);
    expect(bans.isBanned('203.0.113.5')).toBe(true);
    clock.advance(1);
    expect(bans.isBanned('203.0.113.5')).toBe(false);
    expect(bans.list()).toEqual([]);
  });

  it('forgets failures older than the window', () => {
    const { clock, bans } = setup();
    for (let i = 0; i < 10; i++) {
      bans.recordFailure('203.0.113.5', 'bad-response');
      clock.advance(150_001); // 5 failures never fit in 600 s
    }
    expect(bans.isBanned('203.0.113.5')).toBe(false);
  });

  it('never bans trusted sources, automatically or by hand', () => {
    const { bans, banned } = setup();
    for (let i = 0; i < 20; i++) bans.recordFailure('10.1.2.3', 'bad-response');
    expect(bans.ban('10.1.2.3', 60, 'manual')).toBeUndefined();
    expect(bans.isBanned('10.1.2.3')).toBe(false);
    expect(banned).toEqual([]);
    expect(bans.trackedSources).toBe(0);
  });

  it('bans, lists and lifts by hand, IPv6 in canonical form', () => {
    const { clock, bans, banned } = setup();
    const lifted: string[] = [];
    bans.on('lift', (l) => lifted.push(l.address));
    bans.ban('2001:DB8:0:0::1', 60, 'manual');
    bans.ban('198.51.100.1', 30, 'manual');
    expect(bans.list().map((b) => b.address)).toEqual(['198.51.100.1', '2001:db8::1']);
    expect(bans.isBanned('2001:db8::1')).toBe(true);
    expect(bans.lift('[2001:db8::1]')).toBe(true);
    expect(bans.lift('2001:db8::1')).toBe(false);
    expect(lifted).toEqual(['2001:db8::1']);
    expect(bans.isBanned('2001:db8::1')).toBe(false);
    clock.advance(30_000);
    expect(bans.size).toBe(0);
    expect(banned).toHaveLength(2);
  });

  it('takes new thresholds without losing state', () => {
    const { bans } = setup();
    bans.recordFailure('192.0.2.1', 'x');
    bans.recordFailure('192.0.2.1', 'x');
    bans.configure({ failures: 3, banSeconds: 5 });
    expect(bans.recordFailure('192.0.2.1', 'x')?.until).toBeDefined();
  });

  it('stays bounded under a flood of distinct addresses', () => {
    const { clock, bans } = setup({ maxTrackedSources: 100, maxBans: 50 });
    for (let i = 0; i < 10_000; i++) bans.recordFailure(`198.51.${(i >> 8) & 255}.${i & 255}`, 'x');
    expect(bans.trackedSources).toBe(100);
    for (let i = 0; i < 500; i++) bans.ban(`2001:db8::${i.toString(16)}`, 60, 'x');
    expect(bans.size).toBe(50);
    // A source still failing within the cap is banned as usual.
    for (let i = 0; i < 5; i++) bans.recordFailure('203.0.113.77', 'x');
    expect(bans.isBanned('203.0.113.77')).toBe(true);
    // Idle trackers go once their window has passed.
    clock.advance(600_001);
    bans.recordFailure('203.0.113.1', 'x');
    expect(bans.trackedSources).toBe(1);
  });

  it('contains a throwing listener', () => {
    const errors: unknown[] = [];
    const { bans } = setup({ onListenerError: (e) => errors.push(e) });
    bans.on('ban', () => {
      throw new Error('disk full');
    });
    expect(bans.ban('192.0.2.9', 10, 'x')).toBeDefined();
    expect(errors).toHaveLength(1);
    expect(bans.isBanned('192.0.2.9')).toBe(true);
  });

  it('ignores what is not an address', () => {
    const { bans } = setup();
    expect(bans.recordFailure('not-an-ip', 'x')).toBeUndefined();
    expect(bans.ban('not-an-ip', 10, 'x')).toBeUndefined();
    expect(bans.isBanned('not-an-ip')).toBe(false);
  });
});
