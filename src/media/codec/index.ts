// Audio codecs of the media engine: G.711 (PCMU, PCMA), G.722 and Opus, resampling between
// 8, 16 and 48 kHz, and the transcoder used when two legs negotiated different codecs.
//
// PCM convention (PcmFrame): mono Int16Array samples plus their sampleRate (8000, 16000 or
// 48000), usually 20 ms. Codecs decode to and encode from their own sampleRate (CODECS[name]);
// a Resampler bridges rates. Every decode/encode/process call accepts an optional output
// buffer; without one it returns a view of a buffer reused by the next call on that object,
// so hot loops allocate nothing. Copy what you keep.
export {
  CODECS, CODEC_NAMES, codecOfStaticPayloadType, findCodec, needsTranscoding, samplesPerPacket, timestampTicks,
  type CodecInfo, type CodecName,
} from './codec-registry.js';
export {
  createDecoder, createEncoder, maxPayloadBytes, type CodecDecoder, type CodecEncoder, type CodecOptions,
} from './codec-factory.js';
export { Transcoder, type TranscoderOptions } from './transcoder.js';
export { Resampler, type ResamplerOptions, type SampleRate } from './resampler.js';
export { FRAME_MS, frameDurationMs, samplesIn, type PcmFrame } from './pcm-frame.js';
export {
  A_LAW_DECODE_TABLE, A_TO_MU_LAW, MU_LAW_DECODE_TABLE, MU_TO_A_LAW, aLawToLinear, decodeALaw, decodeMuLaw,
  encodeALaw, encodeMuLaw, linearToALaw, linearToMuLaw, mapG711, muLawToLinear,
} from './g711.js';
export { G722Decoder } from './g722-decoder.js';
export { G722Encoder } from './g722-encoder.js';
export { OpusCodec, OpusError, type OpusOptions } from './opus-codec.js';
export { fitTone, goertzelPower, sineWave } from './tone-measure.js';
