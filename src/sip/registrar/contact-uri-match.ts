/**
 * URI equivalence (RFC 3261 19.1.4), which decides whether a Contact in a REGISTER names an
 * existing binding (RFC 3261 10.3 step 7).
 */
import { unescapeUriComponent } from '../message/index.js';
import type { SipUri, Uri, UriParams } from '../message/index.js';

/** Parameters that never match when present in only one of the URIs. */
const MUST_BE_IN_BOTH = ['user', 'ttl', 'method', 'maddr'];

function isSip(u: Uri): u is SipUri {
  return u.scheme === 'sip' || u.scheme === 'sips';
}

function paramValue(params: UriParams, name: string): string | null | undefined {
  const v = params[name];
  return v === null ? null : v === undefined ? undefined : unescapeUriComponent(v).toLowerCase();
}

/** True when the two URIs are equivalent under RFC 3261 19.1.4. */
export function uriEquivalent(a: Uri, b: Uri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (!isSip(a) || !isSip(b)) {
    // tel: and other schemes: compare the text, case-insensitively (no stricter rule needed here).
    return JSON.stringify(a).toLowerCase() === JSON.stringify(b).toLowerCase();
  }
  // userinfo is case-sensitive; escaped and unescaped forms of a character are the same.
  if ((a.user === undefined) !== (b.user === undefined)) return false;
  if (a.user !== undefined && unescapeUriComponent(a.user) !== unescapeUriComponent(b.user ?? '')) return false;
  if ((a.password ?? '') !== (b.password ?? '')) return false;
  if (a.host.toLowerCase() !== b.host.toLowerCase()) return false;
  // An omitted port does not match an explicit default port.
  if (a.port !== b.port) return false;
  const names = new Set([...Object.keys(a.params), ...Object.keys(b.params)].map((n) => n.toLowerCase()));
  for (const name of names) {
    const va = paramValue(a.params, name);
    const vb = paramValue(b.params, name);
    if (va !== undefined && vb !== undefined) {
      if (va !== vb) return false;
    } else if (MUST_BE_IN_BOTH.includes(name)) {
      return false;
    }
  }
  const ha = Object.keys(a.headers);
  const hb = Object.keys(b.headers);
  if (ha.length !== hb.length) return false;
  for (const name of ha) {
    const other = b.headers[name];
    if (other === undefined || unescapeUriComponent(other) !== unescapeUriComponent(a.headers[name] ?? '')) return false;
  }
  return true;
}
