/**
 * Parses one SIP message from bytes (RFC 3261 7, 25): start line and header fields eagerly,
 * typed header values lazily. Never throws: every failure is a ParseError, and a broken
 * request whose start line and core headers could be read carries them so the edge can
 * still answer 400 or 505.
 */
import { rememberedCSeq } from './cseq.js';
import { canonicalHeaderName } from './header-names.js';
import { EMPTY_BODY, ownedBody } from './message-body.js';
import { firstListElement } from './header-fields.js';
import { rememberedNameAddr } from './name-addr.js';
import { rememberedUri } from './uri.js';
import { rememberedVia } from './via.js';
import { isParseError, parseError } from './types.js';
import type { HeaderField, ParseError, SipMessage, SipRequest } from './types.js';

/** Bounds on what one message may hold; larger input is refused before it is read. */
export interface ParseLimits {
  maxMessageBytes: number;
  maxHeaders: number;
  maxHeaderLineBytes: number;
  maxBodyBytes: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxMessageBytes: 65535,
  maxHeaders: 128,
  maxHeaderLineBytes: 8192,
  maxBodyBytes: 65535,
});

const VERSION = /^SIP\/(\d{1,3})\.(\d{1,3})$/i;

function isTokenChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || c === 0x2e || c === 0x21 || c === 0x25 || c === 0x2a || c === 0x5f ||
    c === 0x2b || c === 0x60 || c === 0x27 || c === 0x7e
  );
}

function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}

/** Trims SIP linear whitespace (SP and HTAB) only. */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 0x20 || s.charCodeAt(a) === 0x09)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 0x20 || s.charCodeAt(b - 1) === 0x09)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export interface HeadSection {
  /** Offset of the start line (leading CRLFs skipped). */
  start: number;
  /** Offset just past the last header line's text (before its line end). */
  headEnd: number;
  /** Offset of the first body byte. */
  bodyStart: number;
}

/**
 * Finds the empty line ending the header section (CRLF or bare LF line ends). Returns
 * undefined when there is none yet, or a ParseError for a line longer than the limit.
 */
export function findHeadSection(data: Buffer, maxLineBytes: number, maxHeadBytes: number): HeadSection | ParseError | undefined {
  let start = 0;
  // RFC 3261 7.5: CRLFs before the start line are ignored (keep-alives, stream padding).
  while (start < data.length && (data[start] === 0x0d || data[start] === 0x0a)) start++;
  let lineStart = start;
  for (;;) {
    const nl = data.indexOf(0x0a, lineStart);
    if (nl < 0) {
      if (data.length - lineStart > maxLineBytes) return parseError('header line too long');
      if (data.length - start > maxHeadBytes) return parseError('header section too long');
      return undefined;
    }
    const textEnd = nl > lineStart && data[nl - 1] === 0x0d ? nl - 1 : nl;
    if (textEnd - lineStart > maxLineBytes) return parseError('header line too long');
    if (textEnd === lineStart && lineStart > start) return { start, headEnd: Math.max(start, lineStart - 1), bodyStart: nl + 1 };
    lineStart = nl + 1;
    if (lineStart - start > maxHeadBytes) return parseError('header section too long');
  }
}

/** Parses one complete message (a datagram, or one framed message from a stream). */
export function parseMessage(data: Buffer, limits?: Partial<ParseLimits>): SipMessage | ParseError {
  const lim = limits === undefined ? DEFAULT_PARSE_LIMITS : { ...DEFAULT_PARSE_LIMITS, ...limits };
  try {
    return parseChecked(data, lim);
  } catch {
    // Belt only: the parser is written not to throw; a bug must still not crash the edge.
    return parseError('internal parser error');
  }
}

interface StartLine {
  request?: { method: string; uri: string };
  response?: { status: number; reason: string };
  version: string;
  error?: string;
  versionNotSupported?: boolean;
}

function checkVersion(version: string, out: StartLine): boolean {
  const m = VERSION.exec(version);
  if (m === null) return false;
  out.version = 'SIP/2.0';
  if (Number(m[1]) !== 2 || Number(m[2]) !== 0) {
    out.version = version;
    out.error = `SIP version ${version} not supported`;
    out.versionNotSupported = true;
  }
  return true;
}

/** Reads the start line; undefined when it is not a SIP start line at all. */
function parseStartLine(line: string): StartLine | undefined {
  const sp1 = line.indexOf(' ');
  if (sp1 <= 0) return undefined;
  const first = line.slice(0, sp1);
  const out: StartLine = { version: '' };
  if (first.length > 4 && first.slice(0, 4).toUpperCase() === 'SIP/') {
    if (!checkVersion(first, out)) return undefined;
    const code = line.slice(sp1 + 1, sp1 + 4);
    if (!/^[1-6]\d\d$/.test(code)) return undefined;
    const rest = line.slice(sp1 + 4);
    if (rest !== '' && rest[0] !== ' ') return undefined;
    out.response = { status: Number(code), reason: rest.slice(1) };
    return out;
  }
  const sp2 = line.indexOf(' ', sp1 + 1);
  if (sp2 < 0 || !isToken(first)) return undefined;
  const uri = line.slice(sp1 + 1, sp2);
  const version = line.slice(sp2 + 1);
  if (uri === '' || !checkVersion(version, out)) return undefined;
  out.request = { method: first, uri };
  const parsed = rememberedUri(uri);
  if (isParseError(parsed) && out.error === undefined) out.error = `bad Request-URI: ${parsed.reason}`;
  return out;
}

/** Bytes not allowed raw in a header section: controls other than HTAB, and CR not before LF. */
function findBadByte(data: Buffer, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const b = data[i] as number;
    if (b >= 0x20 && b !== 0x7f) continue;
    if (b === 0x09 || b === 0x0a) continue;
    if (b === 0x0d && data[i + 1] === 0x0a) continue;
    return i;
  }
  return -1;
}

function parseChecked(data: Buffer, lim: ParseLimits): SipMessage | ParseError {
  if (data.length > lim.maxMessageBytes) return parseError('message too large');
  const head = findHeadSection(data, lim.maxHeaderLineBytes, lim.maxMessageBytes);
  if (head === undefined) return parseError('no empty line after the headers');
  if (isParseError(head)) return head;
  if (findBadByte(data, head.start, head.headEnd) >= 0) return parseError('control character in header section');
  const lines = data.toString('utf8', head.start, head.headEnd).split('\n');
  let startText = lines[0] ?? '';
  if (startText.endsWith('\r')) startText = startText.slice(0, -1);
  const start = parseStartLine(startText);
  if (start === undefined) return parseError('bad start line');
  let error = start.error;

  const headers: HeaderField[] = [];
  let last: HeaderField | undefined;
  for (let k = 1; k < lines.length; k++) {
    let line = lines[k] as string;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const c0 = line.charCodeAt(0);
    if (c0 === 0x20 || c0 === 0x09) {
      // Folded continuation line (RFC 3261 7.3.1): joins the previous value with one SP.
      const more = trimLws(line);
      if (last === undefined) {
        error ??= 'continuation line before any header';
        continue;
      }
      if (more !== '') last.value = last.value === '' ? more : `${last.value} ${more}`;
      if (last.value.length > lim.maxHeaderLineBytes) return parseError('header line too long');
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : trimLws(line.slice(0, colon));
    if (!isToken(name)) {
      error ??= `malformed header line ${k}`;
      last = undefined;
      continue;
    }
    if (headers.length >= lim.maxHeaders) return parseError('too many headers');
    last = { name: canonicalHeaderName(name), value: trimLws(line.slice(colon + 1)) };
    headers.push(last);
  }

  // The headers every message needs (RFC 3261 8.1.1), checked just enough for the edge to answer.
  let via: string | undefined;
  let from: string | undefined;
  let to: string | undefined;
  let callIdValue: string | undefined;
  let cseqValue: string | undefined;
  let contentLength: string | undefined;
  for (const h of headers) {
    switch (h.name) {
      case 'Via': via ??= h.value; break;
      case 'From': from ??= h.value; break;
      case 'To': to ??= h.value; break;
      case 'Call-ID': callIdValue ??= h.value; break;
      case 'CSeq': cseqValue ??= h.value; break;
      case 'Content-Length':
        if (contentLength !== undefined && contentLength !== h.value) error ??= 'conflicting Content-Length headers';
        contentLength ??= h.value;
        break;
      default:
        break;
    }
  }
  let coreError: string | undefined;
  // The shared parsers remember these values, so the layers above re-read them cheaply.
  const firstVia = via === undefined ? undefined : firstListElement(via);
  if (firstVia === undefined) coreError = 'missing Via';
  else if (isParseError(rememberedVia(firstVia))) coreError = 'bad Via';
  else if (from === undefined) coreError = 'missing From';
  else if (isParseError(rememberedNameAddr(from))) coreError = 'bad From';
  else if (to === undefined) coreError = 'missing To';
  else if (isParseError(rememberedNameAddr(to))) coreError = 'bad To';
  else if (callIdValue === undefined || callIdValue === '') coreError = 'missing Call-ID';
  else if (cseqValue === undefined) coreError = 'missing CSeq';
  else {
    const cs = rememberedCSeq(cseqValue);
    if (isParseError(cs)) coreError = 'bad CSeq';
    else if (start.request !== undefined && cs.method !== start.request.method) error ??= 'CSeq method does not match the request method';
  }

  let body = EMPTY_BODY;
  const available = data.length - head.bodyStart;
  if (contentLength !== undefined) {
    if (!/^\d{1,10}$/.test(contentLength)) error ??= 'bad Content-Length';
    else {
      const length = Number(contentLength);
      if (length > lim.maxBodyBytes) error ??= 'body too large';
      else if (length > available) error ??= 'body shorter than Content-Length';
      else if (length > 0) body = ownedBody(data.subarray(head.bodyStart, head.bodyStart + length));
    }
  } else if (available > lim.maxBodyBytes) error ??= 'body too large';
  else if (available > 0) body = ownedBody(data.subarray(head.bodyStart));

  if (coreError !== undefined || error !== undefined) {
    const failure = parseError(coreError ?? error ?? 'bad message');
    if (start.versionNotSupported) {
      failure.reason = error ?? failure.reason;
      failure.versionNotSupported = true;
    }
    if (start.request !== undefined && coreError === undefined) {
      const partial: SipRequest = { type: 'request', method: start.request.method, uri: start.request.uri, version: start.version, headers, body: EMPTY_BODY };
      failure.request = partial;
    }
    return failure;
  }
  if (start.request !== undefined) {
    return { type: 'request', method: start.request.method, uri: start.request.uri, version: start.version, headers, body };
  }
  const response = start.response as { status: number; reason: string };
  return { type: 'response', status: response.status, reason: response.reason, version: start.version, headers, body };
}
