// What the SDP layer needs to know about audio codecs: names, rtpmap clocks and channels, and
// the static payload types of RFC 3551 table 4. Kept here (not imported from media) by layering.

/** The audio codecs Atende can terminate; the media layer spells them the same way. */
export type AudioCodecName = 'PCMU' | 'PCMA' | 'G722' | 'opus';

/** The rtpmap facts of one of our codecs. */
export interface AudioCodecSpec {
  readonly name: AudioCodecName;
  readonly encodingName: string;
  /** RTP clock; 8000 for G.722 although it samples at 16 kHz (RFC 3551 4.5.2). */
  readonly clockRate: number;
  /** As written in a=rtpmap: opus is always /2 (RFC 7587 7). */
  readonly channels: number;
  readonly staticPayloadType: number | undefined;
  /** The dynamic payload type we offer when the caller gives none. */
  readonly defaultPayloadType: number;
}

export const AUDIO_CODECS: Readonly<Record<AudioCodecName, AudioCodecSpec>> = Object.freeze({
  PCMU: { name: 'PCMU', encodingName: 'PCMU', clockRate: 8000, channels: 1, staticPayloadType: 0, defaultPayloadType: 0 },
  PCMA: { name: 'PCMA', encodingName: 'PCMA', clockRate: 8000, channels: 1, staticPayloadType: 8, defaultPayloadType: 8 },
  G722: { name: 'G722', encodingName: 'G722', clockRate: 8000, channels: 1, staticPayloadType: 9, defaultPayloadType: 9 },
  opus: { name: 'opus', encodingName: 'opus', clockRate: 48000, channels: 2, staticPayloadType: undefined, defaultPayloadType: 111 },
});

const AUDIO_CODEC_NAMES: readonly AudioCodecName[] = ['PCMU', 'PCMA', 'G722', 'opus'];

/** Static payload types of RFC 3551 table 4 that may appear without an a=rtpmap. */
const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, { name: string; clockRate: number; channels: number }> = new Map([
  [0, { name: 'PCMU', clockRate: 8000, channels: 1 }],
  [3, { name: 'GSM', clockRate: 8000, channels: 1 }],
  [4, { name: 'G723', clockRate: 8000, channels: 1 }],
  [5, { name: 'DVI4', clockRate: 8000, channels: 1 }],
  [6, { name: 'DVI4', clockRate: 16000, channels: 1 }],
  [7, { name: 'LPC', clockRate: 8000, channels: 1 }],
  [8, { name: 'PCMA', clockRate: 8000, channels: 1 }],
  [9, { name: 'G722', clockRate: 8000, channels: 1 }],
  [10, { name: 'L16', clockRate: 44100, channels: 2 }],
  [11, { name: 'L16', clockRate: 44100, channels: 1 }],
  [12, { name: 'QCELP', clockRate: 8000, channels: 1 }],
  [13, { name: 'CN', clockRate: 8000, channels: 1 }],
  [14, { name: 'MPA', clockRate: 90000, channels: 1 }],
  [15, { name: 'G728', clockRate: 8000, channels: 1 }],
  [16, { name: 'DVI4', clockRate: 11025, channels: 1 }],
  [17, { name: 'DVI4', clockRate: 22050, channels: 1 }],
  [18, { name: 'G729', clockRate: 8000, channels: 1 }],
  [25, { name: 'CelB', clockRate: 90000, channels: 1 }],
  [26, { name: 'JPEG', clockRate: 90000, channels: 1 }],
  [28, { name: 'nv', clockRate: 90000, channels: 1 }],
  [31, { name: 'H261', clockRate: 90000, channels: 1 }],
  [32, { name: 'MPV', clockRate: 90000, channels: 1 }],
  [33, { name: 'MP2T', clockRate: 90000, channels: 1 }],
  [34, { name: 'H263', clockRate: 90000, channels: 1 }],
]);

/** The static mapping of a payload type (RFC 3551 table 4), if it has one. */
export function staticPayloadType(pt: number): { name: string; clockRate: number; channels: number } | undefined {
  return STATIC_PAYLOAD_TYPES.get(pt);
}

/**
 * Our codecs by encoding name, as we write it and in lower case. Negotiation looks up every
 * offered payload against each of ours, dozens of times a call: a name spelt our way is found
 * without making a lower-case copy, and ours are lower-cased once, here.
 */
const CODECS_BY_ENCODING: ReadonlyMap<string, readonly AudioCodecSpec[]> = (() => {
  const byEncoding = new Map<string, AudioCodecSpec[]>();
  for (const name of AUDIO_CODEC_NAMES) {
    const spec = AUDIO_CODECS[name];
    for (const key of new Set([spec.encodingName, spec.encodingName.toLowerCase()])) {
      const specs = byEncoding.get(key) ?? [];
      specs.push(spec);
      byEncoding.set(key, specs);
    }
  }
  return byEncoding;
})();

/** Which of our codecs an rtpmap names (case-insensitive name and exact clock), if any. */
export function audioCodecOf(encodingName: string, clockRate: number): AudioCodecName | undefined {
  const specs = CODECS_BY_ENCODING.get(encodingName) ?? CODECS_BY_ENCODING.get(encodingName.toLowerCase());
  if (specs === undefined) return undefined;
  for (const spec of specs) if (spec.clockRate === clockRate) return spec.name;
  return undefined;
}

/** Whether an rtpmap encoding is RFC 4733 telephone-event. */
export function isTelephoneEvent(encodingName: string): boolean {
  return encodingName === 'telephone-event' || encodingName.toLowerCase() === 'telephone-event';
}

/** Splits an a=fmtp value into parameters ("minptime=10;useinbandfec=1", "0-16"). */
export function parseFmtpParams(config: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const part of config.split(';')) {
    const token = part.trim();
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq < 0) params[token] = '';
    else params[token.slice(0, eq).trim()] = token.slice(eq + 1).trim();
  }
  return params;
}

/** Whether an m= proto carries RTP (RFC 3551, 3711, 4585, 5124, 5764). */
export function isRtpProto(proto: string): boolean {
  return /(^|\/)RTP\//i.test(proto);
}

/** Our codec name for a payload of a section, if it is one we terminate. */
export function audioCodecOfPayload(codec: { readonly encodingName: string; readonly clockRate: number }): AudioCodecName | undefined {
  return audioCodecOf(codec.encodingName, codec.clockRate);
}

/** Packet durations our packetizers make: opus frames of 10-60 ms (RFC 6716 2.1.4), others whole 10 ms. */
export function canPacketize(name: AudioCodecName, ptime: number): boolean {
  if (name === 'opus') return ptime === 10 || ptime === 20 || ptime === 40 || ptime === 60;
  return Number.isInteger(ptime) && ptime >= 10 && ptime % 10 === 0;
}

/** The longest ptime we can packetize that is at most `limit` (at least 10 ms). */
export function largestPtimeWithin(name: AudioCodecName, limit: number): number {
  for (let p = Math.floor(limit / 10) * 10; p > 10; p -= 10) if (canPacketize(name, p)) return p;
  return 10;
}
