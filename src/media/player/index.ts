// Players: prompts (WAV files cached at the endpoint's rate), tones, silence and music on hold
// streamed one 20 ms frame at a time by the media worker's clock, with play/stop/queue,
// looping and barge-in on DTMF. Pure and socket-free: the worker drives next() and encodes.
export { type PromptError, type PromptErrorCode, isPromptError, promptError } from './prompt-error.js';
export {
  type PromptAudio, type PromptCacheOptions, type PromptCacheStats, type PromptSource, PromptCache, decodePrompt,
} from './prompt-cache.js';
export { convertRate, mixToMono, telephonyRate } from './prompt-conversion.js';
export { type PlayEndReason, type PlayEvent, type PlayRequest, type PlaySource } from './play-request.js';
export { type FolderLister, listWavFiles, shuffled } from './music-on-hold.js';
export { type PlayerOptions, Player } from './player.js';
