// parseSessionDescription: SDP text (RFC 4566) -> typed model, or an SdpParseError. Never throws.
// One pass over the lines checks structure (v=, o=, m=, c=) and reads attributes (attribute-lines.ts).
import { emptyAttributeLines, readAttributeLine } from './attribute-lines.js';
import type { AttributeLines } from './attribute-lines.js';
import { isRtpProto, isTelephoneEvent, parseFmtpParams, staticPayloadType } from './codecs.js';
import { sdpParseError } from './model.js';
import type {
  DtlsParameters, DtlsSetup, IceParameters, MediaKind, MediaSection, PayloadCodec, SdpConnection, SdpOrigin, SdpParseError,
  SessionDescription,
} from './model.js';

const M_LINE = /^m=(\S+) (\d+)(?:\/\d+)? (\S+)((?: +\S+)*) *$/;
const C_LINE = /^c=IN (IP4|IP6) ([^\s/]+)(?:\/\S+)? *$/;
const O_LINE = /^o=(\S+) (\d+) (\d+) (\S+) (\S+) (\S+) *$/;
const PAYLOAD_TYPE = /^\d{1,3}$/;
const SESSION_NAME = /.*/y;
const SETUPS: ReadonlySet<string> = new Set(['actpass', 'active', 'passive', 'holdconn']);

/** The lines of an SDP body, and whether the body is exactly them CRLF-joined with a final CRLF. */
function splitLines(text: string): { lines: string[]; crlfJoined: boolean } {
  let lines: string[];
  let crlfOnly = false;
  // A string split is much cheaper than the regex; CRLF-only bodies are the rule on the wire.
  if (!text.includes('\r')) lines = text.split('\n');
  else if (!text.includes('\n')) lines = text.split('\r');
  else {
    lines = text.split('\r\n');
    crlfOnly = lines.every((l) => !l.includes('\r') && !l.includes('\n'));
    if (!crlfOnly) lines = text.split(/\r\n|\r|\n/);
  }
  const last = lines.length - 1;
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return { lines, crlfJoined: crlfOnly && lines.length === last && text.endsWith('\r\n') };
}

/** Splits on every kind of line ending; blank trailing lines are dropped. */
export function sdpLines(text: string): string[] {
  return splitLines(text).lines;
}

/** CRLF-joined lines with a final CRLF, as SDP is sent. */
export function joinSdpLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

/** The session part or one m= section: its first line, where it lies in the CRLF-joined body, what it says. */
interface Level {
  readonly first: string;
  readonly from: number;
  to: number;
  readonly attributes: AttributeLines;
  /** The first c= line, or the first malformed one, which makes the description unreadable. */
  connection: SdpConnection | SdpParseError | undefined;
}

const newLevel = (first: string, from: number): Level => ({ first, from, to: from, attributes: emptyAttributeLines(), connection: undefined });
const isError = (x: object | undefined): x is SdpParseError => x !== undefined && 'type' in x;

/** `section` is the m-section's index, or -1 for the session part. */
function readConnection(level: Level, line: string, section: number): void {
  if (isError(level.connection)) return;
  const m = C_LINE.exec(line);
  if (!m) level.connection = sdpParseError(`malformed c= line in ${section < 0 ? 'the session' : `m-section ${section}`}: "${line}"`);
  // Several c= lines (multicast) are legal; the first is the one we send to.
  else level.connection ??= { addressType: m[1] as 'IP4' | 'IP6', address: m[2]! };
}

function isLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

function kindOf(media: string): MediaKind {
  return media === 'audio' || media === 'video' || media === 'application' ? media : 'other';
}

function rtpCodecs(formats: readonly string[], attrs: AttributeLines, kind: MediaKind): PayloadCodec[] | SdpParseError {
  const codecs: PayloadCodec[] = [];
  for (const format of formats) {
    if (!PAYLOAD_TYPE.test(format) || Number(format) > 127) return sdpParseError(`RTP payload type "${format}" is not 0-127`);
    const pt = Number(format);
    if (codecs.some((c) => c.pt === pt)) continue;
    // Only the plain decimal form names a payload type (a=rtpmap:08 is not type 8), as before.
    const written = String(pt);
    const rtpmap = attrs.rtpmaps.find((r) => r.payload === written);
    const fixed = staticPayloadType(pt);
    const fmtp = attrs.fmtps.find((f) => f.payload === written)?.config;
    const clockRate = rtpmap?.clockRate === undefined ? fixed?.clockRate ?? 0 : Number(rtpmap.clockRate);
    const channels = rtpmap ? (rtpmap.channels === undefined ? 1 : Number(rtpmap.channels)) : fixed?.channels ?? 1;
    codecs.push({
      pt, encodingName: rtpmap?.encodingName ?? fixed?.name ?? '', clockRate, channels: kind === 'audio' ? channels : 1,
      fmtp, fmtpParams: fmtp === undefined ? {} : parseFmtpParams(fmtp),
    });
  }
  return codecs;
}

function iceOf(attrs: AttributeLines, session: AttributeLines): IceParameters | undefined {
  const ufrag = attrs.iceUfrag ?? session.iceUfrag;
  const pwd = attrs.icePwd ?? session.icePwd;
  if (ufrag === undefined || pwd === undefined) return undefined;
  return {
    ufrag, pwd, lite: session.iceLite, options: attrs.iceOptions ?? session.iceOptions,
    candidates: attrs.candidates, endOfCandidates: attrs.endOfCandidates,
  };
}

function dtlsOf(attrs: AttributeLines, session: AttributeLines): DtlsParameters | undefined {
  const fingerprint = attrs.fingerprint ?? session.fingerprint;
  if (!fingerprint) return undefined;
  const setup = (attrs.setup ?? session.setup ?? 'active').toLowerCase();
  return {
    fingerprint: { algorithm: fingerprint.algorithm, value: fingerprint.value },
    setup: (SETUPS.has(setup) ? setup : 'active') as DtlsSetup,
  };
}

/** A positive ptime/maxptime; "20.0" or "020" count as absent, as they did through sdp-transform. */
function positive(written: string | undefined): number | undefined {
  if (written === undefined) return undefined;
  const n = Number(written);
  return String(n) === written && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The session-level values a section inherits. */
interface SessionLevel {
  readonly attributes: AttributeLines;
  readonly connection: SdpConnection | undefined;
  readonly direction: SessionDescription['direction'];
}

function buildSection(index: number, level: Level, body: string, session: SessionLevel): MediaSection | SdpParseError {
  const m = M_LINE.exec(level.first);
  if (!m) return sdpParseError(`malformed m= line: "${level.first}"`);
  const port = Number(m[2]);
  if (port > 65535) return sdpParseError(`m= port ${port} out of range`);
  const formats = m[4]!.split(' ').filter((f) => f !== ''); // m[4] is spaces and non-space runs only
  if (formats.length === 0) return sdpParseError(`m= line ${index} has no formats`);
  const kind = kindOf(m[1]!);
  if (isError(level.connection)) return level.connection;
  const connection = level.connection ?? session.connection;
  if (connection === undefined && port !== 0) return sdpParseError(`m-section ${index} has no c= line`);
  const proto = m[3]!;
  const attrs = level.attributes;
  const codecs = isRtpProto(proto) ? rtpCodecs(formats, attrs, kind) : [];
  if (!Array.isArray(codecs)) return codecs;
  return {
    index, kind, media: m[1]!, port, proto, formats, connection, codecs,
    telephoneEvents: codecs.filter((c) => isTelephoneEvent(c.encodingName)).map((c) => ({ pt: c.pt, clockRate: c.clockRate })),
    ptime: positive(attrs.ptime), maxptime: positive(attrs.maxptime),
    direction: attrs.direction ?? session.direction ?? 'sendrecv',
    rtcpMux: attrs.rtcpMux,
    rtcp: attrs.rtcp,
    crypto: attrs.crypto,
    ice: iceOf(attrs, session.attributes),
    dtls: dtlsOf(attrs, session.attributes),
    mid: attrs.mid,
    ssrcs: attrs.ssrcs,
    raw: body.slice(level.from, level.to),
  };
}

function parseOrigin(line: string | undefined): SdpOrigin | SdpParseError {
  if (line === undefined) return sdpParseError('no o= line');
  const m = O_LINE.exec(line);
  if (!m) return sdpParseError(`malformed o= line: "${line}"`);
  return { username: m[1]!, sessionId: m[2]!, sessionVersion: m[3]!, netType: m[4]!, addressType: m[5]!, address: m[6]! };
}

function sessionNameOf(line: string): string {
  // Up to a U+2028/2029 line separator, as sdp-transform's /(.*)/ read it.
  SESSION_NAME.lastIndex = 2;
  return SESSION_NAME.exec(line)![0];
}

/** Reads an SDP body; returns an SdpParseError for anything RFC 4566 structure forbids. */
export function parseSessionDescription(text: string): SessionDescription | SdpParseError {
  if (typeof text !== 'string') return sdpParseError('empty session description');
  const { lines, crlfJoined } = splitLines(text);
  if (lines.length === 0) return sdpParseError('empty session description');
  if (lines[0]!.trim() !== 'v=0') return sdpParseError('first line is not v=0');

  const session = newLevel(lines[0]!, 0);
  const sections: Level[] = [];
  let level = session;
  let originLine: string | undefined;
  let sessionName = '';
  let offset = 0; // of the current line in the CRLF-joined body
  for (const line of lines) {
    const type = line.charCodeAt(0);
    if (line.charCodeAt(1) !== 0x3d || !isLetter(type)) return sdpParseError(`malformed line: "${line.slice(0, 80)}"`);
    if (type === 0x61) readAttributeLine(line, level.attributes); // a=
    else if (type === 0x6d) sections.push(level = newLevel(line, offset)); // m=
    else if (type === 0x63) readConnection(level, line, sections.length - 1); // c=
    else if (level === session && type === 0x6f) originLine ??= line; // o=
    else if (level === session && type === 0x73) sessionName = sessionNameOf(line); // s=, the last one counts
    offset += line.length + 2;
    level.to = offset;
  }
  const origin = parseOrigin(originLine);
  if ('type' in origin) return origin;
  const connection = session.connection;
  if (isError(connection)) return connection;

  const body = crlfJoined ? text : joinSdpLines(lines);
  const inherited: SessionLevel = { attributes: session.attributes, connection, direction: session.attributes.direction };
  const media: MediaSection[] = [];
  for (let i = 0; i < sections.length; i++) {
    const section = buildSection(i, sections[i]!, body, inherited);
    if ('type' in section) return section;
    media.push(section);
  }
  return {
    origin, sessionName, connection, direction: inherited.direction, iceLite: session.attributes.iceLite,
    groups: session.attributes.groups, media, rawSession: body.slice(0, session.to),
  };
}
