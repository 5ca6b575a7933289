// The unit of decoded audio inside the media engine.
import type { SampleRate } from './resampler.js';

/**
 * A block of mono, signed 16-bit PCM at a known rate, normally 20 ms: what decoders yield
 * (wrapped with the decoder's rate) and what players, recorders and mixers exchange. A frame
 * whose samples came from a decoder or resampler without an `out` buffer is a view that the
 * next call overwrites: whoever keeps a frame past the current packet copies the samples.
 */
export interface PcmFrame {
  readonly samples: Int16Array;
  readonly sampleRate: SampleRate;
}

/** The usual frame duration in ms (one RTP packet at the default ptime). */
export const FRAME_MS = 20;

/** Samples in `ms` milliseconds at `sampleRate` (20 ms by default). */
export function samplesIn(sampleRate: SampleRate, ms: number = FRAME_MS): number {
  return (sampleRate * ms) / 1000;
}

/** Duration of a frame in milliseconds. */
export function frameDurationMs(frame: PcmFrame): number {
  return (frame.samples.length * 1000) / frame.sampleRate;
}
