// The adaptive jitter buffer of the decoding paths (recording, mixing, in-band detection):
// packets in by sequence number and RTP time, frames out in order at their playout time.
export { AdaptiveJitterBuffer } from './adaptive-jitter-buffer.js';
export type {
  AdaptiveJitterBufferOptions, JitterBufferCounters, JitterBufferStats, JitterFrame, JitterPutResult,
} from './jitter-buffer-types.js';
export { PlayoutDelay, type PlayoutDelayOptions } from './playout-delay.js';
export {
  transition as jitterBufferTransition, type JitterBufferEffect, type JitterBufferEvent, type JitterBufferState,
  type JitterBufferTransition,
} from './jitter-buffer-state.js';
