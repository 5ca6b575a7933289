// The a= lines parseSessionDescription reads, taken in one pass: the attribute name picks the one
// expression that reads the line. What a line yields follows sdp-transform 3.0's grammar, which
// parse.ts used before: its expressions (so \S, \s and optional parts behave the same), a line they
// do not match is ignored, a later single-valued attribute replaces an earlier one, and flags and
// directions match as prefixes ("a=rtcp-muxed" is rtcp-mux). Unlike sdp-transform, text stays text
// and numbers are Number(digits), whatever the digits look like ("007", "1234").
import type { CryptoAttribute, Direction, DtlsFingerprint, IceCandidateAttribute, MediaGroup, SsrcAttribute } from './model.js';

/** An a=rtpmap line (RFC 4566 6), its numbers still as written. */
export interface RtpMapLine {
  readonly payload: string;
  readonly encodingName: string;
  readonly clockRate: string | undefined;
  readonly channels: string | undefined;
}

/** An a=fmtp line: the payload type as written and the parameters as one string. */
export interface FmtpLine {
  readonly payload: string;
  readonly config: string;
}

/** The attributes of one level: the session part or one m= section. */
export interface AttributeLines {
  readonly rtpmaps: RtpMapLine[];
  readonly fmtps: FmtpLine[];
  /** a=ptime and a=maxptime as written ("20", "20.0", ""). */
  ptime: string | undefined;
  maxptime: string | undefined;
  direction: Direction | undefined;
  rtcpMux: boolean;
  rtcp: { readonly port: number; readonly address: string | undefined } | undefined;
  readonly crypto: CryptoAttribute[];
  iceLite: boolean;
  iceUfrag: string | undefined;
  icePwd: string | undefined;
  iceOptions: string | undefined;
  readonly candidates: IceCandidateAttribute[];
  endOfCandidates: boolean;
  fingerprint: DtlsFingerprint | undefined;
  setup: string | undefined;
  mid: string | undefined;
  readonly ssrcs: SsrcAttribute[];
  readonly groups: MediaGroup[];
}

export function emptyAttributeLines(): AttributeLines {
  return {
    rtpmaps: [], fmtps: [], ptime: undefined, maxptime: undefined, direction: undefined, rtcpMux: false, rtcp: undefined,
    crypto: [], iceLite: false, iceUfrag: undefined, icePwd: undefined, iceOptions: undefined, candidates: [],
    endOfCandidates: false, fingerprint: undefined, setup: undefined, mid: undefined, ssrcs: [], groups: [],
  };
}

// sdp-transform's expressions, sticky from just after "a=" instead of anchored at a sliced copy.
const RTPMAP = /rtpmap:(\d*) ([\w\-.]*)(?:\s*\/(\d*)(?:\s*\/(\S*))?)?/y;
const FMTP = /fmtp:(\d*) ([\S| ]*)/y;
const RTCP = /rtcp:(\d*)(?: (\S*) IP(\d) (\S*))?/y;
const CRYPTO = /crypto:(\d*) ([\w_]*) (\S*)(?: (\S*))?/y;
const FINGERPRINT = /fingerprint:(\S*) (\S*)/y;
// The generation, network-id and network-cost parts that follow are optional and read nothing we keep.
const CANDIDATE = /candidate:(\S*) (\d*) (\S*) (\d*) (\S*) (\d*) typ (\S*)(?: raddr (\S*) rport (\d*))?(?: tcptype (\S*))?/y;
const SSRC = /ssrc:(\d*) ([\w_-]*)(?::(.*))?/y;
const GROUP = /group:(\w*) (.*)/y;
const PTIME_VALUE = /\d*(?:\.\d*)*/y;
const NON_SPACE = /\S*/y;
const WORD = /\w*/y;

/** `re` applied at `at` (2, just after "a="); null when the line does not have its form. */
function matchAt(re: RegExp, line: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(line);
}

/** The run of `re` (which matches even an empty value) from `at`, where the value starts after "a=name:". */
function valueAt(re: RegExp, line: string, at: number): string {
  re.lastIndex = at;
  return re.exec(line)![0];
}

const optionalNumber = (digits: string | undefined): number | undefined => (digits === undefined ? undefined : Number(digits));

function readRtpMap(line: string, into: AttributeLines): void {
  const m = matchAt(RTPMAP, line, 2);
  if (m) into.rtpmaps.push({ payload: m[1]!, encodingName: m[2]!, clockRate: m[3], channels: m[4] });
}

function readFmtp(line: string, into: AttributeLines): void {
  const m = matchAt(FMTP, line, 2);
  if (m) into.fmtps.push({ payload: m[1]!, config: m[2]! });
}

function readRtcp(line: string, into: AttributeLines): void {
  const m = matchAt(RTCP, line, 2)!;
  // A second a=rtcp without an address keeps the first one's: sdp-transform merged them.
  into.rtcp = { port: Number(m[1]), address: m[4] ?? into.rtcp?.address };
}

function readCrypto(line: string, into: AttributeLines): void {
  const m = matchAt(CRYPTO, line, 2);
  if (m) into.crypto.push({ tag: Number(m[1]), suite: m[2]!, keyParams: m[3]!, sessionParams: m[4] });
}

function readFingerprint(line: string, into: AttributeLines): void {
  const m = matchAt(FINGERPRINT, line, 2);
  if (m) into.fingerprint = { algorithm: m[1]!, value: m[2]! };
}

function readCandidate(line: string, into: AttributeLines): void {
  const m = matchAt(CANDIDATE, line, 2);
  if (!m) return;
  into.candidates.push({
    foundation: m[1]!, component: Number(m[2]), transport: m[3]!, priority: Number(m[4]), address: m[5]!, port: Number(m[6]),
    type: m[7]!, relatedAddress: m[8], relatedPort: optionalNumber(m[9]), tcpType: m[10],
  });
}

function readSsrc(line: string, into: AttributeLines): void {
  const m = matchAt(SSRC, line, 2);
  if (m) into.ssrcs.push({ ssrc: Number(m[1]), attribute: m[2]!, value: m[3] });
}

function readGroup(line: string, into: AttributeLines): void {
  const m = matchAt(GROUP, line, 2);
  if (m) into.groups.push({ semantics: m[1]!, mids: m[2]!.split(' ').filter((x) => x !== '') });
}

/** Reads one line starting "a=" into the attributes of its level; attributes the model does not use are skipped. */
export function readAttributeLine(line: string, into: AttributeLines): void {
  // The first letter of the name narrows the candidates to a few; the numbers are where the value starts.
  switch (line.charCodeAt(2)) {
    case 0x72: // r
      if (line.startsWith('rtpmap:', 2)) readRtpMap(line, into);
      else if (line.startsWith('rtcp:', 2)) readRtcp(line, into);
      else if (line.startsWith('rtcp-mux', 2)) into.rtcpMux = true;
      else if (line.startsWith('recvonly', 2)) into.direction = 'recvonly';
      return;
    case 0x66: // f
      if (line.startsWith('fmtp:', 2)) readFmtp(line, into);
      else if (line.startsWith('fingerprint:', 2)) readFingerprint(line, into);
      return;
    case 0x70: // p
      if (line.startsWith('ptime:', 2)) into.ptime = valueAt(PTIME_VALUE, line, 8);
      return;
    case 0x6d: // m
      if (line.startsWith('maxptime:', 2)) into.maxptime = valueAt(PTIME_VALUE, line, 11);
      else if (line.startsWith('mid:', 2)) into.mid = valueAt(NON_SPACE, line, 6);
      return;
    case 0x73: // s
      if (line.startsWith('sendrecv', 2)) into.direction = 'sendrecv';
      else if (line.startsWith('sendonly', 2)) into.direction = 'sendonly';
      else if (line.startsWith('setup:', 2)) into.setup = valueAt(WORD, line, 8);
      else if (line.startsWith('ssrc:', 2)) readSsrc(line, into);
      return;
    case 0x69: // i
      if (line.startsWith('inactive', 2)) into.direction = 'inactive';
      else if (line.startsWith('ice-ufrag:', 2)) into.iceUfrag = valueAt(NON_SPACE, line, 12);
      else if (line.startsWith('ice-pwd:', 2)) into.icePwd = valueAt(NON_SPACE, line, 10);
      else if (line.startsWith('ice-options:', 2)) into.iceOptions = valueAt(NON_SPACE, line, 14);
      else if (line.startsWith('ice-lite', 2)) into.iceLite = true;
      return;
    case 0x63: // c
      if (line.startsWith('candidate:', 2)) readCandidate(line, into);
      else if (line.startsWith('crypto:', 2)) readCrypto(line, into);
      return;
    case 0x65: // e
      if (line.startsWith('end-of-candidates', 2)) into.endOfCandidates = true;
      return;
    case 0x67: // g
      if (line.startsWith('group:', 2)) readGroup(line, into);
      return;
  }
}
