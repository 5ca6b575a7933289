/**
 * name-addr and addr-spec values of From, To, Contact, Route, Record-Route and friends
 * (RFC 3261 20.10, 25.1). In addr-spec form the parameters after the URI belong to the
 * header, not to the URI.
 */
import { formatParams, parseParams, quotedStringEnd } from './header-params.js';
import { ParseCache } from './parse-cache.js';
import { cloneUri, formatUri, parseUriText } from './uri.js';
import { isParseError, parseError } from './types.js';
import type { NameAddr, ParseError } from './types.js';

/** Removes quoted-pair escapes from the inside of a quoted string. */
function unquote(inner: string): string {
  return inner.includes('\\') ? inner.replace(/\\(.)/gs, '$1') : inner;
}

/** Parses `"Display" <uri>;params`, `Display <uri>;params` or `uri;params`. */
export function parseNameAddr(input: string): NameAddr | ParseError {
  const hit = cache.lookup(input);
  return hit === undefined ? parseNameAddrText(input) : cloneNameAddr(hit);
}

const cache = new ParseCache<NameAddr>(parseNameAddrText);

function cloneNameAddr(n: NameAddr): NameAddr {
  const out: NameAddr = { uri: cloneUri(n.uri), params: { ...n.params } };
  if (n.displayName !== undefined) out.displayName = n.displayName;
  return out;
}

/** parseNameAddr without the copy, for read-only use inside this folder. */
export function sharedNameAddr(input: string): NameAddr | ParseError {
  return cache.lookup(input) ?? parseNameAddrText(input);
}

/** sharedNameAddr, remembering the result: parseMessage's validation of the core headers. */
export function rememberedNameAddr(input: string): NameAddr | ParseError {
  return cache.remember(input);
}

function parseNameAddrText(input: string): NameAddr | ParseError {
  const s = input.trim();
  if (s.length === 0) return parseError('empty name-addr');
  let i = 0;
  let displayName: string | undefined;
  let first = -1;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x3c /* < */ || c === 0x22 /* " */ || c === 0x3b /* ; */) {
      first = k;
      break;
    }
  }
  const firstChar = first < 0 ? '' : s[first];
  if (firstChar === '"') {
    if (first !== 0 && s.slice(0, first).trim() !== '') return parseError('quote inside display name');
    const close = quotedStringEnd(s, first);
    if (close < 0) return parseError('unterminated quoted display name');
    displayName = unquote(s.slice(first + 1, close));
    i = close + 1;
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
    if (s[i] !== '<') return parseError('expected "<" after display name');
  } else if (firstChar === '<') {
    const name = s.slice(0, first).trim();
    if (name !== '') displayName = name;
    i = first;
  } else {
    // addr-spec: the URI runs to the first ';', the rest are header parameters.
    const end = first < 0 ? s.length : first;
    const uri = parseUriText(s.slice(0, end));
    if (isParseError(uri)) return uri;
    const pr = parseParams(s, end, '', true);
    if (isParseError(pr)) return pr;
    return { uri, params: pr.params };
  }
  const close = s.indexOf('>', i + 1);
  if (close < 0) return parseError('missing ">" after URI');
  const uri = parseUriText(s.slice(i + 1, close));
  if (isParseError(uri)) return uri;
  const pr = parseParams(s, close + 1, '', true);
  if (isParseError(pr)) return pr;
  const out: NameAddr = { uri, params: pr.params };
  if (displayName !== undefined) out.displayName = displayName;
  return out;
}

/** Writes `"Display" <uri>;params` (always the name-addr form, which is never ambiguous). */
export function formatNameAddr(n: NameAddr): string {
  const name = n.displayName === undefined ? '' : `"${n.displayName.replace(/(["\\])/g, '\\$1')}" `;
  return `${name}<${formatUri(n.uri)}>${formatParams(n.params)}`;
}
