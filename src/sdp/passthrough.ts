// Answering a section Atende does not terminate but relays (video between phones): the caller
// gives the replacement text, or a relay port to echo the offered section with.
import * as sdpTransform from 'sdp-transform';
import { answerDirection, effectiveDirection } from './directions.js';
import type { PassthroughSection } from './local-media.js';
import type { MediaSection } from './model.js';
import { isSdpParseError } from './model.js';
import { negotiatedCodec, rejectedStream, remoteTransport } from './negotiated-stream.js';
import type { NegotiatedStream } from './negotiated-stream.js';
import { joinSdpLines, parseSessionDescription, sdpLines } from './parse.js';
import { addressType } from './sdp-writer.js';

const SESSION_FOR_ONE_SECTION = 'v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n';

function sessionFor(address: string): string {
  return `v=0\r\no=- 0 0 IN ${addressType(address)} ${address}\r\ns=-\r\nc=IN ${addressType(address)} ${address}\r\nt=0 0\r\n`;
}

/** The offered section with our relay port: what sdp-transform does not know is kept as it was. */
function echoSection(offered: MediaSection, port: number, address: string | undefined, direction: MediaSection['direction']): string | undefined {
  let parsed: sdpTransform.SessionDescription;
  try {
    parsed = sdpTransform.parse(SESSION_FOR_ONE_SECTION + offered.raw);
  } catch {
    return undefined;
  }
  const m = parsed.media[0];
  if (!m) return undefined;
  m.port = port;
  m.direction = direction;
  if (address !== undefined) m.connection = { version: addressType(address) === 'IP6' ? 6 : 4, ip: address };
  else delete m.connection; // the session-level c= (our address) applies
  // The offerer's transport and identity are not ours to answer with.
  for (const key of ['rtcp', 'iceUfrag', 'icePwd', 'iceOptions', 'candidates', 'endOfCandidates', 'fingerprint', 'setup',
    'crypto', 'ssrcs', 'ssrcGroups', 'msid'] as const) delete m[key];
  const text = sdpTransform.write(parsed);
  const at = text.indexOf('\r\nm=');
  return at < 0 ? undefined : text.slice(at + 2);
}

/** Our answer for a relayed section, or a rejection when the caller's section does not fit the offer. */
export function answerPassthrough(
  offered: MediaSection, decision: PassthroughSection, ourAddress: string,
): { section: string; stream: NegotiatedStream } | { stream: NegotiatedStream; section?: undefined } {
  const text = 'text' in decision
    ? joinSdpLines(sdpLines(decision.text))
    : echoSection(offered, decision.port, decision.address, decision.direction ?? answerDirection(effectiveDirection(offered)));
  if (text === undefined) return { stream: rejectedStream(offered, 'passthrough-invalid', true) };
  const parsed = parseSessionDescription(sessionFor(ourAddress) + text);
  if (isSdpParseError(parsed) || parsed.media.length !== 1) return { stream: rejectedStream(offered, 'passthrough-invalid', true) };
  const answer = parsed.media[0]!;
  const common = answer.formats.find((f) => offered.formats.includes(f));
  if (answer.media !== offered.media || answer.proto.toUpperCase() !== offered.proto.toUpperCase() || common === undefined) {
    return { stream: rejectedStream(offered, 'passthrough-invalid', true) };
  }
  if (answer.port === 0) return { section: text, stream: rejectedStream(offered, 'rejected-by-answer', true) };
  const payload = offered.codecs.find((c) => String(c.pt) === common);
  const rtcpMux = offered.rtcpMux && answer.rtcpMux;
  return {
    section: text,
    stream: {
      ...remoteTransport(offered, rtcpMux, answer.direction),
      rejected: false, rejectReason: undefined, passthrough: true,
      codec: payload ? negotiatedCodec(payload) : undefined,
      telephoneEvent: undefined, ptime: offered.ptime, crypto: undefined, dtls: undefined,
    },
  };
}
