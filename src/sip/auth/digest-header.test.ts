import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isParseError } from '../message/types.js';
import {
  formatDigestChallenge,
  formatDigestCredentials,
  parseAuthParams,
  parseDigestChallenge,
  parseDigestCredentials,
  type DigestChallenge,
  type DigestCredentials,
} from './digest-header.js';

describe('digest header parsing', () => {
  it('parses a challenge with quoted commas, odd spacing and unknown params', () => {
    const c = parseDigestChallenge(
      '  digest realm = "atende.local" ,, nonce="a,b\\"c" ,opaque=xyz,algorithm=sha-256, ' +
        'qop="auth, auth-int", stale=TRUE, x-vendor="hello, world"',
    );
    if (isParseError(c)) throw new Error(c.reason);
    expect(c.realm).toBe('atende.local');
    expect(c.nonce).toBe('a,b"c');
    expect(c.opaque).toBe('xyz');
    expect(c.algorithm).toBe('sha-256');
    expect(c.qop).toEqual(['auth', 'auth-int']);
    expect(c.stale).toBe(true);
    expect(c.params['x-vendor']).toBe('hello, world');
  });

  it('parses credentials with an unquoted uri and nc', () => {
    const c = parseDigestCredentials(
      'Digest username="1001",realm="atende.local",nonce="n",uri=sip:atende.local,response="ABC",qop=auth,nc=00000001,cnonce="x"',
    );
    if (isParseError(c)) throw new Error(c.reason);
    expect(c).toMatchObject({ username: '1001', uri: 'sip:atende.local', response: 'ABC', qop: 'auth', nc: '00000001' });
  });

  it.each([
    ['', 'no scheme'],
    ['Basic dXNlcjpwYXNz', 'not Digest'],
    ['Digest realm="x", nonce="unterminated', 'unterminated'],
    ['Digest realm="a", realm="b", nonce="n"', 'duplicate'],
    ['Digest realm', 'no value'],
    ['Digest realm="a" nonce="n"', 'missing comma'],
    ['Digest nonce="n"', 'no realm'],
  ])('rejects %j (%s) with a ParseError', (value) => {
    expect(isParseError(parseDigestChallenge(value))).toBe(true);
  });

  it('requires the five mandatory credential fields', () => {
    expect(isParseError(parseDigestCredentials('Digest username="a", realm="r", nonce="n", uri="sip:x"'))).toBe(true);
  });

  it('keeps "__proto__" as a plain parameter', () => {
    const r = parseAuthParams('Digest __proto__="x", realm="r"');
    if (isParseError(r)) throw new Error(r.reason);
    expect(r.params['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(r.params)).toBeNull();
  });

  it('refuses over-long values', () => {
    expect(isParseError(parseDigestChallenge(`Digest realm="${'a'.repeat(10_000)}", nonce="n"`))).toBe(true);
  });

  it('never throws on random input', () => {
    const alphabet = fc.constantFrom(...'Digest realm=nonce"\\, \t=abcqop'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: alphabet, maxLength: 80 })), (s) => {
        expect(() => parseDigestChallenge(s)).not.toThrow();
        expect(() => parseDigestCredentials(s)).not.toThrow();
        expect(() => parseDigestChallenge(`Digest ${s}`)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  const quotedValue = fc.string({ minLength: 1, maxLength: 30 });
  it('round-trips challenges through format and parse', () => {
    fc.assert(
      fc.property(quotedValue, quotedValue, quotedValue, fc.boolean(), (realm, nonce, opaque, stale) => {
        const c: Omit<DigestChallenge, 'scheme' | 'params'> = {
          realm,
          nonce,
          opaque,
          stale,
          algorithm: 'SHA-256',
          qop: ['auth'],
        };
        const parsed = parseDigestChallenge(formatDigestChallenge(c));
        if (isParseError(parsed)) throw new Error(parsed.reason);
        expect(parsed).toMatchObject(c);
      }),
    );
  });

  it('round-trips credentials through format and parse', () => {
    fc.assert(
      fc.property(quotedValue, quotedValue, quotedValue, (username, realm, uri) => {
        const c: Omit<DigestCredentials, 'scheme' | 'params'> = {
          username,
          realm,
          nonce: 'n0',
          uri,
          response: 'abcdef',
          algorithm: 'MD5',
          cnonce: 'c"n\\',
          qop: 'auth',
          nc: '0000000a',
        };
        const parsed = parseDigestCredentials(formatDigestCredentials(c));
        if (isParseError(parsed)) throw new Error(parsed.reason);
        expect(parsed).toMatchObject(c);
      }),
    );
  });
});

/** The character-at-a-time scanner parseAuthParams replaced, kept as the behaviour reference. */
function referenceParseAuthParams(value: string): { scheme: string; params: Record<string, string> } | string {
  const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  const tokenChar = /^[A-Za-z0-9\-.!%*_+`'~]$/;
  if (value.length > 8192) return 'too long';
  let i = 0;
  const n = value.length;
  const skipSpace = (): void => {
    while (i < n && isSpace(value[i]!)) i++;
  };
  skipSpace();
  const schemeStart = i;
  while (i < n && tokenChar.test(value[i]!)) i++;
  const scheme = value.slice(schemeStart, i);
  if (scheme.length === 0) return 'no scheme';
  if (i < n && !isSpace(value[i]!)) return 'after scheme';
  const params = Object.create(null) as Record<string, string>;
  let count = 0;
  for (;;) {
    while (i < n && (isSpace(value[i]!) || value[i] === ',')) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && tokenChar.test(value[i]!)) i++;
    const name = value.slice(nameStart, i).toLowerCase();
    if (name.length === 0) return 'name';
    skipSpace();
    if (value[i] !== '=') return 'no value';
    i++;
    skipSpace();
    let paramValue: string;
    if (value[i] === '"') {
      i++;
      let out = '';
      let closed = false;
      while (i < n) {
        const c = value[i]!;
        if (c === '\\' && i + 1 < n) {
          out += value[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          out += c;
          i++;
        }
      }
      if (!closed) return 'unterminated';
      paramValue = out;
    } else {
      const start = i;
      while (i < n && !isSpace(value[i]!) && value[i] !== ',' && value[i] !== '"') i++;
      paramValue = value.slice(start, i);
      if (paramValue.length === 0) return 'empty';
    }
    if (Object.prototype.hasOwnProperty.call(params, name)) return 'duplicate';
    if (++count > 64) return 'too many';
    params[name] = paramValue;
    skipSpace();
    if (i < n && value[i] !== ',') return 'comma';
  }
  return { scheme, params };
}

describe('parseAuthParams single-pass scanner', () => {
  it('accepts and rejects exactly what the character-at-a-time reference did, with the same values', () => {
    const alphabet = fc.constantFrom(...'Digest realm=nonce"\\\\, \t\r\n=abcqop__proto__'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 80 })), (s) => {
        const got = parseAuthParams(s);
        const want = referenceParseAuthParams(s);
        if (typeof want === 'string') expect(isParseError(got)).toBe(true);
        else {
          expect(isParseError(got)).toBe(false);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('removes quoted-pair escapes and keeps the escaped character', () => {
    const p = parseAuthParams('Digest a="x\\"y\\\\z\\q", b="\\"", c=""');
    if (isParseError(p)) throw new Error(p.reason);
    expect(p.params).toEqual({ a: 'x"y\\zq', b: '"', c: '' });
  });
});
