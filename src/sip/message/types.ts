/**
 * The SIP message model (RFC 3261 section 7). Headers are kept as an ordered list of raw
 * fields so unknown headers survive untouched; typed views (Via, name-addr, CSeq, URI)
 * are parsed on demand by the functions in this folder.
 */

/** One header field; `name` is the canonical long form for known headers (compact forms expanded). */
export interface HeaderField {
  name: string;
  /** Unfolded value, surrounding whitespace trimmed. One field may still hold comma-joined values. */
  value: string;
}

interface MessageBase {
  /** Always "SIP/2.0" for messages we accept; kept to answer 505 otherwise. */
  version: string;
  headers: HeaderField[];
  body: Buffer;
}

export interface SipRequest extends MessageBase {
  readonly type: 'request';
  method: string;
  /** Request-URI as written on the wire; parse with parseUri when needed. */
  uri: string;
}

export interface SipResponse extends MessageBase {
  readonly type: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

/** URI parameters: `;lr` is `{ lr: null }`, `;transport=tcp` is `{ transport: 'tcp' }`. */
export type UriParams = Record<string, string | null>;

export interface SipUri {
  scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** Host name, IPv4 address, or IPv6 reference including brackets ("[::1]"). */
  host: string;
  port?: number;
  params: UriParams;
  headers: Record<string, string>;
}

export interface TelUri {
  scheme: 'tel';
  number: string;
  params: UriParams;
}

/** Any other absolute URI (mailto:, urn:, http:), kept as written. */
export interface OtherUri {
  scheme: string;
  raw: string;
}

export type Uri = SipUri | TelUri | OtherUri;

/** name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route...). */
export interface NameAddr {
  displayName?: string;
  uri: Uri;
  /** Header parameters after the URI (tag, expires, q, +sip.instance, reg-id...). */
  params: UriParams;
}

export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-case transport token: UDP, TCP, TLS, WS, WSS, SCTP... */
  transport: string;
  host: string;
  port?: number;
  /** branch, received, rport (null when present without value), maddr, ttl... */
  params: UriParams;
}

export interface CSeq {
  seq: number;
  method: string;
}

/** Why a message or a header could not be parsed; wire input never escapes as an exception. */
export interface ParseError {
  readonly type: 'parse-error';
  reason: string;
  /**
   * Set by parseMessage when a request failed but its start line and Via/From/To/Call-ID/CSeq
   * could still be read (body empty), so the edge can answer 400 with a Warning.
   */
  request?: SipRequest;
  /** Set by parseMessage when the SIP version is not SIP/2.0: the edge answers 505. */
  versionNotSupported?: boolean;
}

export function isParseError(x: unknown): x is ParseError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'parse-error';
}

export function parseError(reason: string): ParseError {
  return { type: 'parse-error', reason };
}
