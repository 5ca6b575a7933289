// What the media engine knows about each audio codec it speaks: RTP clock (RFC 3551, RFC 7587),
// the PCM rate it codes, static payload types and default packetization.
import type { SampleRate } from './resampler.js';

/** The audio codecs Atende decodes and encodes. */
export type CodecName = 'PCMU' | 'PCMA' | 'G722' | 'opus';

/** Static facts about one codec. */
export interface CodecInfo {
  readonly name: CodecName;
  /** Encoding name as written in a=rtpmap (matched case-insensitively). */
  readonly encodingName: string;
  /** RTP timestamp rate; for G.722 8000 although it samples at 16 kHz (RFC 3551 4.5.2). */
  readonly clockRate: number;
  /** Rate of the PCM that decode() yields and encode() takes. */
  readonly sampleRate: SampleRate;
  /** Channels as written in a=rtpmap (opus/48000/2 always, RFC 7587 7; we code mono). */
  readonly channels: number;
  /** Static payload type (RFC 3551 table 4), or null for a dynamic one. */
  readonly staticPayloadType: number | null;
  /** Payload type to offer: the static one, or our usual dynamic choice. */
  readonly defaultPayloadType: number;
  /** Packetization interval in ms when the SDP says nothing (a=ptime). */
  readonly defaultPtime: number;
  /** PCM samples (at sampleRate) in one packet of defaultPtime. */
  readonly frameSize: number;
  /** RTP timestamp increase per packet of defaultPtime. */
  readonly timestampStep: number;
}

function info(
  name: CodecName, clockRate: number, sampleRate: SampleRate, channels: number,
  staticPayloadType: number | null, defaultPayloadType: number,
): CodecInfo {
  const defaultPtime = 20;
  return Object.freeze({
    name, encodingName: name, clockRate, sampleRate, channels, staticPayloadType, defaultPayloadType,
    defaultPtime, frameSize: (sampleRate * defaultPtime) / 1000, timestampStep: (clockRate * defaultPtime) / 1000,
  });
}

/** Every codec, by name. */
export const CODECS: Readonly<Record<CodecName, CodecInfo>> = Object.freeze({
  PCMU: info('PCMU', 8000, 8000, 1, 0, 0),
  PCMA: info('PCMA', 8000, 8000, 1, 8, 8),
  G722: info('G722', 8000, 16000, 1, 9, 9),
  opus: info('opus', 48000, 48000, 2, null, 111),
});

/** All codec names, in our default preference order for offers. */
export const CODEC_NAMES: readonly CodecName[] = Object.freeze(['opus', 'G722', 'PCMU', 'PCMA'] as CodecName[]);

/** The codec an rtpmap encoding name (and clock rate, when given) stands for, if we have it. */
export function findCodec(encodingName: string, clockRate?: number): CodecName | undefined {
  const lower = encodingName.toLowerCase();
  for (const name of CODEC_NAMES) {
    const codec = CODECS[name];
    if (codec.encodingName.toLowerCase() === lower && (clockRate === undefined || clockRate === codec.clockRate)) return name;
  }
  return undefined;
}

/** The codec of a static payload type (0, 8, 9), if it is one of ours. */
export function codecOfStaticPayloadType(payloadType: number): CodecName | undefined {
  for (const name of CODEC_NAMES) if (CODECS[name].staticPayloadType === payloadType) return name;
  return undefined;
}

/** PCM samples (at the codec's sample rate) in a packet of `ptimeMs`. */
export function samplesPerPacket(name: CodecName, ptimeMs: number): number {
  return (CODECS[name].sampleRate * ptimeMs) / 1000;
}

/** RTP timestamp ticks in a packet of `ptimeMs`. */
export function timestampTicks(name: CodecName, ptimeMs: number): number {
  return (CODECS[name].clockRate * ptimeMs) / 1000;
}

/** Whether media between legs with these codecs must be decoded and re-encoded; false means relays copy packets. */
export function needsTranscoding(a: CodecName, b: CodecName): boolean {
  return a !== b;
}
