import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha1 } from './hmac-sha1.js';

describe('HmacSha1', () => {
  it('equals node:crypto HMAC-SHA1 for short and long keys, one or two parts', () => {
    for (const keyLen of [20, 64, 100]) {
      const key = Buffer.alloc(keyLen, 7);
      const h = new HmacSha1(key);
      const a = Buffer.from('the authenticated portion');
      const b = Buffer.from([0, 0, 0, 1]);
      expect(h.digest(a, b)).toEqual(createHmac('sha1', key).update(a).update(b).digest());
      // Reusable: a second digest does not see the first one's data.
      expect(h.digest(a)).toEqual(createHmac('sha1', key).update(a).digest());
    }
  });
});
