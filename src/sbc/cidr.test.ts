import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIpAddress, CidrSet, cidrContains, formatCidr, parseCidr, parseIpAddress } from './cidr.js';

const contains = (cidr: string, address: string): boolean => {
  const c = parseCidr(cidr);
  const a = parseIpAddress(address);
  if (!c || !a) throw new Error(`bad test input ${cidr} ${address}`);
  return cidrContains(c, a);
};

describe('addresses', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['::ffff:1.2.3.4', '1.2.3.4'],
    ['::FFFF:0102:0304', '1.2.3.4'],
    ['[2001:DB8:0:0:0:0:0:1]', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('%s is %s', (input, canonical) => {
    expect(canonicalIpAddress(input)).toBe(canonical);
  });

  it.each(['', '1.2.3', '1.2.3.256', '01.2.3.4', '1::2::3', '12345::', 'host.example', '1:2:3:4:5:6:7:8:9', '1.2.3.4::'])(
    'refuses %j',
    (input) => {
      expect(parseIpAddress(input)).toBeUndefined();
    },
  );

  it('canonical IPv6 spellings parse back to the same address', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        const a = parseIpAddress(text);
        expect(a).toBeDefined();
        expect(parseIpAddress(canonicalIpAddress(text)!)).toEqual(a);
      }),
    );
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => parseIpAddress(s)).not.toThrow();
        expect(() => parseCidr(s)).not.toThrow();
      }),
    );
  });
});

describe('CIDR blocks', () => {
  it('tests IPv4 membership at the prefix boundary', () => {
    expect(contains('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(contains('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(contains('192.168.1.128/25', '192.168.1.127')).toBe(false);
    expect(contains('192.168.1.128/25', '192.168.1.200')).toBe(true);
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(contains('0.0.0.0/0', '2001:db8::1')).toBe(false);
  });

  it('tests IPv6 membership', () => {
    expect(contains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(contains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(contains('2001:db8:1:2::/64', '2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(true);
    expect(contains('::1', '::1')).toBe(true);
  });

  it('matches IPv4-mapped addresses and blocks as IPv4', () => {
    expect(contains('10.0.0.0/8', '::ffff:10.1.2.3')).toBe(true);
    expect(contains('::ffff:10.0.0.0/104', '10.9.9.9')).toBe(true);
    expect(formatCidr(parseCidr('::ffff:10.0.0.0/104')!)).toBe('10.0.0.0/8');
  });

  it('clears host bits and treats a bare address as a host block', () => {
    expect(formatCidr(parseCidr('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(formatCidr(parseCidr('1.2.3.4')!)).toBe('1.2.3.4/32');
    expect(formatCidr(parseCidr('2001:db8::1')!)).toBe('2001:db8::1/128');
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0.0/', '10.0.0.0/x', 'nope/8', '[::1]/128'])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('CidrSet finds hosts and blocks', () => {
    const set = new CidrSet(['1.2.3.4', '10.0.0.0/8', '2001:db8::/32'].map((c) => parseCidr(c)!));
    expect(set.size).toBe(3);
    for (const yes of ['1.2.3.4', '::ffff:1.2.3.4', '10.3.3.3', '2001:db8::5']) expect(set.has(parseIpAddress(yes)!)).toBe(true);
    for (const no of ['1.2.3.5', '11.0.0.1', '2001:db9::5']) expect(set.has(parseIpAddress(no)!)).toBe(false);
  });
});
