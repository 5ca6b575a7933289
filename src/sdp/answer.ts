// createAnswer (RFC 3264 6): one answer section per offered section, in order. The first audio
// section we can terminate is negotiated; sections the caller relays are passed through; every
// other section is refused with port 0.
import type { LocalMediaCapabilities } from './local-media.js';
import { answerAudioSection } from './answer-audio.js';
import { bundleGroupOf } from './model.js';
import type { SessionDescription } from './model.js';
import { rejectedStream } from './negotiated-stream.js';
import type { NegotiatedStream } from './negotiated-stream.js';
import { answerPassthrough } from './passthrough.js';
import { finishSdp, rejectedSection, sessionHeaderLines } from './sdp-writer.js';

/** The answer text and what was agreed for each offered section. */
export interface SdpAnswer {
  readonly sdp: string;
  readonly streams: readonly NegotiatedStream[];
  /** Every section was refused: the caller should answer 488 Not Acceptable Here instead. */
  readonly allRejected: boolean;
}

/** Our answer to a remote offer for a leg whose media we anchor. */
export function createAnswer(remoteOffer: SessionDescription, local: LocalMediaCapabilities): SdpAnswer {
  const sections: string[] = [];
  const streams: NegotiatedStream[] = [];
  let audio: NegotiatedStream | undefined;
  for (const offered of remoteOffer.media) {
    const push = (section: string, stream: NegotiatedStream): void => {
      sections.push(section);
      streams.push(stream);
    };
    // RFC 3264 6: a stream offered with port 0 stays refused.
    if (offered.port === 0) {
      push(rejectedSection(offered), rejectedStream(offered, 'offered-port-zero'));
      continue;
    }
    const decision = local.passthrough?.find((p) => p.index === offered.index);
    if (decision) {
      const relayed = answerPassthrough(offered, decision, local.address);
      push(relayed.section ?? rejectedSection(offered), relayed.stream);
      continue;
    }
    if (offered.kind !== 'audio') {
      push(rejectedSection(offered), rejectedStream(offered, 'unsupported-media'));
      continue;
    }
    if (audio) {
      push(rejectedSection(offered), rejectedStream(offered, 'extra-audio'));
      continue;
    }
    const answered = answerAudioSection(offered, local);
    if (typeof answered === 'string') {
      push(rejectedSection(offered), rejectedStream(offered, answered));
      continue;
    }
    audio = answered.stream;
    push(answered.section, answered.stream);
  }
  // RFC 8843 7.3: the answer's BUNDLE group lists only accepted sections; relayed ones keep their own transport.
  const bundled = audio && bundleGroupOf(remoteOffer, audio.mid) ? [audio.mid!] : [];
  const header = sessionHeaderLines({
    session: local.session, address: local.address, sessionName: local.sessionName,
    iceLite: audio?.dtls !== undefined && local.webrtc?.ice.lite === true, bundleMids: bundled,
  });
  return {
    sdp: finishSdp(header, sections, local.session),
    streams,
    allRejected: streams.every((s) => s.rejected),
  };
}
