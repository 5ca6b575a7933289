export { type ToneSegment, type ToneSpec, DEFAULT_TONE_LEVEL_DBM0, ToneGenerator } from './tone-generator.js';
export { type ToneListError, parseToneList } from './tone-list.js';
export {
  type CallProgressTone,
  type DtmfToneOptions,
  BRAZIL_CALL_PROGRESS,
  brazilianTone,
  testTone,
  dtmfTones,
} from './call-progress.js';
