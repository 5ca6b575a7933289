import { describe, expect, it } from 'vitest';
import { formatIpv6Groups } from './ipv6-text.js';

describe('formatIpv6Groups (RFC 5952 section 4)', () => {
  it('drops leading zeros and writes hex in lower case (4.1, 4.3)', () => {
    expect(formatIpv6Groups([0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0xabcd])).toBe('2001:db8:aaaa:bbbb:cccc:dddd:eeee:abcd');
  });

  it('compresses the longest run of zero groups, the first on a tie, never a single one (4.2)', () => {
    expect(formatIpv6Groups([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])).toBe('2001:db8::1');
    expect(formatIpv6Groups([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6Groups([0x2001, 0, 0, 1, 0, 0, 0, 1])).toBe('2001:0:0:1::1');
    expect(formatIpv6Groups([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
  });

  it('writes the unspecified and loopback addresses and runs at either end', () => {
    expect(formatIpv6Groups([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(formatIpv6Groups([0, 0, 0, 0, 0, 0, 0, 1])).toBe('::1');
    expect(formatIpv6Groups([0xfe80, 0, 0, 0, 0, 0, 0, 0])).toBe('fe80::');
  });
});
