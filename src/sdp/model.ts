// The typed view of a session description (RFC 4566) that the offer/answer engine works on.
// Built by parse.ts, with inheritance from the session level already applied.

/** What an m= line carries; anything not audio, video or application is 'other' (image, text, message). */
export type MediaKind = 'audio' | 'video' | 'application' | 'other';

/** The RFC 3264 direction attributes; sendrecv when nothing is said. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** The o= line (RFC 4566 5.2); ids kept as decimal text because they may pass 2^53. */
export interface SdpOrigin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addressType: string;
  readonly address: string;
}

/** A c= line (RFC 4566 5.7). */
export interface SdpConnection {
  readonly addressType: 'IP4' | 'IP6';
  /** The address without any /ttl or /count suffix. */
  readonly address: string;
}

/** One payload format of an RTP m-section, from a=rtpmap or the static table (RFC 3551). */
export interface PayloadCodec {
  readonly pt: number;
  /** Encoding name as written (case kept); empty when a dynamic pt has no a=rtpmap. */
  readonly encodingName: string;
  readonly clockRate: number;
  readonly channels: number;
  /** The a=fmtp value as written, or undefined. */
  readonly fmtp: string | undefined;
  /** a=fmtp split into key=value pairs; a token without '=' maps to '' (e.g. "0-16"). */
  readonly fmtpParams: Readonly<Record<string, string>>;
}

/** An a=crypto line (RFC 4568 9.1), kept raw apart from tag and suite. */
export interface CryptoAttribute {
  readonly tag: number;
  readonly suite: string;
  /** e.g. "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32" */
  readonly keyParams: string;
  readonly sessionParams: string | undefined;
}

/** One a=candidate (RFC 8839 5.1). */
export interface IceCandidateAttribute {
  readonly foundation: string;
  readonly component: number;
  readonly transport: string;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: string;
  readonly relatedAddress: string | undefined;
  readonly relatedPort: number | undefined;
  readonly tcpType: string | undefined;
}

/** ICE parameters of a section (media level overrides session level). */
export interface IceParameters {
  readonly ufrag: string;
  readonly pwd: string;
  readonly lite: boolean;
  readonly options: string | undefined;
  readonly candidates: readonly IceCandidateAttribute[];
  readonly endOfCandidates: boolean;
}

/** a=fingerprint (RFC 8122). */
export interface DtlsFingerprint {
  /** Hash function as written, e.g. "sha-256". */
  readonly algorithm: string;
  /** Colon-separated upper-case hex. */
  readonly value: string;
}

/** a=setup (RFC 4145 4). */
export type DtlsSetup = 'actpass' | 'active' | 'passive' | 'holdconn';

/** DTLS parameters of a section. */
export interface DtlsParameters {
  readonly fingerprint: DtlsFingerprint;
  /** 'active' when a=setup is absent (RFC 4145 4.1 default). */
  readonly setup: DtlsSetup;
}

/** An a=ssrc line (RFC 5576). */
export interface SsrcAttribute {
  readonly ssrc: number;
  readonly attribute: string;
  readonly value: string | undefined;
}

/** One m= section with session-level values inherited. */
export interface MediaSection {
  readonly index: number;
  readonly kind: MediaKind;
  /** The media token as written (audio, video, application, image, ...). */
  readonly media: string;
  readonly port: number;
  readonly proto: string;
  /** Formats exactly as on the m= line. */
  readonly formats: readonly string[];
  /** Media-level c= if present, else session-level; undefined only for port-0 sections. */
  readonly connection: SdpConnection | undefined;
  /** Per payload type, for RTP protos; empty otherwise. */
  readonly codecs: readonly PayloadCodec[];
  /** telephone-event payloads (RFC 4733), possibly one per clock rate. */
  readonly telephoneEvents: readonly { readonly pt: number; readonly clockRate: number }[];
  readonly ptime: number | undefined;
  readonly maxptime: number | undefined;
  /** Media-level direction, else session-level, else sendrecv. */
  readonly direction: Direction;
  readonly rtcpMux: boolean;
  /** a=rtcp (RFC 3605), when present. */
  readonly rtcp: { readonly port: number; readonly address: string | undefined } | undefined;
  readonly crypto: readonly CryptoAttribute[];
  readonly ice: IceParameters | undefined;
  readonly dtls: DtlsParameters | undefined;
  readonly mid: string | undefined;
  readonly ssrcs: readonly SsrcAttribute[];
  /** The section's text from its m= line up to the next, lines joined with CRLF and ending in CRLF. */
  readonly raw: string;
}

/** a=group (RFC 5888), e.g. BUNDLE (RFC 8843). */
export interface MediaGroup {
  readonly semantics: string;
  readonly mids: readonly string[];
}

/** A parsed session description. */
export interface SessionDescription {
  readonly origin: SdpOrigin;
  readonly sessionName: string;
  /** Session-level c=, if any. */
  readonly connection: SdpConnection | undefined;
  /** Session-level direction attribute, if any. */
  readonly direction: Direction | undefined;
  readonly iceLite: boolean;
  readonly groups: readonly MediaGroup[];
  readonly media: readonly MediaSection[];
  /** The session part (v= up to the first m=), CRLF-terminated lines. */
  readonly rawSession: string;
}

/** Why an SDP body could not be read (same shape as the other layers' ParseError); the SIP layer answers 488 or 400. */
export interface SdpParseError {
  readonly type: 'parse-error';
  readonly reason: string;
}

export function sdpParseError(reason: string): SdpParseError {
  return { type: 'parse-error', reason };
}

export function isSdpParseError(x: unknown): x is SdpParseError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'parse-error';
}

/** The BUNDLE group a mid belongs to, if any. */
export function bundleGroupOf(description: SessionDescription, mid: string | undefined): MediaGroup | undefined {
  if (mid === undefined) return undefined;
  return description.groups.find((g) => g.semantics.toUpperCase() === 'BUNDLE' && g.mids.includes(mid));
}
