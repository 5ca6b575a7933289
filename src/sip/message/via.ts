/** Via header values (RFC 3261 20.42): `SIP/2.0/UDP host:port;branch=...;rport`. */
import { formatParams, parseParams } from './header-params.js';
import { ParseCache } from './parse-cache.js';
import { parseHostPort } from './uri.js';
import { isParseError, parseError } from './types.js';
import type { ParseError, Via } from './types.js';

function isTokenChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f ||
    c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e
  );
}

/** Parses one via-parm (split comma-joined Vias first with getHeaderValues). */
export function parseVia(input: string): Via | ParseError {
  const hit = cache.lookup(input);
  return hit === undefined ? parseViaText(input) : cloneVia(hit);
}

const cache = new ParseCache<Via>(parseViaText);

/** parseVia without the copy, for read-only use inside this folder. */
export function sharedVia(input: string): Via | ParseError {
  return cache.lookup(input) ?? parseViaText(input);
}

/** sharedVia, remembering the result: parseMessage's validation of the core headers. */
export function rememberedVia(input: string): Via | ParseError {
  return cache.remember(input);
}

/**
 * formatVia, remembering `v` as the parse of the text. For a Via read from the wire and then
 * changed (received/rport stamped on arrival): the layers above read it back (the transaction
 * key, the response's route) without parsing the new text again. Only for values that format
 * and parse back the same: parsed fields plus addresses, ports and tokens. `v` is kept as it is
 * (it runs per request, so no copy): the caller hands over its own copy and leaves it alone.
 */
export function formatRememberedVia(v: Via): string {
  const text = formatVia(v);
  cache.store(text, v);
  return text;
}

function cloneVia(v: Via): Via {
  const out: Via = { protocol: v.protocol, transport: v.transport, host: v.host, params: { ...v.params } };
  if (v.port !== undefined) out.port = v.port;
  return out;
}

function parseViaText(input: string): Via | ParseError {
  const s = input.trim();
  const n = s.length;
  let i = 0;
  const parts: string[] = [];
  // sent-protocol: three tokens separated by '/', LWS allowed around the slashes.
  for (let p = 0; p < 3; p++) {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    const start = i;
    while (i < n && isTokenChar(s.charCodeAt(i))) i++;
    if (i === start) return parseError('bad Via sent-protocol');
    parts.push(s.slice(start, i));
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
    if (p < 2) {
      if (s[i] !== '/') return parseError('bad Via sent-protocol');
      i++;
    }
  }
  const [name, version, transport] = parts as [string, string, string];
  const hp = parseHostPort(s, i);
  if (isParseError(hp)) return hp;
  const pr = parseParams(s, hp.end, '', true);
  if (isParseError(pr)) return pr;
  const via: Via = {
    protocol: `${name.toUpperCase()}/${version}`,
    transport: transport.toUpperCase(),
    host: hp.host,
    params: pr.params,
  };
  if (hp.port !== undefined) via.port = hp.port;
  return via;
}

/** Writes a Via value: `SIP/2.0/UDP host:port;params`. */
export function formatVia(v: Via): string {
  return `${v.protocol}/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`}${formatParams(v.params)}`;
}
