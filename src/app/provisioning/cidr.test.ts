import { describe, expect, it } from 'vitest';
import { checkCidr } from './cidr.js';

describe('checkCidr', () => {
  it.each(['10.0.0.0/8', '127.0.0.1/32', '0.0.0.0/0', '192.0.2.7', '2001:db8::/32', '::1/128', '::/0', 'fe80::1', '::ffff:10.0.0.0/104'])(
    'accepts %s',
    (text) => expect(checkCidr(text)).toEqual({ ok: true }),
  );

  it.each([
    ['10.0.0.0/33', 'invalid prefix length (0 to 32 for IPv4)'],
    ['10.0.0/8', 'is not an address block'],
    ['2001:db8::/129', 'invalid prefix length (0 to 128 for IPv6)'],
    ['10.0.0.0/', 'invalid prefix length'],
    ['10.0.0.0/-1', 'invalid prefix length'],
    ['example.com/24', 'is not an address block'],
    ['', 'is not an address block'],
  ])('rejects %s', (text, message) => {
    const r = checkCidr(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(message);
  });

  it('names the block meant when host bits are set', () => {
    expect(checkCidr('10.1.2.3/8')).toEqual({ ok: false, message: '"10.1.2.3/8" has host bits set; did you mean 10.0.0.0/8?' });
    expect(checkCidr('192.168.1.130/25')).toMatchObject({ message: expect.stringContaining('192.168.1.128/25') });
    expect(checkCidr('2001:db8::1/32')).toMatchObject({ message: expect.stringContaining('did you mean 2001:db8::/32?') });
    expect(checkCidr('::ffff:10.1.0.0/104')).toMatchObject({ ok: false });
    expect(checkCidr('64:ff9b::192.0.2.0/120')).toEqual({ ok: true });
    expect(checkCidr('64:ff9b::192.0.2.1/120')).toMatchObject({ message: expect.stringContaining('64:ff9b::c000:200/120') });
    expect(checkCidr('1:2:3:4:5:6:7:9/127')).toMatchObject({ message: expect.stringContaining('1:2:3:4:5:6:7:8/127?') });
  });
});
