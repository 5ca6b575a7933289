/**
 * Reading and editing the ordered header field list of a message. Names are matched
 * case-insensitively and compact-form aware; written names use the canonical long form.
 */
import { canonicalHeaderName, isListValuedHeader } from './header-names.js';
import type { SipMessage } from './types.js';

// Header lookups run many times per message on a handful of distinct names: memoize the
// comparison key (bounded, so odd names from the wire cannot grow it without limit).
const KEYS = new Map<string, string>();

function key(name: string): string {
  let k = KEYS.get(name);
  if (k === undefined) {
    k = canonicalHeaderName(name).toLowerCase();
    if (KEYS.size < 2048) KEYS.set(name, k);
  }
  return k;
}

/**
 * True when a field named `fieldName` matches the looked-up header whose canonical name is
 * `canonical` and key `k`. Fields are nearly always stored canonical (the parser and the
 * editors here write them so), which this answers with one comparison; otherwise only a
 * one-letter (compact) name or a same-length one can match, and only then is `key` consulted.
 */
function sameHeader(fieldName: string, canonical: string, k: string): boolean {
  if (fieldName === canonical) return true;
  if (fieldName.length !== 1) {
    // Lower-casing never shortens, and lengthens only U+0130 (dotted capital I).
    if (fieldName.length > k.length) return false;
    if (fieldName.length < k.length && fieldName.indexOf('\u0130') < 0) return false;
  }
  return key(fieldName) === k;
}

/** Value of the first field with that name, or undefined. */
export function getHeader(msg: SipMessage, name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  const k = key(name);
  for (const h of msg.headers) if (sameHeader(h.name, canonical, k)) return h.value;
  return undefined;
}

/** All values of that header, comma-split for list-valued headers (quotes and <...> respected). */
export function getHeaderValues(msg: SipMessage, name: string): string[] {
  const canonical = canonicalHeaderName(name);
  const k = canonical.toLowerCase();
  const split = isListValuedHeader(canonical);
  const out: string[] = [];
  for (const h of msg.headers) {
    if (!sameHeader(h.name, canonical, k)) continue;
    if (!split) out.push(h.value);
    else if (h.value.indexOf(',') < 0) {
      const t = h.value.trim();
      if (t !== '') out.push(t);
    } else for (const part of splitHeaderList(h.value)) out.push(part);
  }
  return out;
}

/** Replaces all fields of that name by one, at the position of the first (else at the bottom). */
export function setHeader(msg: SipMessage, name: string, value: string): void {
  const k = key(name);
  const field = { name: canonicalHeaderName(name), value };
  const first = msg.headers.findIndex((h) => key(h.name) === k);
  if (first < 0) {
    msg.headers.push(field);
    return;
  }
  msg.headers = msg.headers.filter((h, i) => i < first || key(h.name) !== k);
  msg.headers.splice(first, 0, field);
}

/**
 * Adds a field. 'bottom' (default) appends; 'top' inserts before the first field of that
 * name (prepending a Via or Record-Route), or before the first header when there is none.
 */
export function addHeader(
  msg: SipMessage,
  name: string,
  value: string,
  position: 'top' | 'bottom' = 'bottom',
): void {
  const field = { name: canonicalHeaderName(name), value };
  if (position === 'bottom') {
    msg.headers.push(field);
    return;
  }
  const k = key(name);
  const first = msg.headers.findIndex((h) => key(h.name) === k);
  msg.headers.splice(first < 0 ? 0 : first, 0, field);
}

/** Removes every field of that name. */
export function removeHeader(msg: SipMessage, name: string): void {
  const k = key(name);
  msg.headers = msg.headers.filter((h) => key(h.name) !== k);
}

/**
 * Calls `visit` with each comma-separated part of a header value, outside quoted strings and
 * <...>, trimmed, empty parts skipped; stops early when `visit` returns true.
 */
function scanListElements(value: string, visit: (part: string) => boolean | void): void {
  let inQuotes = false;
  let inAngle = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuotes) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inQuotes = false;
    } else if (inAngle) {
      if (c === 0x3e /* > */) inAngle = false;
    } else if (c === 0x22) inQuotes = true;
    else if (c === 0x3c /* < */) inAngle = true;
    else if (c === 0x2c /* , */) {
      const part = value.slice(start, i).trim();
      if (part !== '' && visit(part) === true) return;
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last !== '') visit(last);
}

/** splitHeaderList(value)[0] without building the list (the top Via of every message). */
export function firstListElement(value: string): string | undefined {
  if (value.indexOf(',') < 0) {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  let first: string | undefined;
  scanListElements(value, (part) => {
    first = part;
    return true;
  });
  return first;
}

/** Splits a header value on commas that are outside quoted strings and <...>; parts trimmed, empty parts dropped. */
export function splitHeaderList(value: string): string[] {
  if (value.indexOf(',') < 0) {
    const t = value.trim();
    return t === '' ? [] : [t];
  }
  const out: string[] = [];
  scanListElements(value, (part) => {
    out.push(part);
  });
  return out;
}
