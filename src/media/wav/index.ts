export {
  type WavEncoding,
  type WavParseError,
  isWavParseError,
  WAVE_FORMAT_PCM,
  WAVE_FORMAT_ALAW,
  WAVE_FORMAT_MULAW,
  WAVE_FORMAT_EXTENSIBLE,
} from './wav-format.js';
export { type WavAudio, parseWav, readWavFile } from './wav-reader.js';
export { type WavWriterOptions, WavWriter } from './wav-writer.js';
export { MULAW_TO_LINEAR, ALAW_TO_LINEAR, linearToMulaw, linearToAlaw } from './g711.js';
