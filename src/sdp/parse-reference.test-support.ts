// The sdp-transform based parse path as it was before parse.ts read attributes itself, kept
// verbatim (only renamed) as the reference that parse-equivalence.test.ts and bench/sdp-parse.ts
// compare the single-pass reader against. Not used by the PBX.
import * as sdpTransform from 'sdp-transform';
import type { MediaAttributes, SessionAttributes } from 'sdp-transform';
import { isRtpProto, isTelephoneEvent, parseFmtpParams, staticPayloadType } from './codecs.js';
import { isDirection } from './directions.js';
import { sdpParseError } from './model.js';
import type {
  CryptoAttribute, DtlsParameters, DtlsSetup, IceParameters, MediaKind, MediaSection, PayloadCodec,
  SdpConnection, SdpOrigin, SdpParseError, SessionDescription,
} from './model.js';

const LINE = /^[a-zA-Z]=/;
const M_LINE = /^m=(\S+) (\d+)(?:\/\d+)? (\S+)((?: +\S+)*) *$/;
const C_LINE = /^c=IN (IP4|IP6) ([^\s/]+)(?:\/\S+)? *$/;
const O_LINE = /^o=(\S+) (\d+) (\d+) (\S+) (\S+) (\S+) *$/;
const SETUPS: ReadonlySet<string> = new Set(['actpass', 'active', 'passive', 'holdconn']);

/** Splits on every kind of line ending; blank trailing lines are dropped. */
function sdpLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

/** CRLF-joined lines with a final CRLF, as SDP is sent. */
function joinSdpLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

function parseConnection(lines: readonly string[], where: string): SdpConnection | undefined | SdpParseError {
  let connection: SdpConnection | undefined;
  for (const line of lines) {
    if (!line.startsWith('c=')) continue;
    const m = C_LINE.exec(line);
    if (!m) return sdpParseError(`malformed c= line in ${where}: "${line}"`);
    // Several c= lines (multicast) are legal; the first is the one we send to.
    connection ??= { addressType: m[1] as 'IP4' | 'IP6', address: m[2]! };
  }
  return connection;
}

function kindOf(media: string): MediaKind {
  return media === 'audio' || media === 'video' || media === 'application' ? media : 'other';
}

function rtpCodecs(formats: readonly string[], attrs: MediaAttributes, kind: MediaKind): PayloadCodec[] | SdpParseError {
  const codecs: PayloadCodec[] = [];
  for (const format of formats) {
    if (!/^\d{1,3}$/.test(format) || Number(format) > 127) return sdpParseError(`RTP payload type "${format}" is not 0-127`);
    const pt = Number(format);
    if (codecs.some((c) => c.pt === pt)) continue;
    const rtpmap = attrs.rtp.find((r) => r.payload === pt);
    const fixed = staticPayloadType(pt);
    const fmtp = attrs.fmtp.find((f) => f.payload === pt)?.config;
    const encodingName = rtpmap?.codec ?? fixed?.name ?? '';
    const clockRate = rtpmap?.rate ?? fixed?.clockRate ?? 0;
    const channels = rtpmap?.encoding ?? (rtpmap ? 1 : fixed?.channels ?? 1);
    codecs.push({
      pt, encodingName, clockRate, channels: kind === 'audio' ? channels : 1,
      fmtp, fmtpParams: fmtp === undefined ? {} : parseFmtpParams(fmtp),
    });
  }
  return codecs;
}

function iceOf(attrs: MediaAttributes, session: SessionAttributes): IceParameters | undefined {
  const ufrag = attrs.iceUfrag ?? session.iceUfrag;
  const pwd = attrs.icePwd ?? session.icePwd;
  if (ufrag === undefined || pwd === undefined) return undefined;
  return {
    ufrag: String(ufrag), pwd: String(pwd), lite: session.icelite === 'ice-lite',
    options: attrs.iceOptions ?? session.iceOptions,
    candidates: (attrs.candidates ?? []).map((c) => ({
      foundation: String(c.foundation), component: c.component, transport: c.transport, priority: c.priority,
      address: c.ip, port: c.port, type: c.type, relatedAddress: c.raddr, relatedPort: c.rport, tcpType: c.tcptype,
    })),
    endOfCandidates: attrs.endOfCandidates !== undefined,
  };
}

function dtlsOf(attrs: MediaAttributes, session: SessionAttributes): DtlsParameters | undefined {
  const fingerprint = attrs.fingerprint ?? session.fingerprint;
  if (!fingerprint) return undefined;
  const setup = (attrs.setup ?? session.setup ?? 'active').toLowerCase();
  return {
    fingerprint: { algorithm: fingerprint.type, value: fingerprint.hash },
    setup: (SETUPS.has(setup) ? setup : 'active') as DtlsSetup,
  };
}

function cryptoOf(attrs: MediaAttributes): CryptoAttribute[] {
  return (attrs.crypto ?? []).map((c) => ({
    tag: c.id, suite: c.suite, keyParams: c.config, sessionParams: c.sessionConfig,
  }));
}

function buildSection(
  index: number, lines: readonly string[], attrs: MediaAttributes, session: SessionAttributes,
  sessionConnection: SdpConnection | undefined, sessionDirection: SessionDescription['direction'],
): MediaSection | SdpParseError {
  const m = M_LINE.exec(lines[0]!);
  if (!m) return sdpParseError(`malformed m= line: "${lines[0]}"`);
  const port = Number(m[2]);
  if (port > 65535) return sdpParseError(`m= port ${port} out of range`);
  const formats = m[4]!.trim().split(/ +/).filter((f) => f !== '');
  if (formats.length === 0) return sdpParseError(`m= line ${index} has no formats`);
  const kind = kindOf(m[1]!);
  const own = parseConnection(lines, `m-section ${index}`);
  if (own !== undefined && 'type' in own) return own;
  const connection = own ?? sessionConnection;
  if (connection === undefined && port !== 0) return sdpParseError(`m-section ${index} has no c= line`);
  const proto = m[3]!;
  const codecs = isRtpProto(proto) ? rtpCodecs(formats, attrs, kind) : [];
  if (!Array.isArray(codecs)) return codecs;
  return {
    index, kind, media: m[1]!, port, proto, formats, connection, codecs,
    telephoneEvents: codecs.filter((c) => isTelephoneEvent(c.encodingName)).map((c) => ({ pt: c.pt, clockRate: c.clockRate })),
    ptime: positive(attrs.ptime), maxptime: positive(attrs.maxptime),
    direction: isDirection(attrs.direction) ? attrs.direction : sessionDirection ?? 'sendrecv',
    rtcpMux: attrs.rtcpMux !== undefined,
    rtcp: attrs.rtcp ? { port: attrs.rtcp.port, address: attrs.rtcp.address } : undefined,
    crypto: cryptoOf(attrs),
    ice: iceOf(attrs, session),
    dtls: dtlsOf(attrs, session),
    mid: attrs.mid === undefined ? undefined : String(attrs.mid),
    ssrcs: (attrs.ssrcs ?? []).map((s) => ({ ssrc: Number(s.id), attribute: s.attribute, value: s.value })),
    raw: joinSdpLines(lines),
  };
}

function positive(n: number | undefined): number | undefined {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
}

function parseOrigin(lines: readonly string[]): SdpOrigin | SdpParseError {
  const line = lines.find((l) => l.startsWith('o='));
  if (line === undefined) return sdpParseError('no o= line');
  const m = O_LINE.exec(line);
  if (!m) return sdpParseError(`malformed o= line: "${line}"`);
  return { username: m[1]!, sessionId: m[2]!, sessionVersion: m[3]!, netType: m[4]!, addressType: m[5]!, address: m[6]! };
}

/** parseSessionDescription as it was with sdp-transform reading the attributes. */
export function referenceParseSessionDescription(text: string): SessionDescription | SdpParseError {
  if (typeof text !== 'string' || text.trim() === '') return sdpParseError('empty session description');
  const lines = sdpLines(text);
  if (lines[0]?.trim() !== 'v=0') return sdpParseError('first line is not v=0');
  const bad = lines.find((l) => !LINE.test(l));
  if (bad !== undefined) return sdpParseError(`malformed line: "${bad.slice(0, 80)}"`);

  const firstM = lines.findIndex((l) => l.startsWith('m='));
  const sessionLines = firstM < 0 ? lines : lines.slice(0, firstM);
  const sectionLines: string[][] = [];
  if (firstM >= 0) {
    for (const line of lines.slice(firstM)) {
      if (line.startsWith('m=')) sectionLines.push([line]);
      else sectionLines[sectionLines.length - 1]!.push(line);
    }
  }
  const origin = parseOrigin(sessionLines);
  if ('type' in origin) return origin;
  const connection = parseConnection(sessionLines, 'the session');
  if (connection !== undefined && 'type' in connection) return connection;

  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(joinSdpLines(lines));
  } catch (err) {
    return sdpParseError(`unreadable attributes: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed.media.length !== sectionLines.length) return sdpParseError('m= sections could not be read');
  const direction = isDirection(parsed.direction) ? parsed.direction : undefined;
  const media: MediaSection[] = [];
  for (let i = 0; i < sectionLines.length; i++) {
    const section = buildSection(i, sectionLines[i]!, parsed.media[i]!, parsed, connection, direction);
    if ('type' in section) return section;
    media.push(section);
  }
  return {
    origin,
    sessionName: parsed.name ?? '',
    connection,
    direction,
    iceLite: parsed.icelite === 'ice-lite',
    groups: (parsed.groups ?? []).map((g) => ({ semantics: g.type, mids: String(g.mids).split(' ').filter((x) => x !== '') })),
    media,
    rawSession: joinSdpLines(sessionLines),
  };
}


export { joinSdpLines as referenceJoinSdpLines, sdpLines as referenceSdpLines };
