/**
 * The header fields of a 200 to REGISTER (RFC 3261 10.3 step 8): every current binding of the
 * AOR with its remaining time, the Path (RFC 3327 5.3) and the outbound option tags (RFC 5626 6).
 */
import type { HeaderField } from '../message/index.js';
import type { Binding } from './binding.js';

/** Seconds left on a binding, rounded up so a live binding never reads as 0. */
export function remainingSeconds(b: Binding, now: number): number {
  return Math.max(0, Math.ceil((b.expiresAt - now) / 1000));
}

/** One Contact value for a 200: the URI as registered plus expires, q, +sip.instance and reg-id. */
export function formatBindingContact(b: Binding, now: number): string {
  let v = `<${b.contact}>;expires=${remainingSeconds(b, now)}`;
  if (b.q !== undefined) v += `;q=${b.q}`;
  if (b.instanceId !== undefined) v += `;+sip.instance="${b.instanceId.replace(/(["\\])/g, '\\$1')}"`;
  if (b.regId !== undefined) v += `;reg-id=${b.regId}`;
  return v;
}

export interface OkResponseInput {
  bindings: readonly Binding[];
  path: readonly string[];
  supportsOutbound: boolean;
  outbound: boolean;
  now: number;
}

/** Header fields for the 200 (OK). */
export function okResponseHeaders(input: OkResponseInput): HeaderField[] {
  const headers: HeaderField[] = input.bindings.map((b) => ({
    name: 'Contact',
    value: formatBindingContact(b, input.now),
  }));
  // RFC 3327 5.3: the registrar returns the Path it stored, so the UA can see it.
  for (const p of input.path) headers.push({ name: 'Path', value: p });
  if (input.outbound) headers.push({ name: 'Require', value: 'outbound' });
  if (input.outbound || input.supportsOutbound) headers.push({ name: 'Supported', value: 'outbound' });
  // RFC 3261 10.3 step 8: a Date header lets UAs without a clock set one.
  headers.push({ name: 'Date', value: new Date(input.now).toUTCString() });
  return headers;
}
