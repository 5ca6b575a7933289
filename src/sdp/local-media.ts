// What the caller of the offer/answer engine says about its own side of a leg: the anchored
// address and port, codecs by preference, packetization, hold state and transport security.
import type { AudioCodecName } from './codecs.js';
import type { Direction, DtlsFingerprint } from './model.js';
import type { SdpSessionIdentity, SdpSessionVersion } from './version.js';

/** A codec we offer, with its payload type (the static one or our dynamic default when omitted). */
export interface OfferCodec {
  readonly name: AudioCodecName;
  readonly pt?: number;
  /** a=fmtp value describing what we receive, e.g. "minptime=10;useinbandfec=1". */
  readonly fmtp?: string;
}

/** A codec we accept in an answer; its payload type is always the offerer's (RFC 3264 6.1). */
export interface AnswerCodec {
  readonly name: AudioCodecName;
  readonly fmtp?: string;
}

/** A telephone-event payload we offer (RFC 4733). */
export interface TelephoneEventOffer {
  readonly pt: number;
  /** 8000 unless given; offer one per codec clock (opus needs 48000). */
  readonly clockRate?: number;
  /** a=fmtp events, "0-16" unless given. */
  readonly events?: string;
}

/** Our SDES key for one suite (RFC 4568); the tag is chosen by the offer/answer engine. */
export interface LocalCrypto {
  readonly suite: string;
  /** e.g. "inline:<base64 key||salt>" */
  readonly keyParams: string;
  readonly sessionParams?: string;
}

/** One of our ICE candidates. */
export interface LocalIceCandidate {
  readonly foundation: string;
  readonly component: number;
  readonly transport: string;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: string;
  readonly relatedAddress?: string | undefined;
  readonly relatedPort?: number | undefined;
  readonly tcpType?: string | undefined;
}

/** Our ICE agent's parameters. */
export interface LocalIce {
  readonly ufrag: string;
  readonly pwd: string;
  readonly candidates: readonly LocalIceCandidate[];
  /** Written as session-level a=ice-lite (RFC 8445 2.5). */
  readonly lite?: boolean;
}

/** The profile of the audio m-line we offer, with what it needs. */
export type LocalTransport =
  | { readonly profile: 'RTP/AVP'; readonly rtcpMux?: boolean }
  | { readonly profile: 'RTP/SAVP'; readonly crypto: readonly LocalCrypto[]; readonly rtcpMux?: boolean }
  | {
      readonly profile: 'UDP/TLS/RTP/SAVPF';
      readonly ice: LocalIce;
      readonly fingerprint: DtlsFingerprint;
      /** actpass unless given (RFC 5763 5). */
      readonly setup?: 'actpass' | 'active' | 'passive';
      /** "0" unless given. */
      readonly mid?: string;
    };

/** Our RTP stream's SSRC and CNAME, written as a=ssrc (RFC 5576) when given. */
export interface LocalSsrc {
  readonly ssrc: number;
  readonly cname: string;
}

/** The o= identity: a tracker (version bumped on change) or fixed values. */
export type SessionIdentitySource = SdpSessionVersion | SdpSessionIdentity;

/** Everything createOffer needs for one leg. */
export interface LocalMediaOffer {
  readonly address: string;
  readonly port: number;
  /** a=rtcp when RTCP is not on port + 1 and not muxed. */
  readonly rtcpPort?: number;
  readonly codecs: readonly OfferCodec[];
  readonly telephoneEvent?: TelephoneEventOffer | readonly TelephoneEventOffer[];
  readonly ptime?: number;
  readonly maxptime?: number;
  /** Our hold state: sendonly or inactive to hold the far end. */
  readonly direction?: Direction;
  readonly transport: LocalTransport;
  readonly session: SessionIdentitySource;
  readonly sessionName?: string;
  readonly ssrc?: LocalSsrc;
  /** Whole m-sections appended after the audio one verbatim (e.g. a video section relayed from the other leg). */
  readonly extraSections?: readonly string[];
}

/**
 * Answering an offered section we do not terminate ourselves: either the replacement m-section
 * text verbatim (e.g. the other leg's answer for that video line), or the offered section echoed
 * with our relay port and address (ICE, DTLS, SDES and SSRC attributes dropped).
 */
export type PassthroughSection =
  | { readonly index: number; readonly text: string }
  | { readonly index: number; readonly port: number; readonly address?: string; readonly direction?: Direction };

/** Everything createAnswer needs for one leg. */
export interface LocalMediaCapabilities {
  readonly address: string;
  readonly port: number;
  readonly rtcpPort?: number;
  /** Codecs we terminate, best first. */
  readonly codecs: readonly (AudioCodecName | AnswerCodec)[];
  /** Whose preference picks among common codecs: ours (default) or the offerer's order. */
  readonly codecOrder?: 'local' | 'remote';
  /** Accept RFC 4733 telephone-event when offered (default true). */
  readonly telephoneEvent?: boolean | { readonly events?: string };
  /** Our packetization when the offer does not ask for one (default 20). */
  readonly ptime?: number;
  /** The longest ptime we will packetize (default 60). */
  readonly maxptime?: number;
  /** Our own hold state (default sendrecv). */
  readonly direction?: Direction;
  /** Accept rtcp-mux when offered (default true). */
  readonly rtcpMux?: boolean;
  /** Answer plain RTP/AVP(F) offers (default true; false to insist on SRTP). */
  readonly plainRtp?: boolean;
  /** Our SDES keys by suite, best first: enables RTP/SAVP and RTP/SAVPF with a=crypto. */
  readonly crypto?: readonly LocalCrypto[];
  /** Enables UDP/TLS/RTP/SAVPF (WebRTC). */
  readonly webrtc?: {
    readonly ice: LocalIce;
    readonly fingerprint: DtlsFingerprint;
    /** Our role when the offer says actpass: active unless given (RFC 5763 5 prefers active). */
    readonly setup?: 'active' | 'passive';
  };
  readonly session: SessionIdentitySource;
  readonly sessionName?: string;
  readonly ssrc?: LocalSsrc;
  readonly passthrough?: readonly PassthroughSection[];
}
