/**
 * Server side of SIP digest authentication (RFC 3261 section 22.4, RFC 7616, RFC 8760):
 * challenges with server-bound nonces, verification with expiry (stale=true) and
 * nonce-count replay protection. qop=auth-int is refused; the RFC 2069 form (no qop, so
 * no nonce count and no replay protection) only when `allowNoQop` is set.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock, RandomSource } from '../../core/index.js';
import { isParseError, type ParseError } from '../message/types.js';
import { formatDigestChallenge, type DigestCredentials } from './digest-header.js';
import { digestAlgorithms, digestResponse, parseDigestAlgorithm, type DigestAlgorithm } from './digest-hash.js';
import { mintDigestNonce, readDigestNonce } from './digest-nonce.js';
import { NonceCountTracker } from './nonce-count-tracker.js';

export interface DigestAuthenticatorOptions {
  clock: Clock;
  random: RandomSource;
  /** Keeps nonces valid across restarts and nodes; a random one (per process) when absent. */
  secret?: Buffer | string;
  /** Default 300. */
  nonceLifetimeSeconds?: number;
  /** Bound of the nonce-count table; default 50,000. */
  maxTrackedNonces?: number;
  /** Accept credentials without qop (RFC 2069); default false since they cannot be protected from replay. */
  allowNoQop?: boolean;
  /** Algorithms accepted in credentials; default SHA-256 and MD5. */
  acceptAlgorithms?: readonly DigestAlgorithm[];
}

export interface DigestChallengeRequest {
  realm: string;
  /** Set when the previous request failed only because its nonce expired. */
  stale?: boolean;
  /** Default ['SHA-256', 'MD5'] (RFC 8760 section 2.4: most preferred first); emitted in the order given. */
  algorithms?: readonly DigestAlgorithm[];
}

/**
 * Why verification failed. 'stale': the digest is right but the nonce is expired, unknown to
 * this secret or pushed out of the nonce-count table; answer a fresh challenge with stale=true
 * and do not count it as a failure. 'bad-response' and 'unknown-user' are the failures to feed
 * the ban list. 'malformed' covers missing nc/cnonce, qop=auth-int, no qop (unless allowed),
 * unsupported algorithms and unparsable headers.
 */
export type DigestFailureReason =
  | 'no-credentials'
  | 'unknown-user'
  | 'bad-response'
  | 'stale'
  | 'replay'
  | 'bad-realm'
  | 'bad-uri'
  | 'malformed';

export type DigestVerifyResult =
  | { ok: true; username: string; algorithm: DigestAlgorithm }
  | { ok: false; reason: DigestFailureReason; username?: string };

/** HA1 for a user in a realm for an algorithm (the store keeps one per algorithm), or undefined when unknown. */
export type Ha1Lookup = (
  username: string,
  realm: string,
  algorithm: DigestAlgorithm,
) => Promise<string | undefined> | string | undefined;

export interface DigestVerifyRequest {
  method: string;
  /** Parsed Authorization / Proxy-Authorization; a ParseError is 'malformed', undefined is 'no-credentials'. */
  credentials: DigestCredentials | ParseError | undefined;
  lookupHa1: Ha1Lookup;
  /** When given, credentials for another realm are 'bad-realm'. */
  realm?: string;
  /** When given (the Request-URI), credentials for another URI are 'bad-uri'. */
  uri?: string;
}

const hexDigest = /^[0-9a-f]+$/;
const ncFormat = /^[0-9a-fA-F]{8}$/;
// Nonces from slightly in the future are tolerated: nodes sharing a secret may disagree on the time.
const futureSkewMs = 5_000;

export class DigestAuthenticator {
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly secret: Buffer;
  private readonly lifetimeMs: number;
  private readonly allowNoQop: boolean;
  private readonly accept: ReadonlySet<DigestAlgorithm>;
  private readonly counts: NonceCountTracker;

  private readonly opaques = new Map<string, string>();
  constructor(options: DigestAuthenticatorOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.secret =
      options.secret === undefined
        ? options.random.bytes(32)
        : Buffer.isBuffer(options.secret)
          ? options.secret
          : Buffer.from(options.secret, 'utf8');
    this.lifetimeMs = (options.nonceLifetimeSeconds ?? 300) * 1000;
    this.allowNoQop = options.allowNoQop ?? false;
    this.accept = new Set(options.acceptAlgorithms ?? digestAlgorithms);
    this.counts = new NonceCountTracker(options.maxTrackedNonces ?? 50_000, this.lifetimeMs);
  }

  /** One WWW-Authenticate / Proxy-Authenticate value per algorithm, in the requested order. */
  challenge(request: DigestChallengeRequest): string[] {
    // In the caller's order of preference: clients take the first challenge they support.
    const wanted = [...new Set(request.algorithms ?? digestAlgorithms)].filter((a) => digestAlgorithms.includes(a));
    const opaque = this.opaque(request.realm);
    return wanted
      .map((algorithm) =>
        formatDigestChallenge({
          realm: request.realm,
          nonce: mintDigestNonce(this.secret, request.realm, this.clock.now(), this.random.bytes(8)),
          opaque,
          stale: request.stale ?? false,
          algorithm,
          qop: ['auth'],
        }),
      );
  }

  /** Checks credentials against the request; see DigestFailureReason for the outcomes. */
  async verify(request: DigestVerifyRequest): Promise<DigestVerifyResult> {
    const { credentials } = request;
    if (credentials === undefined) return { ok: false, reason: 'no-credentials' };
    if (isParseError(credentials)) return { ok: false, reason: 'malformed' };
    const { username } = credentials;
    const fail = (reason: DigestFailureReason): DigestVerifyResult => ({ ok: false, reason, username });

    const algorithm = parseDigestAlgorithm(credentials.algorithm);
    if (!algorithm || !this.accept.has(algorithm)) return fail('malformed');
    const response = credentials.response.toLowerCase();
    if (!hexDigest.test(response)) return fail('malformed');
    let nc: number | undefined;
    if (credentials.qop === undefined) {
      if (!this.allowNoQop) return fail('malformed');
    } else {
      if (credentials.qop !== 'auth') return fail('malformed');
      if (credentials.nc === undefined || !ncFormat.test(credentials.nc) || credentials.cnonce === undefined) {
        return fail('malformed');
      }
      nc = parseInt(credentials.nc, 16);
      if (nc === 0) return fail('malformed');
    }
    if (request.realm !== undefined && credentials.realm !== request.realm) return fail('bad-realm');
    if (request.uri !== undefined && credentials.uri.trim().toLowerCase() !== request.uri.trim().toLowerCase()) {
      return fail('bad-uri');
    }

    const ha1 = await request.lookupHa1(username, credentials.realm, algorithm);
    if (ha1 === undefined) return fail('unknown-user');
    const expected = digestResponse({
      algorithm,
      ha1,
      nonce: credentials.nonce,
      method: request.method,
      uri: credentials.uri,
      ...(nc === undefined ? {} : { qop: 'auth' as const, nc: credentials.nc!, cnonce: credentials.cnonce! }),
    });
    if (!sameHex(expected, response)) return fail('bad-response');

    // Only a correct digest earns stale=true (RFC 2617 section 3.2.1), so guessing never escapes the ban count.
    const issuedAt = readDigestNonce(this.secret, credentials.realm, credentials.nonce);
    const now = this.clock.now();
    if (issuedAt === undefined || now - issuedAt > this.lifetimeMs || issuedAt - now > futureSkewMs) {
      return fail('stale');
    }
    if (nc !== undefined) {
      const verdict = this.counts.accept(credentials.nonce, issuedAt, nc, now);
      if (verdict === 'replay') return fail('replay');
      if (verdict === 'evicted') return fail('stale');
    }
    return { ok: true, username, algorithm };
  }

  /** Entries in the nonce-count table (tests assert it stays bounded). */
  get trackedNonces(): number {
    return this.counts.size;
  }

  /** Opaque per realm: derived from the secret once, not per challenge. */
  private opaque(realm: string): string {
    let value = this.opaques.get(realm);
    if (value === undefined) {
      value = createHmac('sha256', this.secret).update(`opaque:${realm}`).digest().subarray(0, 12).toString('base64url');
      if (this.opaques.size < 64) this.opaques.set(realm, value);
    }
    return value;
  }
}

function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}
