/**
 * WWW-Authenticate / Proxy-Authenticate challenges and Authorization / Proxy-Authorization
 * credentials of the Digest scheme (RFC 3261 section 25.1 grammar, RFC 7616 section 3.3-3.4).
 * Parsing is tolerant of spacing, empty list elements and unknown parameters, and never throws.
 */
import { isParseError, parseError, type ParseError } from '../message/types.js';

/** Longer header values are refused before scanning (no legitimate one comes close). */
const maxHeaderLength = 8192;
const maxParams = 64;

export interface DigestChallenge {
  scheme: 'Digest';
  realm: string;
  nonce: string;
  opaque?: string;
  /** As written; absent means MD5. Normalise with parseDigestAlgorithm. */
  algorithm?: string;
  /** qop options offered ("auth", "auth-int"); absent for an RFC 2069 challenge. */
  qop?: string[];
  stale: boolean;
  domain?: string;
  /** Every parameter, names lower-cased, values unquoted (unknown ones included). */
  params: Record<string, string>;
}

export interface DigestCredentials {
  scheme: 'Digest';
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  /** The request-digest, hex. */
  response: string;
  algorithm?: string;
  cnonce?: string;
  opaque?: string;
  qop?: string;
  /** Nonce count as written (eight hex digits). */
  nc?: string;
  params: Record<string, string>;
}

interface SchemeParams {
  scheme: string;
  params: Record<string, string>;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** token characters of RFC 3261 section 25.1: alphanumerics and - . ! % * _ + ` ' ~ */
function isTokenChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f ||
    c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e
  );
}

/**
 * Splits `Scheme k=v, k="quoted, value"` into the scheme and its parameters. One pass over
 * char codes: it runs on every authenticated request, so values are sliced, never built a
 * character at a time (only a quoted value holding a backslash escape is rebuilt).
 */
export function parseAuthParams(value: string): SchemeParams | ParseError {
  if (typeof value !== 'string') return parseError('auth header is not a string');
  if (value.length > maxHeaderLength) return parseError('auth header too long');
  let i = 0;
  const n = value.length;
  while (i < n && isSpace(value.charCodeAt(i))) i++;
  const schemeStart = i;
  while (i < n && isTokenChar(value.charCodeAt(i))) i++;
  const scheme = value.slice(schemeStart, i);
  if (scheme.length === 0) return parseError('auth header has no scheme');
  if (i < n && !isSpace(value.charCodeAt(i))) return parseError(`unexpected character after scheme at ${i}`);
  // No prototype: a parameter named "__proto__" must stay a plain entry.
  const params = Object.create(null) as Record<string, string>;
  let count = 0;
  for (;;) {
    // Empty list elements (",,") are allowed by the #rule of RFC 3261 section 7.3.1.
    while (i < n) {
      const c = value.charCodeAt(i);
      if (!isSpace(c) && c !== 0x2c /* , */) break;
      i++;
    }
    if (i >= n) break;
    const nameStart = i;
    while (i < n && isTokenChar(value.charCodeAt(i))) i++;
    const name = value.slice(nameStart, i).toLowerCase();
    if (name.length === 0) return parseError(`expected a parameter name at ${i}`);
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i >= n || value.charCodeAt(i) !== 0x3d /* = */) return parseError(`parameter "${name}" has no value`);
    i++;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    let paramValue: string;
    if (i < n && value.charCodeAt(i) === 0x22 /* " */) {
      i++;
      const valueStart = i;
      let escaped = false;
      let closed = false;
      while (i < n) {
        const c = value.charCodeAt(i);
        if (c === 0x5c /* \ */ && i + 1 < n) {
          escaped = true;
          i += 2;
        } else if (c === 0x22) {
          closed = true;
          break;
        } else i++;
      }
      if (!closed) return parseError(`unterminated quoted value of "${name}"`);
      paramValue = escaped ? unescapeQuoted(value, valueStart, i) : value.slice(valueStart, i);
      i++;
    } else {
      // Unquoted: RFC says token, but clients send uri=sip:a@b unquoted; take up to the next separator.
      const start = i;
      while (i < n) {
        const c = value.charCodeAt(i);
        if (isSpace(c) || c === 0x2c || c === 0x22) break;
        i++;
      }
      paramValue = value.slice(start, i);
      if (paramValue.length === 0) return parseError(`parameter "${name}" has an empty value`);
    }
    if (Object.prototype.hasOwnProperty.call(params, name)) return parseError(`duplicate parameter "${name}"`);
    if (++count > maxParams) return parseError('too many auth parameters');
    params[name] = paramValue;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i < n && value.charCodeAt(i) !== 0x2c) return parseError(`expected "," at ${i}`);
  }
  return { scheme, params };
}

/** The inside of a quoted string from `from` to `to` (exclusive) with quoted-pair escapes removed. */
function unescapeQuoted(s: string, from: number, to: number): string {
  let out = '';
  let runStart = from;
  for (let i = from; i < to; i++) {
    // The scanner never lets a pair straddle `to`, so the escaped character is inside.
    if (s.charCodeAt(i) === 0x5c) {
      out += s.slice(runStart, i);
      runStart = i + 1;
      i++;
    }
  }
  return out + s.slice(runStart, to);
}

function parseDigest(value: string): SchemeParams | ParseError {
  const parsed = parseAuthParams(value);
  if (isParseError(parsed)) return parsed;
  if (parsed.scheme.toLowerCase() !== 'digest') return parseError(`scheme "${parsed.scheme}" is not Digest`);
  return parsed;
}

/** Parses a WWW-Authenticate or Proxy-Authenticate value of the Digest scheme. */
export function parseDigestChallenge(value: string): DigestChallenge | ParseError {
  const parsed = parseDigest(value);
  if (isParseError(parsed)) return parsed;
  const p = parsed.params;
  if (p.realm === undefined) return parseError('challenge has no realm');
  if (p.nonce === undefined) return parseError('challenge has no nonce');
  const challenge: DigestChallenge = { scheme: 'Digest', realm: p.realm, nonce: p.nonce, stale: false, params: p };
  if (p.opaque !== undefined) challenge.opaque = p.opaque;
  if (p.algorithm !== undefined) challenge.algorithm = p.algorithm;
  if (p.domain !== undefined) challenge.domain = p.domain;
  if (p.stale !== undefined) challenge.stale = p.stale.toLowerCase() === 'true';
  if (p.qop !== undefined) {
    challenge.qop = p.qop
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter((q) => q.length > 0);
  }
  return challenge;
}

/** Parses an Authorization or Proxy-Authorization value of the Digest scheme. */
export function parseDigestCredentials(value: string): DigestCredentials | ParseError {
  const parsed = parseDigest(value);
  if (isParseError(parsed)) return parsed;
  const p = parsed.params;
  for (const required of ['username', 'realm', 'nonce', 'uri', 'response'] as const) {
    if (p[required] === undefined) return parseError(`credentials have no ${required}`);
  }
  const credentials: DigestCredentials = {
    scheme: 'Digest',
    username: p.username!,
    realm: p.realm!,
    nonce: p.nonce!,
    uri: p.uri!,
    response: p.response!,
    params: p,
  };
  if (p.algorithm !== undefined) credentials.algorithm = p.algorithm;
  if (p.cnonce !== undefined) credentials.cnonce = p.cnonce;
  if (p.opaque !== undefined) credentials.opaque = p.opaque;
  if (p.qop !== undefined) credentials.qop = p.qop.toLowerCase();
  if (p.nc !== undefined) credentials.nc = p.nc;
  return credentials;
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Formats a Digest challenge for WWW-Authenticate or Proxy-Authenticate. */
export function formatDigestChallenge(challenge: Omit<DigestChallenge, 'scheme' | 'params'>): string {
  const parts = [`realm=${quote(challenge.realm)}`];
  if (challenge.domain !== undefined) parts.push(`domain=${quote(challenge.domain)}`);
  parts.push(`nonce=${quote(challenge.nonce)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.stale) parts.push('stale=true');
  if (challenge.algorithm !== undefined) parts.push(`algorithm=${challenge.algorithm}`);
  if (challenge.qop !== undefined && challenge.qop.length > 0) parts.push(`qop=${quote(challenge.qop.join(','))}`);
  return `Digest ${parts.join(', ')}`;
}

/** Formats Digest credentials for Authorization or Proxy-Authorization. */
export function formatDigestCredentials(credentials: Omit<DigestCredentials, 'scheme' | 'params'>): string {
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(credentials.realm)}`,
    `nonce=${quote(credentials.nonce)}`,
    `uri=${quote(credentials.uri)}`,
    `response=${quote(credentials.response)}`,
  ];
  if (credentials.algorithm !== undefined) parts.push(`algorithm=${credentials.algorithm}`);
  if (credentials.cnonce !== undefined) parts.push(`cnonce=${quote(credentials.cnonce)}`);
  if (credentials.opaque !== undefined) parts.push(`opaque=${quote(credentials.opaque)}`);
  if (credentials.qop !== undefined) parts.push(`qop=${credentials.qop}`);
  if (credentials.nc !== undefined) parts.push(`nc=${credentials.nc}`);
  return `Digest ${parts.join(', ')}`;
}
