/**
 * The `;name=value` parameter lists after URIs, Vias and name-addrs (RFC 3261 19.1.1, 20.10).
 * Names are case-insensitive and stored lower-case; values are kept as written (quoted
 * values keep their quotes) so formatting gives back the same text.
 */
import { parseError } from './types.js';
import type { ParseError, UriParams } from './types.js';

export interface ParamsResult {
  params: UriParams;
  /** Index just past the last parameter (at a stop character or the end). */
  end: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** Characters that may appear in a parameter name: RFC 3261 token plus URI param-unreserved. */
function isParamNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f ||
    c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e || c === 0x5b || c === 0x5d ||
    c === 0x2f || c === 0x3a || c === 0x26 || c === 0x24
  );
}

/**
 * Reads parameters starting at `start` (which is at a ';' or the end). Stops at the end or at
 * the character `stop` (e.g. "?" before URI headers; "" for none). `quoted` allows quoted-string values.
 */
export function parseParams(s: string, start: number, stop: string, quoted: boolean): ParamsResult | ParseError {
  const params: UriParams = {};
  // Only one stop character is ever needed ('?' before URI headers); -1 means none.
  const stopCode = stop.length > 0 ? stop.charCodeAt(0) : -1;
  let i = start;
  const n = s.length;
  for (;;) {
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n || s.charCodeAt(i) === stopCode) return { params, end: i };
    if (s.charCodeAt(i) !== 0x3b /* ; */) return parseError(`unexpected "${s[i]}" in parameters`);
    i++;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < n && isParamNameChar(s.charCodeAt(i))) i++;
    if (i === nameStart) return parseError('empty parameter name');
    const name = s.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (j < n && s.charCodeAt(j) === 0x3d /* = */) {
      j++;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (quoted && j < n && s.charCodeAt(j) === 0x22) {
        const close = quotedStringEnd(s, j);
        if (close < 0) return parseError(`unterminated quoted value of parameter ${name}`);
        setParam(params, name, s.slice(j, close + 1));
        i = close + 1;
      } else {
        const valueStart = j;
        while (j < n) {
          const c = s.charCodeAt(j);
          if (c === 0x3b || isSpace(c) || c < 0x20 || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x2c) break;
          if (c === stopCode) break;
          j++;
        }
        if (j === valueStart) return parseError(`empty value of parameter ${name}`);
        setParam(params, name, s.slice(valueStart, j));
        i = j;
      }
    } else {
      setParam(params, name, null);
    }
  }
}

/** Index of the closing quote of the quoted string opening at `open`, or -1 if unterminated. */
export function quotedStringEnd(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/** Writes parameters back as `;name=value;flag`. */
export function formatParams(params: UriParams): string {
  let out = '';
  for (const name of Object.keys(params)) {
    const value = params[name];
    out += value === null || value === undefined ? `;${name}` : `;${name}=${value}`;
  }
  return out;
}

/** Sets a parameter; "__proto__" is a legal token and must not reach the prototype setter. */
export function setParam(params: UriParams, name: string, value: string | null): void {
  if (name === '__proto__') Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
  else params[name] = value;
}
