// What goes into and comes out of the AdaptiveJitterBuffer: options, the frame handed out,
// the result of a put and the counters reported in stats.
import type { PlayoutDelayOptions } from './playout-delay.js';

export interface AdaptiveJitterBufferOptions extends PlayoutDelayOptions {
  /** RTP clock rate of the stream (Hz). */
  clockRate: number;
  /** Packet duration assumed until learned from the stream (default 20 ms). */
  frameMs?: number;
  /** Slots in the ring, a power of two (default 32: 640 ms of 20 ms packets). */
  capacity?: number;
  /** Payload bytes per slot before the ring grows (default 256). */
  slotBytes?: number;
  /** Lost frames concealed in a row at most; a longer gap is skipped (default 5). */
  maxConcealFrames?: number;
  /** Transit change (ms) taken for a new timeline rather than jitter (default 1000). */
  resyncMs?: number;
}

export type JitterPutResult = 'queued' | 'duplicate' | 'late' | 'reset' | 'overflow';

/** One frame out of pop(); the same object every time (valid until the next put or pop). */
export interface JitterFrame {
  /** 'packet': decode `payload`; 'lost': conceal `samples` (RTP clock units). */
  kind: 'packet' | 'lost';
  sequenceNumber: number;
  timestamp: number;
  samples: number;
  marker: boolean;
  ssrc: number;
  /** When the packet arrived (ms); for a lost frame, when it should have. */
  arrivalMs: number;
  /**
   * When it would have arrived without jitter (ms): the floor transit plus its RTP time. Follows
   * a sender clock slower than ours, which a fastest-path mapping alone does not.
   */
  nominalMs: number;
  /** The payload; empty for a lost frame. */
  payload: Uint8Array;
}

/** Counters since creation. */
export interface JitterBufferCounters {
  /** Packets queued. */
  received: number;
  /** Packets behind the playout cursor (already concealed or skipped). */
  late: number;
  /** Copies of a packet held or played. */
  duplicate: number;
  /** Frames missing from the stream (handed out as 'lost' or skipped in a long gap). */
  lost: number;
  /** Lost frames handed out for concealment. */
  concealed: number;
  /** Packets dropped to make room in a burst. */
  overflow: number;
  /** Starts over (new SSRC, a jump), the first packet excluded. */
  resets: number;
}

/** Counters plus the delay now, as reported in stats. */
export interface JitterBufferStats extends JitterBufferCounters {
  targetDelayMs: number;
  jitterMs: number;
}
