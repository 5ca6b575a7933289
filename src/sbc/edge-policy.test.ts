import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger, ManualClock } from '../core/index.js';
import type { Ban } from './ban-list.js';
import { EdgePolicy, type EdgePolicyConfigInput } from './edge-policy.js';

function setup(config: EdgePolicyConfigInput = {}, extra: { maxTrackedSources?: number } = {}) {
  const clock = new ManualClock();
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const policy = new EdgePolicy({ clock, logger: createLogger('debug', sink), config, ...extra });
  const bans: Ban[] = [];
  policy.onBan((b) => bans.push(b));
  return { clock, policy, lines, bans };
}

function send(policy: EdgePolicy, address: string, n: number): number {
  let accepted = 0;
  for (let i = 0; i < n; i++) if (policy.acceptSource(address)) accepted++;
  return accepted;
}

describe('EdgePolicy', () => {
  it('limits each source to 16 requests per 2 s by default and counts drops', () => {
    const { clock, policy } = setup();
    expect(send(policy, '198.51.100.1', 20)).toBe(16);
    expect(send(policy, '198.51.100.2', 16)).toBe(16);
    clock.advance(2000);
    expect(send(policy, '198.51.100.1', 16)).toBe(16);
    expect(policy.stats()).toMatchObject({ accepted: 48, dropped: { flood: 4 } });
  });

  it('bans after 5 failed authentications, logging the source, and lifts after 600 s', () => {
    const { clock, policy, lines, bans } = setup();
    for (let i = 0; i < 4; i++) expect(policy.authFailed('203.0.113.9', { reason: 'bad-response', username: '1001' })).toBeUndefined();
    expect(policy.acceptSource('203.0.113.9')).toBe(true);
    expect(policy.authFailed('203.0.113.9', { reason: 'unknown-user', username: 'admin' })).toBeDefined();
    expect(bans.map((b) => b.address)).toEqual(['203.0.113.9']);
    expect(policy.acceptSource('203.0.113.9')).toBe(false);
    expect(policy.acceptSource('::ffff:203.0.113.9')).toBe(false);
    expect(policy.stats().dropped.banned).toBe(2);
    expect(policy.stats().activeBans).toBe(1);
    const failures = lines.filter((l) => l.msg === 'authentication failed');
    expect(failures).toHaveLength(5);
    expect(failures[4]).toMatchObject({ address: '203.0.113.9', reason: 'unknown-user', username: 'admin', level: 40 });
    expect(lines.some((l) => l.msg === 'source banned' && l.address === '203.0.113.9')).toBe(true);
    clock.advance(600_000);
    expect(policy.acceptSource('203.0.113.9')).toBe(true);
  });

  it('keeps legitimate sources at full rate while another is banned and flooding', () => {
    const { clock, policy } = setup();
    policy.bans.ban('203.0.113.66', 600, 'test');
    for (let window = 0; window < 10; window++) {
      expect(send(policy, '203.0.113.66', 1000)).toBe(0);
      expect(send(policy, '198.51.100.10', 16)).toBe(16);
      expect(send(policy, '2001:db8::10', 16)).toBe(16);
      clock.advance(2000);
    }
    expect(policy.stats().dropped.banned).toBe(10_000);
    expect(policy.stats().dropped.flood).toBe(0);
  });

  it('bans a source that keeps flooding', () => {
    const { clock, policy, bans } = setup({ flood: { banAfterWindows: 3 } });
    for (let window = 0; window < 3; window++) {
      send(policy, '2001:db8::bad', 100);
      clock.advance(2000);
    }
    expect(bans).toHaveLength(1);
    expect(bans[0]).toMatchObject({ address: '2001:db8::bad' });
    expect(bans[0]!.reason).toMatch(/^flood/);
    expect(policy.acceptSource('2001:db8:0::bad')).toBe(false);
    // The ban starts on the 17th request of the third window: the other 83 of it and the last one drop as banned.
    expect(policy.stats().dropped.banned).toBe(84);
  });

  it('exempts trusted networks from flood limits and bans, but not from deny', () => {
    const { policy, bans } = setup({ trusted: ['127.0.0.1/32', '10.0.0.0/8', '2001:db8:1::/48'], deny: ['10.6.6.6'] });
    expect(send(policy, '10.1.2.3', 1000)).toBe(1000);
    expect(send(policy, '2001:db8:1::7', 1000)).toBe(1000);
    for (let i = 0; i < 20; i++) policy.authFailed('10.1.2.3', { reason: 'bad-response' });
    expect(policy.bans.ban('10.1.2.3', 60, 'manual')).toBeUndefined();
    expect(bans).toEqual([]);
    expect(policy.acceptSource('10.1.2.3')).toBe(true);
    expect(policy.acceptSource('10.6.6.6')).toBe(false);
    expect(policy.stats().dropped.deny).toBe(1);
    expect(policy.isTrusted('::ffff:10.9.9.9')).toBe(true);
  });

  it('with an allow list, drops everyone else', () => {
    const { policy } = setup({ allow: ['198.51.100.0/24'], trusted: ['192.0.2.1'] });
    expect(policy.acceptSource('198.51.100.5')).toBe(true);
    expect(policy.acceptSource('192.0.2.1')).toBe(true);
    expect(policy.acceptSource('203.0.113.1')).toBe(false);
    expect(policy.acceptSource('not an address')).toBe(false);
    expect(policy.stats().dropped).toMatchObject({ 'not-allowed': 1, 'bad-address': 1 });
  });

  it('drops scanner User-Agents, banning them only when configured', () => {
    const { policy } = setup();
    expect(policy.inspectRequest({ address: '203.0.113.1', userAgent: 'friendly-scanner' })).toBe('drop');
    expect(policy.inspectRequest({ address: '203.0.113.1', userAgent: 'Linphone/5.2' })).toBe('accept');
    expect(policy.inspectRequest({ address: '203.0.113.1' })).toBe('accept');
    expect(policy.acceptSource('203.0.113.1')).toBe(true);
    expect(policy.stats().dropped.scanner).toBe(1);

    const banning = setup({ banScanners: true, scannerUserAgents: ['evil'] });
    expect(banning.policy.inspectRequest({ address: '203.0.113.2', userAgent: 'friendly-scanner' })).toBe('accept');
    expect(banning.policy.inspectRequest({ address: '203.0.113.2', userAgent: 'EVIL 1.0' })).toBe('drop');
    expect(banning.policy.acceptSource('203.0.113.2')).toBe(false);
  });

  it('takes a new configuration while running, keeping bans', () => {
    const { policy } = setup();
    policy.bans.ban('203.0.113.50', 600, 'test');
    expect(policy.acceptSource('198.51.100.1')).toBe(true);
    policy.update({ deny: ['198.51.100.0/24'], flood: { requests: 2 } });
    expect(policy.acceptSource('198.51.100.1')).toBe(false);
    expect(send(policy, '192.0.2.1', 5)).toBe(2);
    expect(policy.bans.isBanned('203.0.113.50')).toBe(true);
    expect(policy.acceptSource('203.0.113.50')).toBe(false);
    // Trusting a banned address lets it through at once.
    policy.update({ trusted: ['203.0.113.0/24'] });
    expect(policy.acceptSource('203.0.113.50')).toBe(true);
    expect(policy.currentConfig().flood.requests).toBe(16);
  });

  it('refuses a bad configuration, naming the fields, and keeps the old one', () => {
    const { policy } = setup({ deny: ['192.0.2.1'] });
    let error: unknown;
    try {
      policy.update({ trusted: ['10.0.0.0/8', '300.1.1.1'], bans: { failures: 0 } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['security.bans.failures']);
    try {
      policy.update({ trusted: ['10.0.0.0/8', '300.1.1.1'] });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['security.trusted[1]']);
    expect(policy.acceptSource('192.0.2.1')).toBe(false);
    expect(() => setup({ flood: { requests: -1 } })).toThrow(ConfigError);
  });

  it('stays bounded under a flood of distinct sources', () => {
    const { policy } = setup({}, { maxTrackedSources: 500 });
    for (let i = 0; i < 5000; i++) {
      const address = `2001:db8::${i.toString(16)}`;
      policy.acceptSource(address);
      policy.authFailed(address, { reason: 'bad-response' });
    }
    const stats = policy.stats();
    expect(stats.trackedFloodSources).toBeLessThanOrEqual(500);
    expect(stats.trackedFailureSources).toBeLessThanOrEqual(500);
    expect(stats.accepted).toBe(5000);
  });
});
