import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../core/index.js';
import { isParseError } from '../message/types.js';
import { DigestAuthenticator } from './digest-authenticator.js';
import { digestClientAuthorization, selectDigestChallenge } from './digest-client.js';
import { parseDigestChallenge, parseDigestCredentials, type DigestChallenge } from './digest-header.js';
import { digestHa1, digestResponse, type DigestAlgorithm } from './digest-hash.js';

const realm = 'atende.local';
const uri = 'sip:atende.local';
const users: Record<string, string> = { '1001': 's3cret-1001', '1002': 'other' };

function lookupHa1(username: string, r: string, algorithm: DigestAlgorithm): string | undefined {
  const password = users[username];
  return password === undefined ? undefined : digestHa1(algorithm, username, r, password);
}

function setup(options: Partial<ConstructorParameters<typeof DigestAuthenticator>[0]> = {}) {
  const clock = new ManualClock();
  const server = new DigestAuthenticator({ clock, random: seededRandom(7), secret: 'server-secret', ...options });
  return { clock, server };
}

function parsedChallenges(values: string[]): DigestChallenge[] {
  return values.map((v) => {
    const c = parseDigestChallenge(v);
    if (isParseError(c)) throw new Error(c.reason);
    return c;
  });
}

function answer(challenge: DigestChallenge, nc = 1, password = users['1001']!, username = '1001') {
  return parseDigestCredentials(
    digestClientAuthorization({ challenge, method: 'REGISTER', uri, username, password, cnonce: 'cn0nce', nc }),
  );
}

describe('RFC 7616 section 3.9.1 vectors', () => {
  const base = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  const ha1 = (a: DigestAlgorithm): string => digestHa1(a, 'Mufasa', 'http-auth@example.org', 'Circle of Life');

  it('MD5', () => {
    expect(digestResponse({ ...base, algorithm: 'MD5', ha1: ha1('MD5') })).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('SHA-256', () => {
    expect(digestResponse({ ...base, algorithm: 'SHA-256', ha1: ha1('SHA-256') })).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('MD5 and SHA-256 in turn over the same method and URI (the remembered H(A2) is per algorithm)', () => {
    for (let i = 0; i < 3; i++) {
      expect(digestResponse({ ...base, algorithm: 'SHA-256', ha1: ha1('SHA-256') })).toBe(
        '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      );
      expect(digestResponse({ ...base, algorithm: 'MD5', ha1: ha1('MD5') })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    }
  });

  it('the client produces the RFC response for the RFC challenge', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
        'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    );
    if (isParseError(challenge)) throw new Error(challenge.reason);
    const header = digestClientAuthorization({
      challenge,
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle of Life',
      cnonce: base.cnonce,
      nc: 1,
    });
    const c = parseDigestCredentials(header);
    if (isParseError(c)) throw new Error(c.reason);
    expect(c.response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(c).toMatchObject({ qop: 'auth', nc: '00000001', opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS' });
  });
});

describe('DigestAuthenticator', () => {
  it('challenges SHA-256 first by default, or in the order asked, with qop=auth and an opaque', () => {
    const { server } = setup();
    expect(parsedChallenges(server.challenge({ realm })).map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    const cs = parsedChallenges(server.challenge({ realm, algorithms: ['MD5', 'SHA-256'] }));
    expect(cs.map((c) => c.algorithm)).toEqual(['MD5', 'SHA-256']);
    for (const c of cs) {
      expect(c).toMatchObject({ realm, qop: ['auth'], stale: false });
      expect(c.opaque).toBeTruthy();
    }
    expect(cs[0]!.nonce).not.toBe(cs[1]!.nonce);
    expect(parsedChallenges(server.challenge({ realm, stale: true }))[0]!.stale).toBe(true);
  });

  it.each(['SHA-256', 'MD5'] as const)('accepts a correct %s answer (client round trip)', async (algorithm) => {
    const { server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm, algorithms: [algorithm] }))[0]!;
    const result = await server.verify({ method: 'REGISTER', credentials: answer(challenge), lookupHa1, realm, uri });
    expect(result).toEqual({ ok: true, username: '1001', algorithm });
  });

  it('a client picks the first supported challenge, and the server accepts it', async () => {
    const { server } = setup();
    const challenges = parsedChallenges(server.challenge({ realm }));
    const unknown = { ...challenges[0]!, algorithm: 'SHA-512-256' };
    const picked = selectDigestChallenge([unknown, ...challenges]);
    expect(picked?.algorithm).toBe('SHA-256');
    expect((await server.verify({ method: 'REGISTER', credentials: answer(picked!), lookupHa1 })).ok).toBe(true);
  });

  it('verifies nonces after a restart with the same secret, not with another', async () => {
    const { clock, server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    const restarted = new DigestAuthenticator({ clock, random: seededRandom(99), secret: 'server-secret' });
    expect((await restarted.verify({ method: 'REGISTER', credentials: answer(challenge), lookupHa1 })).ok).toBe(true);
    const other = new DigestAuthenticator({ clock, random: seededRandom(99), secret: 'another-secret' });
    expect(await other.verify({ method: 'REGISTER', credentials: answer(challenge), lookupHa1 })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('answers stale after the nonce lifetime, and bad-response when the digest is also wrong', async () => {
    const { clock, server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    clock.advance(299_000);
    expect((await server.verify({ method: 'REGISTER', credentials: answer(challenge, 1), lookupHa1 })).ok).toBe(true);
    clock.advance(2_000);
    expect(await server.verify({ method: 'REGISTER', credentials: answer(challenge, 2), lookupHa1 })).toEqual({
      ok: false,
      reason: 'stale',
      username: '1001',
    });
    expect(
      await server.verify({ method: 'REGISTER', credentials: answer(challenge, 3, 'guess'), lookupHa1 }),
    ).toMatchObject({ ok: false, reason: 'bad-response' });
  });

  it('honours a configured nonce lifetime', async () => {
    const { clock, server } = setup({ nonceLifetimeSeconds: 10 });
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    clock.advance(11_000);
    expect(await server.verify({ method: 'REGISTER', credentials: answer(challenge), lookupHa1 })).toMatchObject({
      reason: 'stale',
    });
  });

  it('rejects a reused or lower nonce count as replay, accepts higher ones', async () => {
    const { server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    const verify = (nc: number) => server.verify({ method: 'REGISTER', credentials: answer(challenge, nc), lookupHa1 });
    expect((await verify(1)).ok).toBe(true);
    expect(await verify(1)).toMatchObject({ ok: false, reason: 'replay' });
    expect((await verify(3)).ok).toBe(true);
    expect(await verify(2)).toMatchObject({ ok: false, reason: 'replay' });
    expect((await verify(4)).ok).toBe(true);
  });

  it('keeps the nonce-count table bounded and answers stale for evicted nonces (never accepting a replay)', async () => {
    const { clock, server } = setup({ maxTrackedNonces: 3 });
    const challenges = [];
    for (let i = 0; i < 5; i++) {
      challenges.push(parsedChallenges(server.challenge({ realm }))[0]!);
      clock.advance(1);
    }
    for (const c of challenges) {
      expect((await server.verify({ method: 'REGISTER', credentials: answer(c), lookupHa1 })).ok).toBe(true);
    }
    expect(server.trackedNonces).toBe(3);
    // The first nonce was evicted: its replay must not pass.
    expect(await server.verify({ method: 'REGISTER', credentials: answer(challenges[0]!), lookupHa1 })).toMatchObject({
      reason: 'stale',
    });
    expect(await server.verify({ method: 'REGISTER', credentials: answer(challenges[4]!), lookupHa1 })).toMatchObject({
      reason: 'replay',
    });
  });

  it('evicts nonces once expired', async () => {
    const { clock, server } = setup();
    for (let i = 0; i < 10; i++) {
      const c = parsedChallenges(server.challenge({ realm }))[0]!;
      await server.verify({ method: 'REGISTER', credentials: answer(c), lookupHa1 });
    }
    expect(server.trackedNonces).toBe(10);
    clock.advance(400_000);
    const c = parsedChallenges(server.challenge({ realm }))[0]!;
    await server.verify({ method: 'REGISTER', credentials: answer(c), lookupHa1 });
    expect(server.trackedNonces).toBe(1);
  });

  it('reports wrong password, unknown user, realm, uri, and missing credentials', async () => {
    const { server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    const verify = (credentials: ReturnType<typeof answer> | undefined, extra = {}) =>
      server.verify({ method: 'REGISTER', credentials, lookupHa1, realm, uri, ...extra });
    expect(await verify(answer(challenge, 1, 'wrong'))).toMatchObject({ reason: 'bad-response', username: '1001' });
    expect(await verify(answer(challenge, 1, 'x', 'nobody'))).toMatchObject({ reason: 'unknown-user' });
    expect(await verify(undefined)).toEqual({ ok: false, reason: 'no-credentials' });
    expect(await verify(answer(challenge), { realm: 'other.realm' })).toMatchObject({ reason: 'bad-realm' });
    expect(await verify(answer(challenge), { uri: 'sip:elsewhere' })).toMatchObject({ reason: 'bad-uri' });
    // Wrong method: the digest covers it.
    expect(
      await server.verify({ method: 'INVITE', credentials: answer(challenge), lookupHa1 }),
    ).toMatchObject({ reason: 'bad-response' });
  });

  it('accepts an async HA1 lookup', async () => {
    const { server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    const result = await server.verify({
      method: 'REGISTER',
      credentials: answer(challenge),
      lookupHa1: async (u, r, a) => lookupHa1(u, r, a)?.toUpperCase(),
    });
    expect(result.ok).toBe(true);
  });

  it('treats malformed credentials as malformed', async () => {
    const { server } = setup();
    const challenge = parsedChallenges(server.challenge({ realm }))[0]!;
    const good = answer(challenge);
    if (isParseError(good)) throw new Error(good.reason);
    const cases = [
      parseDigestCredentials('Digest username="1001"'),
      { ...good, qop: 'auth-int' },
      { ...good, nc: 'zz' },
      { ...good, nc: '00000000' },
      { ...good, cnonce: undefined },
      { ...good, algorithm: 'SHA-512' },
      { ...good, response: 'not hex!' },
      { ...good, qop: undefined },
    ];
    for (const credentials of cases) {
      expect(await server.verify({ method: 'REGISTER', credentials, lookupHa1 })).toMatchObject({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('accepts the RFC 2069 form only when allowed', async () => {
    const { server } = setup({ allowNoQop: true });
    const challenge = { ...parsedChallenges(server.challenge({ realm, algorithms: ['MD5'] }))[0]!, qop: undefined };
    const credentials = answer(challenge);
    if (isParseError(credentials)) throw new Error(credentials.reason);
    expect(credentials.qop).toBeUndefined();
    expect((await server.verify({ method: 'REGISTER', credentials, lookupHa1 })).ok).toBe(true);
    const strict = setup().server;
    expect(await strict.verify({ method: 'REGISTER', credentials, lookupHa1 })).toMatchObject({ reason: 'malformed' });
  });
});
