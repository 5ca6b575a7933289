import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/index.js';
import { AccessList } from './access-list.js';
import { parseIpAddress } from './cidr.js';

const check = (list: AccessList, address: string) => list.check(parseIpAddress(address)!);

describe('AccessList', () => {
  it('passes everyone when allow is empty, except deny', () => {
    const list = new AccessList({ trusted: [], allow: [], deny: ['203.0.113.0/24', '2001:db8:bad::/48'] });
    expect(check(list, '198.51.100.1')).toBe('pass');
    expect(check(list, '203.0.113.9')).toBe('deny');
    expect(check(list, '::ffff:203.0.113.9')).toBe('deny');
    expect(check(list, '2001:db8:bad::1')).toBe('deny');
  });

  it('with a non-empty allow list, passes only allowed or trusted sources', () => {
    const list = new AccessList({ trusted: ['10.0.0.0/8'], allow: ['198.51.100.0/24'], deny: [] });
    expect(check(list, '198.51.100.7')).toBe('pass');
    expect(check(list, '10.1.1.1')).toBe('pass');
    expect(check(list, '192.0.2.1')).toBe('not-allowed');
  });

  it('deny wins over allow and trusted', () => {
    const list = new AccessList({ trusted: ['10.0.0.0/8'], allow: ['10.0.0.0/8'], deny: ['10.6.6.6'] });
    expect(check(list, '10.6.6.6')).toBe('deny');
    expect(list.isTrusted(parseIpAddress('10.6.6.7')!)).toBe(true);
  });

  it('names every bad entry in a ConfigError', () => {
    try {
      new AccessList({ trusted: ['10.0.0.0/8', 'bogus'], allow: [], deny: ['1.2.3.4/40'] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).issues.map((i) => i.path)).toEqual(['security.trusted[1]', 'security.deny[0]']);
    }
  });
});
