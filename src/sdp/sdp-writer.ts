// Writes the SDP text of our own sections line by line (RFC 4566 5 order: v o s c t, then a=).
import type { CryptoAttribute, Direction, DtlsFingerprint, MediaSection } from './model.js';
import type { LocalIce, LocalIceCandidate, LocalSsrc, SessionIdentitySource } from './local-media.js';
import { joinSdpLines } from './parse.js';
import { SdpSessionVersion } from './version.js';

/** IP6 for addresses with a colon, IP4 otherwise. */
export function addressType(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

export interface SessionHeader {
  readonly session: SessionIdentitySource;
  readonly address: string;
  readonly sessionName?: string;
  readonly iceLite?: boolean;
  readonly bundleMids?: readonly string[];
}

/** v= o= s= c= t= and session-level attributes. */
export function sessionHeaderLines(h: SessionHeader): string[] {
  const s = h.session;
  const username = s instanceof SdpSessionVersion ? s.username : s.username ?? '-';
  const version = s instanceof SdpSessionVersion ? s.version : String(s.version);
  const at = addressType(h.address);
  const lines = [
    'v=0',
    `o=${username} ${s.id} ${version} IN ${at} ${h.address}`,
    `s=${h.sessionName ?? '-'}`,
    `c=IN ${at} ${h.address}`,
    't=0 0',
  ];
  if (h.iceLite) lines.push('a=ice-lite');
  if (h.bundleMids && h.bundleMids.length > 0) lines.push(`a=group:BUNDLE ${h.bundleMids.join(' ')}`);
  return lines;
}

/** Joins header and sections, and lets a version tracker stamp the o= line. */
export function finishSdp(header: readonly string[], sections: readonly string[], session: SessionIdentitySource): string {
  const text = joinSdpLines(header) + sections.join('');
  return session instanceof SdpSessionVersion ? session.stamp(text) : text;
}

/** One payload type as we write it. */
export interface WrittenPayload {
  readonly pt: number;
  readonly encodingName: string;
  readonly clockRate: number;
  readonly channels: number;
  readonly fmtp?: string | undefined;
}

/** The audio section we terminate. */
export interface AudioSectionSpec {
  readonly port: number;
  readonly proto: string;
  readonly payloads: readonly WrittenPayload[];
  readonly ptime?: number | undefined;
  readonly maxptime?: number | undefined;
  readonly direction: Direction;
  readonly rtcpMux: boolean;
  readonly rtcpPort?: number | undefined;
  readonly mid?: string | undefined;
  readonly crypto?: readonly CryptoAttribute[];
  readonly ice?: LocalIce | undefined;
  readonly fingerprint?: DtlsFingerprint | undefined;
  readonly setup?: string | undefined;
  readonly ssrc?: LocalSsrc | undefined;
}

export function candidateLine(c: LocalIceCandidate): string {
  let line = `a=candidate:${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined && c.relatedPort !== undefined) line += ` raddr ${c.relatedAddress} rport ${c.relatedPort}`;
  if (c.tcpType !== undefined) line += ` tcptype ${c.tcpType}`;
  return line;
}

export function cryptoLine(c: CryptoAttribute): string {
  return `a=crypto:${c.tag} ${c.suite} ${c.keyParams}${c.sessionParams ? ` ${c.sessionParams}` : ''}`;
}

/** The text of an audio m-section. */
export function audioSection(spec: AudioSectionSpec): string {
  const lines = [`m=audio ${spec.port} ${spec.proto} ${spec.payloads.map((p) => p.pt).join(' ')}`];
  if (spec.mid !== undefined) lines.push(`a=mid:${spec.mid}`);
  if (spec.ice) {
    lines.push(`a=ice-ufrag:${spec.ice.ufrag}`, `a=ice-pwd:${spec.ice.pwd}`);
    for (const c of spec.ice.candidates) lines.push(candidateLine(c));
    lines.push('a=end-of-candidates');
  }
  if (spec.fingerprint) lines.push(`a=fingerprint:${spec.fingerprint.algorithm} ${spec.fingerprint.value}`);
  if (spec.setup !== undefined) lines.push(`a=setup:${spec.setup}`);
  for (const p of spec.payloads) {
    lines.push(`a=rtpmap:${p.pt} ${p.encodingName}/${p.clockRate}${p.channels > 1 ? `/${p.channels}` : ''}`);
    if (p.fmtp !== undefined && p.fmtp !== '') lines.push(`a=fmtp:${p.pt} ${p.fmtp}`);
  }
  if (spec.ptime !== undefined) lines.push(`a=ptime:${spec.ptime}`);
  if (spec.maxptime !== undefined) lines.push(`a=maxptime:${spec.maxptime}`);
  lines.push(`a=${spec.direction}`);
  if (spec.rtcpMux) lines.push('a=rtcp-mux');
  else if (spec.rtcpPort !== undefined && spec.rtcpPort !== spec.port + 1) lines.push(`a=rtcp:${spec.rtcpPort}`);
  for (const c of spec.crypto ?? []) lines.push(cryptoLine(c));
  if (spec.ssrc) lines.push(`a=ssrc:${spec.ssrc.ssrc} cname:${spec.ssrc.cname}`);
  return joinSdpLines(lines);
}

/** RFC 3264 6: a refused stream keeps its m= line with port 0 and the offered formats; a=mid kept for BUNDLE/JSEP. */
export function rejectedSection(offered: MediaSection): string {
  const lines = [`m=${offered.media} 0 ${offered.proto} ${offered.formats.join(' ')}`];
  if (offered.mid !== undefined) lines.push(`a=mid:${offered.mid}`);
  return joinSdpLines(lines);
}
