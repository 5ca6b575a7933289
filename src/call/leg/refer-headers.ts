/**
 * The wire pieces of call transfer: Refer-To (RFC 3515 2.1), Refer-Sub (RFC 4488 4) and the
 * message/sipfrag bodies of the NOTIFYs that report a REFER's progress (RFC 3515 2.4.5,
 * RFC 3420). Pure functions over strings and messages; wire input never throws.
 */
import { formatUri, getHeader, getHeaderValues, isParseError, parseNameAddr, parseError, type ParseError, type SipMessage, type Uri } from '../../sip/message/index.js';

/** A parsed Refer-To: where the REFER recipient should send its request. */
export interface ReferTarget {
  /** The URI to call, without URI headers (`sip:1003@atende.local`). */
  target: string;
  uri: Uri;
  /** The Replaces URI header (attended transfer, RFC 3891), unescaped, when present. */
  replaces?: string;
  /** The method the URI names (`;method=`), INVITE when absent (RFC 3515 2.4.2). */
  method: string;
}

/** The dialog a Replaces names (RFC 3891 6.1): tags as seen by the UA receiving it. */
export interface ReplacesTarget {
  callId: string;
  toTag: string;
  fromTag: string;
  earlyOnly: boolean;
}

/** Parses a Replaces value (`call-id;to-tag=a;from-tag=b[;early-only]`). */
export function parseReplaces(value: string): ReplacesTarget | ParseError {
  const [id, ...params] = value.split(';');
  const callId = (id ?? '').trim();
  if (callId === '') return parseError('Replaces without a Call-ID');
  let toTag: string | undefined;
  let fromTag: string | undefined;
  let earlyOnly = false;
  for (const p of params) {
    const [k, v] = p.split('=').map((x) => x.trim());
    const key = (k ?? '').toLowerCase();
    if (key === 'to-tag') toTag = v;
    else if (key === 'from-tag') fromTag = v;
    else if (key === 'early-only') earlyOnly = true;
  }
  if (toTag === undefined || toTag === '' || fromTag === undefined || fromTag === '') return parseError('Replaces without both tags');
  return { callId, toTag, fromTag, earlyOnly };
}

/** Parses one Refer-To value: name-addr or addr-spec, URI headers kept apart. */
export function parseReferTo(value: string): ReferTarget | ParseError {
  const addr = parseNameAddr(value.trim());
  if (isParseError(addr)) return addr;
  const uri = addr.uri;
  if (!('host' in uri)) {
    // tel: or another scheme: nothing to strip.
    return { target: formatUri(uri), uri, method: 'INVITE' };
  }
  let replaces: string | undefined;
  for (const [name, v] of Object.entries(uri.headers)) {
    if (name.toLowerCase() === 'replaces') replaces = safeUnescape(v);
  }
  const params = { ...uri.params };
  const methodParam = params['method'];
  delete params['method'];
  const plain = { ...uri, params, headers: {} };
  const method = typeof methodParam === 'string' && methodParam !== '' ? methodParam.toUpperCase() : 'INVITE';
  return { target: formatUri(plain), uri: plain, method, ...(replaces !== undefined ? { replaces } : {}) };
}

function safeUnescape(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The single Refer-To of a REFER, or why it is unusable (RFC 3515 2.4.1: exactly one). */
export function referTargetOf(req: SipMessage): ReferTarget | ParseError {
  const values = req.headers.filter((h) => h.name.toLowerCase() === 'refer-to' || h.name === 'r');
  if (values.length === 0) return parseError('no Refer-To');
  if (values.length > 1) return parseError('more than one Refer-To');
  return parseReferTo((values[0] as { value: string }).value);
}

/** False when the REFER asks for no implicit subscription (`Refer-Sub: false`, RFC 4488). */
export function wantsReferSubscription(req: SipMessage): boolean {
  const v = getHeader(req, 'Refer-Sub');
  return v === undefined || v.trim().toLowerCase() !== 'false';
}

/** True when the message says it supports `norefersub` (RFC 4488 4): Refer-Sub: false may be honoured. */
export function supportsNoReferSub(msg: SipMessage): boolean {
  return [...getHeaderValues(msg, 'Supported'), ...getHeaderValues(msg, 'Require')].some((t) => t.toLowerCase() === 'norefersub');
}

/** The NOTIFY body reporting a status: a message/sipfrag status line (RFC 3515 2.4.5). */
export function sipfragBody(status: number, reason: string): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}

export const SIPFRAG_CONTENT_TYPE = 'message/sipfrag;version=2.0';

/** The status code in a sipfrag body's status line, or undefined when there is none. */
export function parseSipfragStatus(body: string): number | undefined {
  const m = /^\s*SIP\/2\.0[ \t]+([1-6]\d\d)\b/.exec(body);
  return m === null ? undefined : Number(m[1]);
}

/** The parts of Subscription-State (RFC 6665 8.2.3): active, pending or terminated. */
export function parseSubscriptionState(value: string | undefined): { state: string; reason?: string } | undefined {
  if (value === undefined) return undefined;
  const [head, ...params] = value.split(';');
  const state = (head ?? '').trim().toLowerCase();
  if (state === '') return undefined;
  const reason = params.map((p) => p.trim().split('=')).find(([k]) => k?.toLowerCase() === 'reason')?.[1];
  return { state, ...(reason !== undefined ? { reason: reason.trim() } : {}) };
}
