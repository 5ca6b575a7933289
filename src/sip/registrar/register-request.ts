/**
 * Reads what the registrar needs from a REGISTER (RFC 3261 10.3, RFC 5626 6, RFC 3327 5.3)
 * into plain values, or says why the request is malformed. Pure: no state, no clock.
 */
import { getHeader, getHeaderValues, isParseError, parseNameAddr } from '../message/index.js';
import type { SipRequest, Uri } from '../message/index.js';

/** One Contact of the REGISTER, with its binding-relevant parameters read. */
export interface RequestedContact {
  /** The URI text without header parameters (what a binding stores). */
  uri: string;
  parsed: Uri;
  /** The contact's expires parameter when present and well-formed (seconds). */
  expires?: number;
  q?: number;
  instanceId?: string;
  regId?: number;
}

export interface RegisterView {
  callId: string;
  cseq: number;
  /** True for "Contact: *". */
  wildcard: boolean;
  contacts: RequestedContact[];
  /** Expires header (seconds) when present; a malformed value reads as 3600 (RFC 3261 20.19 / 10.2.1.1). */
  expires?: number;
  path: string[];
  userAgent?: string;
  /** The UA listed "outbound" in Supported or Require. */
  supportsOutbound: boolean;
  /** Number of Via values: 1 means the UA sent it to us directly (first hop). */
  viaCount: number;
}

export interface RegisterRejection {
  status: number;
  reason: string;
}

/** Largest delta-seconds value (RFC 3261 20.19: up to 2**32-1). */
const MAX_DELTA_SECONDS = 4294967295;
/** Value given to malformed expiry values (RFC 3261 20.10: "equivalent to 3600"). */
const MALFORMED_EXPIRES = 3600;

/** Parses delta-seconds; undefined when malformed. Overlong values are capped, not rejected. */
export function parseDeltaSeconds(raw: string): number | undefined {
  const s = raw.trim();
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? Math.min(n, MAX_DELTA_SECONDS) : MAX_DELTA_SECONDS;
}

/** RFC 3261 qvalue: "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]. */
function parseQ(raw: string): number | undefined {
  const s = raw.trim();
  if (!/^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(s)) return undefined;
  return Number(s);
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

function hasOptionTag(req: SipRequest, header: string, tag: string): boolean {
  return getHeaderValues(req, header).some((v) => v.trim().toLowerCase() === tag);
}

/** Reads the REGISTER; a RegisterRejection names the 400 to answer. */
export function readRegister(req: SipRequest): RegisterView | RegisterRejection {
  const callId = getHeader(req, 'Call-ID')?.trim();
  if (!callId) return { status: 400, reason: 'Missing Call-ID' };
  const cseqMatch = /^\s*([0-9]{1,10})\s+([A-Za-z]+)\s*$/.exec(getHeader(req, 'CSeq') ?? '');
  const cseq = cseqMatch ? Number(cseqMatch[1]) : NaN;
  if (!cseqMatch || cseq > 2 ** 31 - 1 || cseqMatch[2]?.toUpperCase() !== 'REGISTER') {
    return { status: 400, reason: 'Invalid CSeq' };
  }

  const expiresHeader = getHeader(req, 'Expires');
  const expires =
    expiresHeader === undefined ? undefined : (parseDeltaSeconds(expiresHeader) ?? MALFORMED_EXPIRES);

  const rawContacts = getHeaderValues(req, 'Contact');
  const wildcard = rawContacts.some((c) => c.trim() === '*');
  const contacts: RequestedContact[] = [];
  if (wildcard) {
    // RFC 3261 10.3 step 6: "*" only alone and only with Expires: 0.
    if (rawContacts.length !== 1) return { status: 400, reason: 'Wildcard Contact Must Be Alone' };
    if (expires !== 0) return { status: 400, reason: 'Wildcard Contact Requires Expires: 0' };
  } else {
    for (const raw of rawContacts) {
      const contact = readContact(raw);
      if ('status' in contact) return contact;
      contacts.push(contact);
    }
  }

  const view: RegisterView = {
    callId,
    cseq,
    wildcard,
    contacts,
    path: getHeaderValues(req, 'Path').map((p) => p.trim()),
    supportsOutbound: hasOptionTag(req, 'Supported', 'outbound') || hasOptionTag(req, 'Require', 'outbound'),
    viaCount: getHeaderValues(req, 'Via').length,
  };
  if (expires !== undefined) view.expires = expires;
  const ua = getHeader(req, 'User-Agent')?.trim();
  if (ua) view.userAgent = ua;
  return view;
}

function readContact(raw: string): RequestedContact | RegisterRejection {
  const na = parseNameAddr(raw);
  if (isParseError(na)) return { status: 400, reason: 'Invalid Contact' };
  const uri = contactUriText(raw);
  const c: RequestedContact = { uri, parsed: na.uri };
  const exp = na.params['expires'];
  if (exp !== undefined) c.expires = (exp === null ? undefined : parseDeltaSeconds(exp)) ?? MALFORMED_EXPIRES;
  const q = na.params['q'];
  if (q !== undefined) {
    const value = q === null ? undefined : parseQ(q);
    if (value === undefined) return { status: 400, reason: 'Invalid Contact q-value' };
    c.q = value;
  }
  const instance = na.params['+sip.instance'];
  if (instance) c.instanceId = unquote(instance);
  const regId = na.params['reg-id'];
  if (regId !== undefined) {
    // RFC 5626 4.2: reg-id = 1*10DIGIT, 1 to 2**31-1.
    const n = regId === null ? NaN : Number(regId);
    if (!/^[0-9]{1,10}$/.test(regId ?? '') || n < 1 || n > 2 ** 31 - 1) {
      return { status: 400, reason: 'Invalid Contact reg-id' };
    }
    c.regId = n;
  }
  return c;
}

/**
 * The URI text exactly as the UA wrote it (some UAs look for it verbatim in the 200). Called
 * only after parseNameAddr accepted `raw`: inside <...> after any quoted display name,
 * otherwise the addr-spec up to the first ';' (RFC 3261 20.10).
 */
function contactUriText(raw: string): string {
  const s = raw.trim();
  // The form is decided by whichever of '<', '"' or ';' comes first, as in parseNameAddr.
  const first = s.search(/[<";]/);
  if (first < 0 || s[first] === ';') return (first < 0 ? s : s.slice(0, first)).trim();
  let from = first;
  if (s[first] === '"') {
    from++;
    while (from < s.length && s[from] !== '"') from += s[from] === '\\' ? 2 : 1;
  }
  const open = s.indexOf('<', from);
  return s.slice(open + 1, s.indexOf('>', open)).trim();
}
