/**
 * SIP, SIPS and tel URIs (RFC 3261 19.1, RFC 3966) and any other absolute URI kept as
 * written. The user part, password, parameters and headers are stored as they appear on
 * the wire (escapes kept), so formatUri(parseUri(s)) gives back s; use unescapeUriComponent
 * to compare or display them.
 */
import { formatParams, parseParams } from './header-params.js';
import { ParseCache } from './parse-cache.js';
import { parseError } from './types.js';
import type { OtherUri, ParseError, SipUri, TelUri, Uri } from './types.js';

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Characters never allowed unescaped anywhere in a URI: controls, space, quotes, angle brackets. */
function hasForbiddenChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x5c || c === 0x60 || c === 0x7b || c === 0x7d || c === 0x7c || c === 0x5e) return true;
  }
  return false;
}

/** Length of the scheme at the start of s (RFC 3986 scheme), or 0 when there is none before ':'. */
export function schemeLength(s: string): number {
  if (s.length === 0 || !isAlpha(s.charCodeAt(0))) return 0;
  let i = 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) i++;
    else break;
  }
  return i < s.length && s.charCodeAt(i) === 0x3a ? i : 0;
}

/** Hostname or IPv4 characters (alphanumerics, '-', '.', '_' for lenient real-world names). */
function isHostChar(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 0x2d || c === 0x2e || c === 0x5f;
}

export interface HostPort {
  host: string;
  port?: number;
  end: number;
}

/** Reads host[:port] at `start`; IPv6 references keep their brackets. */
export function parseHostPort(s: string, start: number): HostPort | ParseError {
  let i = start;
  const n = s.length;
  let host: string;
  if (i < n && s.charCodeAt(i) === 0x5b /* [ */) {
    const close = s.indexOf(']', i);
    if (close < 0) return parseError('unterminated IPv6 reference');
    const inner = s.slice(i + 1, close);
    if (inner.length < 2 || !/^[0-9a-fA-F:.]+$/.test(inner) || !inner.includes(':')) return parseError('bad IPv6 reference');
    host = s.slice(i, close + 1);
    i = close + 1;
  } else {
    while (i < n && isHostChar(s.charCodeAt(i))) i++;
    if (i === start) return parseError('missing host');
    host = s.slice(start, i);
  }
  if (i < n && s.charCodeAt(i) === 0x3a /* : */) {
    i++;
    const portStart = i;
    while (i < n && isDigit(s.charCodeAt(i)) && i - portStart < 6) i++;
    if (i === portStart) return parseError('bad port');
    const port = Number(s.slice(portStart, i));
    if (port > 65535) return parseError('port out of range');
    return { host, port, end: i };
  }
  return { host, end: i };
}

function parseSipUri(s: string, schemeLen: number): SipUri | ParseError {
  const scheme = s.slice(0, schemeLen).toLowerCase() as 'sip' | 'sips';
  let i = schemeLen + 1;
  const uri: SipUri = { scheme, host: '', params: {}, headers: {} };
  // '@' is never legal unescaped in params or headers, so the first one ends the userinfo.
  const at = s.indexOf('@', i);
  if (at >= 0) {
    const userinfo = s.slice(i, at);
    const colon = userinfo.indexOf(':');
    const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (user === '') return parseError('empty user part');
    uri.user = user;
    if (colon >= 0) uri.password = userinfo.slice(colon + 1);
    i = at + 1;
  }
  const hp = parseHostPort(s, i);
  if ('type' in hp) return hp;
  uri.host = hp.host;
  if (hp.port !== undefined) uri.port = hp.port;
  const pr = parseParams(s, hp.end, '?', false);
  if ('type' in pr) return pr;
  uri.params = pr.params;
  i = pr.end;
  if (i < s.length) {
    // At '?': hname=hvalue pairs joined by '&'.
    for (const pair of s.slice(i + 1).split('&')) {
      if (pair === '') return parseError('empty URI header');
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (name === '') return parseError('empty URI header name');
      if (name === '__proto__') return parseError('bad URI header name');
      uri.headers[name] = eq < 0 ? '' : pair.slice(eq + 1);
    }
  }
  return uri;
}

function parseTelUri(s: string, schemeLen: number): TelUri | ParseError {
  const rest = s.slice(schemeLen + 1);
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (number === '' || !/^[0-9A-Fa-f*#+\-.()pPwW%]+$/.test(number)) return parseError('bad telephone number');
  const pr = parseParams(rest, semi < 0 ? rest.length : semi, '', false);
  if ('type' in pr) return pr;
  return { scheme: 'tel', number, params: pr.params };
}

/** Parses an absolute URI: sip/sips/tel into parts, any other scheme kept as written. */
export function parseUri(input: string): Uri | ParseError {
  const hit = cache.lookup(input);
  return hit === undefined ? parseUriText(input) : cloneUri(hit);
}

const cache = new ParseCache<Uri>(parseUriText);

/** parseUri without the copy, for read-only use inside this folder. */
export function sharedUri(input: string): Uri | ParseError {
  return cache.lookup(input) ?? parseUriText(input);
}

/** sharedUri, remembering the result: parseMessage's validation of the core headers. */
export function rememberedUri(input: string): Uri | ParseError {
  return cache.remember(input);
}

/** A deep copy (params and headers records are fresh), keys in the order parseUri writes them. */
export function cloneUri(u: Uri): Uri {
  if (u.scheme === 'sip' || u.scheme === 'sips') {
    const sip = u as SipUri;
    const out: SipUri = { scheme: sip.scheme, host: sip.host, params: { ...sip.params }, headers: { ...sip.headers } };
    if (sip.user !== undefined) out.user = sip.user;
    if (sip.password !== undefined) out.password = sip.password;
    if (sip.port !== undefined) out.port = sip.port;
    return out;
  }
  if ('number' in u) return { scheme: 'tel', number: u.number, params: { ...u.params } };
  return { scheme: u.scheme, raw: (u as OtherUri).raw };
}

/** parseUri without the cache: a fresh result the caller owns (name-addrs embed it). */
export function parseUriText(input: string): Uri | ParseError {
  const s = input.trim();
  if (s.length > 8192) return parseError('URI too long');
  if (hasForbiddenChar(s)) return parseError('forbidden character in URI');
  const schemeLen = schemeLength(s);
  if (schemeLen === 0) return parseError('URI has no scheme');
  const scheme = s.slice(0, schemeLen).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(s, schemeLen);
  if (scheme === 'tel') return parseTelUri(s, schemeLen);
  if (schemeLen + 1 >= s.length) return parseError('empty URI after scheme');
  return { scheme, raw: s };
}

/** Escapes characters that cannot appear raw in a user part; existing %XX escapes are kept. */
function escapeUser(user: string): string {
  let out = '';
  for (const ch of user) {
    if (/^[A-Za-z0-9\-_.!~*'()&=+$,;?/%]$/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Writes a URI back; gives back the parsed text for anything parseUri produced. */
export function formatUri(u: Uri): string {
  if (u.scheme === 'sip' || u.scheme === 'sips') {
    const sip = u as SipUri;
    let out = `${sip.scheme}:`;
    if (sip.user !== undefined) {
      out += escapeUser(sip.user);
      if (sip.password !== undefined) out += `:${escapeUser(sip.password)}`;
      out += '@';
    }
    out += sip.host;
    if (sip.port !== undefined) out += `:${sip.port}`;
    out += formatParams(sip.params);
    const names = Object.keys(sip.headers);
    if (names.length > 0) out += `?${names.map((n) => `${n}=${sip.headers[n] ?? ''}`).join('&')}`;
    return out;
  }
  if (u.scheme === 'tel' && 'number' in u) return `tel:${u.number}${formatParams(u.params)}`;
  return 'raw' in u ? u.raw : `${u.scheme}:`;
}

/** Decodes %XX escapes (as UTF-8); malformed escapes are left as written. */
export function unescapeUriComponent(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}
