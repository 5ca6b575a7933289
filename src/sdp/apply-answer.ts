// applyAnswer: checks a remote answer against the offer we sent (RFC 3264 6, 7) and reads out
// what each stream will carry.
import { audioCodecOfPayload, isTelephoneEvent } from './codecs.js';
import type { MediaSection, SdpParseError, SessionDescription } from './model.js';
import { isSdpParseError } from './model.js';
import { negotiatedCodec, rejectedStream, remoteTransport } from './negotiated-stream.js';
import type { NegotiatedDtls, NegotiatedStream } from './negotiated-stream.js';
import { parseSessionDescription } from './parse.js';

/** The answer cannot be an answer to our offer: the caller tears the session down (or re-offers). */
export interface SdpAnswerError {
  readonly type: 'sdp-answer-error';
  readonly reason: string;
}

export function isSdpAnswerError(x: unknown): x is SdpAnswerError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'sdp-answer-error';
}

const fail = (reason: string): SdpAnswerError => ({ type: 'sdp-answer-error', reason });

function read(sdp: SessionDescription | string): SessionDescription | SdpParseError {
  return typeof sdp === 'string' ? parseSessionDescription(sdp) : sdp;
}

/** The section of our offer we terminate: the first audio one with a codec of ours. */
function primaryAudioIndex(offer: SessionDescription): number {
  return offer.media.findIndex((m) => m.kind === 'audio' && m.port !== 0 && m.codecs.some((c) => audioCodecOfPayload(c) !== undefined));
}

function negotiateOwnAudio(ours: MediaSection, theirs: MediaSection): NegotiatedStream | SdpAnswerError {
  // RFC 3264 6.1: the answer picks from what we offered; a codec is matched by name and clock, since
  // the answerer may (rarely) renumber it, and we then send with its number.
  const codecPayload = theirs.codecs.find((a) => {
    const name = audioCodecOfPayload(a);
    return name !== undefined && ours.codecs.some((o) => audioCodecOfPayload(o) === name);
  });
  if (!codecPayload) return fail(`m-section ${ours.index}: the answer has no codec from our offer`);
  const te = theirs.codecs.find((a) => isTelephoneEvent(a.encodingName) && a.clockRate === codecPayload.clockRate
    && ours.telephoneEvents.some((o) => o.clockRate === a.clockRate));
  let crypto: NegotiatedStream['crypto'];
  let dtls: NegotiatedDtls | undefined;
  const proto = ours.proto.toUpperCase();
  if (proto === 'RTP/SAVP' || proto === 'RTP/SAVPF') {
    // RFC 4568 5.1.2: exactly the tag (and suite) of one offered line.
    const remote = theirs.crypto.find((a) => ours.crypto.some((o) => o.tag === a.tag && o.suite.toUpperCase() === a.suite.toUpperCase()));
    const local = remote && ours.crypto.find((o) => o.tag === remote.tag);
    if (!remote || !local) return fail(`m-section ${ours.index}: the answer's a=crypto matches no offered tag and suite`);
    crypto = { remote, local };
  } else if (proto === 'UDP/TLS/RTP/SAVPF') {
    if (!theirs.dtls || !theirs.ice) return fail(`m-section ${ours.index}: WebRTC answer without fingerprint or ICE credentials`);
    // RFC 5763 5: the answerer picks active or passive; we take the other role.
    if (theirs.dtls.setup !== 'active' && theirs.dtls.setup !== 'passive') return fail(`m-section ${ours.index}: answer a=setup:${theirs.dtls.setup}`);
    const localSetup = theirs.dtls.setup === 'active' ? 'passive' : 'active';
    dtls = { ...theirs.dtls, localSetup, role: localSetup === 'active' ? 'client' : 'server' };
  }
  const rtcpMux = ours.rtcpMux && theirs.rtcpMux;
  return {
    ...remoteTransport(theirs, rtcpMux, ours.direction, ours.direction),
    rejected: false, rejectReason: undefined, passthrough: false,
    codec: negotiatedCodec(codecPayload),
    telephoneEvent: te ? { pt: te.pt, clockRate: te.clockRate } : undefined,
    // a=ptime says how the receiver wants packets; without it, what we asked for, else 20 ms.
    ptime: theirs.ptime ?? ours.ptime ?? 20,
    crypto, dtls,
  };
}

function relayedStream(ours: MediaSection, theirs: MediaSection): NegotiatedStream {
  const payload = theirs.codecs.find((a) => ours.formats.includes(String(a.pt)));
  const rtcpMux = ours.rtcpMux && theirs.rtcpMux;
  return {
    ...remoteTransport(theirs, rtcpMux, ours.direction, ours.direction),
    rejected: false, rejectReason: undefined, passthrough: true,
    codec: payload ? negotiatedCodec(payload) : undefined,
    telephoneEvent: undefined, ptime: theirs.ptime, crypto: undefined, dtls: undefined,
  };
}

/** The streams agreed by our offer and the remote's answer, or why the answer is not valid. */
export function applyAnswer(
  ourOffer: SessionDescription | string, remoteAnswer: SessionDescription | string,
): NegotiatedStream[] | SdpAnswerError {
  const offer = read(ourOffer);
  if (isSdpParseError(offer)) return fail(`our offer does not parse: ${offer.reason}`);
  const answer = read(remoteAnswer);
  if (isSdpParseError(answer)) return fail(`answer does not parse: ${answer.reason}`);
  // RFC 3264 6: exactly as many m= lines as the offer, in the same order and of the same media.
  if (answer.media.length !== offer.media.length) {
    return fail(`the answer has ${answer.media.length} m-sections for ${offer.media.length} offered`);
  }
  const primary = primaryAudioIndex(offer);
  const streams: NegotiatedStream[] = [];
  for (let i = 0; i < offer.media.length; i++) {
    const ours = offer.media[i]!;
    const theirs = answer.media[i]!;
    if (theirs.media !== ours.media) return fail(`m-section ${i}: answered ${theirs.media} for ${ours.media}`);
    if (ours.port === 0) {
      if (theirs.port !== 0) return fail(`m-section ${i}: accepted a section we offered with port 0`);
      streams.push(rejectedStream(theirs, 'offered-port-zero', i !== primary));
      continue;
    }
    if (theirs.port === 0) {
      streams.push(rejectedStream(theirs, 'rejected-by-answer', i !== primary));
      continue;
    }
    if (theirs.proto.toUpperCase() !== ours.proto.toUpperCase()) return fail(`m-section ${i}: answered ${theirs.proto} for ${ours.proto}`);
    if (i !== primary) {
      streams.push(relayedStream(ours, theirs));
      continue;
    }
    const stream = negotiateOwnAudio(ours, theirs);
    if (isSdpAnswerError(stream)) return stream;
    streams.push(stream);
  }
  return streams;
}
