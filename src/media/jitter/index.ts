// The adaptive jitter buffer of the decoding paths (recording, mixing, in-band detection):
// packets in by sequence number and RTP time, frames out in order at their playout time.
export {
  AdaptiveJitterBuffer, type AdaptiveJitterBufferOptions, type JitterBufferCounters, type JitterBufferStats,
  type JitterFrame, type JitterPutResult,
} from './adaptive-jitter-buffer.js';
export { PlayoutDelay, type PlayoutDelayOptions } from './playout-delay.js';
export {
  transition as jitterBufferTransition, type JitterBufferEffect, type JitterBufferEvent, type JitterBufferState,
  type JitterBufferTransition,
} from './jitter-buffer-state.js';
