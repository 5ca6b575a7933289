import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha1 } from './hmac-sha1.js';

describe('HmacSha1', () => {
  it('matches RFC 2202 test case 2', () => {
    const h = new HmacSha1(Buffer.from('Jefe'));
    expect(h.digest(Buffer.from('what do ya want for nothing?')).toString('hex'))
      .toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });

  it('equals node:crypto HMAC-SHA1 for any key, data split and length (across block edges)', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 100 }),
      fc.uint8Array({ minLength: 0, maxLength: 300 }),
      fc.uint8Array({ minLength: 0, maxLength: 70 }),
      (key, a, b) => {
        const expected = createHmac('sha1', key).update(a).update(b).digest();
        const h = new HmacSha1(Buffer.from(key));
        expect(h.digest(a, b)).toEqual(expected);
        expect(h.digest(a, b)).toEqual(expected); // reusable
      },
    ), { numRuns: 500 });
    for (let n = 0; n < 200; n++) {
      const data = Buffer.alloc(n, n);
      expect(new HmacSha1(Buffer.alloc(20, 9)).digest(data, Buffer.from([0, 0, 0, 1])))
        .toEqual(createHmac('sha1', Buffer.alloc(20, 9)).update(data).update(Buffer.from([0, 0, 0, 1])).digest());
    }
  });
});
