// Answering the audio section Atende terminates (RFC 3264 6.1): codec by preference among the
// offered ones with the offerer's payload type numbers, telephone-event, ptime, direction,
// rtcp-mux and the transport security the offer's profile demands.
import { AUDIO_CODECS, audioCodecOfPayload, canPacketize, largestPtimeWithin } from './codecs.js';
import type { AudioCodecName } from './codecs.js';
import { answerDirection, effectiveDirection } from './directions.js';
import type { AnswerCodec, LocalMediaCapabilities } from './local-media.js';
import type { CryptoAttribute, MediaSection, PayloadCodec } from './model.js';
import { negotiatedCodec, remoteTransport } from './negotiated-stream.js';
import type { NegotiatedDtls, NegotiatedStream, RejectReason } from './negotiated-stream.js';
import { audioSection } from './sdp-writer.js';
import type { AudioSectionSpec, WrittenPayload } from './sdp-writer.js';

const DEFAULT_MAXPTIME = 60;

function localCodecs(local: LocalMediaCapabilities): AnswerCodec[] {
  return local.codecs.map((c) => (typeof c === 'string' ? { name: c } : c));
}

/** The offered payload we will use, by our preference or the offerer's order. */
export function chooseCodec(offered: MediaSection, local: LocalMediaCapabilities): { payload: PayloadCodec; codec: AnswerCodec } | undefined {
  const ours = localCodecs(local);
  const candidates: { payload: PayloadCodec; codec: AnswerCodec }[] = [];
  for (const payload of offered.codecs) {
    const name = audioCodecOfPayload(payload);
    const codec = ours.find((c) => c.name === name);
    if (codec) candidates.push({ payload, codec });
  }
  if (local.codecOrder === 'remote') return candidates[0];
  for (const codec of ours) {
    const found = candidates.find((c) => c.codec.name === codec.name);
    if (found) return found;
  }
  return undefined;
}

/** The offer's ptime when we can make it, else ours within the offer's maxptime. */
export function choosePtime(name: AudioCodecName, offered: MediaSection, local: LocalMediaCapabilities): number {
  const ourMax = local.maxptime ?? DEFAULT_MAXPTIME;
  if (offered.ptime !== undefined && offered.ptime <= ourMax && canPacketize(name, offered.ptime)) return offered.ptime;
  const limit = Math.min(ourMax, offered.maxptime ?? Infinity);
  const preferred = local.ptime ?? 20;
  return preferred <= limit && canPacketize(name, preferred) ? preferred : largestPtimeWithin(name, limit);
}

type Security =
  | { kind: 'plain' }
  | { kind: 'sdes'; remote: CryptoAttribute; local: CryptoAttribute }
  | { kind: 'dtls'; dtls: NegotiatedDtls };

function securityFor(offered: MediaSection, local: LocalMediaCapabilities): Security | RejectReason {
  const proto = offered.proto.toUpperCase();
  if (proto === 'RTP/AVP' || proto === 'RTP/AVPF') return local.plainRtp === false ? 'unsupported-profile' : { kind: 'plain' };
  if (proto === 'RTP/SAVP' || proto === 'RTP/SAVPF') {
    if (!local.crypto || local.crypto.length === 0) return 'unsupported-profile';
    for (const key of local.crypto) {
      const remote = offered.crypto.find((c) => c.suite.toUpperCase() === key.suite.toUpperCase());
      // RFC 4568 5.1.1: answer with the accepted line's tag and suite, and our own key.
      if (remote) return { kind: 'sdes', remote, local: { tag: remote.tag, suite: remote.suite, keyParams: key.keyParams, sessionParams: key.sessionParams } };
    }
    return 'no-common-crypto';
  }
  if (proto === 'UDP/TLS/RTP/SAVPF') {
    if (!local.webrtc) return 'unsupported-profile';
    if (!offered.dtls || !offered.ice) return 'missing-dtls';
    let localSetup: 'active' | 'passive';
    if (offered.dtls.setup === 'actpass') localSetup = local.webrtc.setup ?? 'active';
    else if (offered.dtls.setup === 'active') localSetup = 'passive';
    else if (offered.dtls.setup === 'passive') localSetup = 'active';
    else return 'missing-dtls';
    return { kind: 'dtls', dtls: { ...offered.dtls, localSetup, role: localSetup === 'active' ? 'client' : 'server' } };
  }
  return 'unsupported-profile';
}

/** Our answer text and the stream for an offered audio section, or why we refuse it. */
export function answerAudioSection(offered: MediaSection, local: LocalMediaCapabilities): { section: string; stream: NegotiatedStream } | RejectReason {
  const security = securityFor(offered, local);
  if (typeof security === 'string') return security;
  const chosen = chooseCodec(offered, local);
  if (!chosen) return 'no-common-codec';
  const name = chosen.codec.name;
  const spec = AUDIO_CODECS[name];
  // RFC 4733 2.1: events share the audio's RTP clock, so only a telephone-event at that rate will do.
  const te = local.telephoneEvent === false ? undefined : offered.telephoneEvents.find((t) => t.clockRate === chosen.payload.clockRate);
  const events = typeof local.telephoneEvent === 'object' ? local.telephoneEvent.events ?? '0-16' : '0-16';
  const payloads: WrittenPayload[] = [
    { pt: chosen.payload.pt, encodingName: spec.encodingName, clockRate: spec.clockRate, channels: spec.channels, fmtp: chosen.codec.fmtp },
  ];
  if (te) payloads.push({ pt: te.pt, encodingName: 'telephone-event', clockRate: te.clockRate, channels: 1, fmtp: events });
  const ptime = choosePtime(name, offered, local);
  const direction = answerDirection(effectiveDirection(offered), local.direction);
  const rtcpMux = offered.rtcpMux && (security.kind === 'dtls' || local.rtcpMux !== false);
  const sectionSpec: AudioSectionSpec = {
    port: local.port, proto: offered.proto, payloads, ptime, direction, rtcpMux, rtcpPort: local.rtcpPort,
    mid: offered.mid, ssrc: local.ssrc,
    crypto: security.kind === 'sdes' ? [security.local] : [],
    ...(security.kind === 'dtls' && local.webrtc
      ? { ice: local.webrtc.ice, fingerprint: local.webrtc.fingerprint, setup: security.dtls.localSetup }
      : {}),
  };
  const stream: NegotiatedStream = {
    ...remoteTransport(offered, rtcpMux, direction),
    rejected: false, rejectReason: undefined, passthrough: false,
    codec: negotiatedCodec(chosen.payload),
    telephoneEvent: te ? { pt: te.pt, clockRate: te.clockRate } : undefined,
    ptime,
    crypto: security.kind === 'sdes' ? { remote: security.remote, local: security.local } : undefined,
    dtls: security.kind === 'dtls' ? security.dtls : undefined,
  };
  return { section: audioSection(sectionSpec), stream };
}
