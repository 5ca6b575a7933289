/**
 * Receive-side statistics for one SSRC: RFC 3550 Appendix A.1 (source validation and
 * extended sequence numbers), A.3 (expected and lost counts) and A.8 (interarrival jitter).
 * Arrival time is passed in (ms) and converted to RTP units with the stream's clock rate.
 */
import { RTP_SEQ_MOD, timestampDelta } from './sequence-arithmetic.js';

/** RFC 3550 A.1 constants. */
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
export const MIN_SEQUENTIAL = 2;

/** What one packet turned out to be. Only 'probation' and 'bad' packets are not counted. */
export type RtpReceiveOutcome =
  /** The highest sequence number so far (including a forward jump within MAX_DROPOUT). */
  | 'in-order'
  /** Older than the highest seen, first time seen: reordered (late). */
  | 'late'
  /** Seen before (within the last HISTORY sequence numbers). */
  | 'duplicate'
  /** Source not yet validated: MIN_SEQUENTIAL in-order packets are needed. */
  | 'probation'
  /** A very large jump: dropped until the next packet confirms it. */
  | 'bad'
  /** The sender restarted (two sequential packets after a large jump): counters reset. */
  | 'restart';

export interface RtpSequenceTrackerOptions {
  /** RTP clock rate of the payload format (8000 for PCMU, 48000 for opus). */
  clockRate: number;
  /** In-order packets required before the source counts as valid (RFC: 2; 0 or 1 = first packet). */
  minSequential?: number;
}

// Seen-flags for the last HISTORY extended sequence numbers: covers MAX_MISORDER behind the top.
const HISTORY = 128;

export class RtpSequenceTracker {
  readonly clockRate: number;
  private readonly minSequential: number;
  private started = false;
  private maxSeq = 0;
  private cycles = 0;
  private baseSeq = 0;
  private badSeq = RTP_SEQ_MOD + 1;
  private probation = 0;
  private received = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private duplicateCount = 0;
  private lateCount = 0;
  private readonly seen = new Uint8Array(HISTORY);
  // A.8 state: previous transit in RTP units, kept as arrival and timestamp to avoid overflow.
  private hasTransit = false;
  private lastArrivalUnits = 0;
  private lastTimestamp = 0;
  private jitterUnits = 0;

  constructor(options: RtpSequenceTrackerOptions) {
    this.clockRate = options.clockRate;
    this.minSequential = Math.max(1, options.minSequential ?? MIN_SEQUENTIAL);
  }

  /** Accounts one received packet; jitter is updated for packets counted as new. */
  receive(seq: number, timestamp: number, arrivalMs: number): RtpReceiveOutcome {
    const outcome = this.updateSequence(seq & 0xffff);
    if (outcome === 'in-order' || outcome === 'late' || outcome === 'restart') {
      this.updateJitter(timestamp >>> 0, arrivalMs);
    }
    return outcome;
  }

  private initSequence(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
    this.duplicateCount = 0;
    this.lateCount = 0;
    this.seen.fill(0);
    this.seen[seq % HISTORY] = 1;
  }

  /** RFC 3550 A.1 update_seq, with duplicate and late packets told apart. */
  private updateSequence(seq: number): RtpReceiveOutcome {
    if (!this.started) {
      this.started = true;
      this.initSequence(seq);
      this.maxSeq = (seq - 1) & 0xffff;
      this.probation = this.minSequential;
      if (this.probation === 1) {
        // With no probation the first packet validates the source at once.
        this.probation = 0;
        this.initSequence(seq);
        this.received = 1;
        return 'in-order';
      }
    }
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation > 0) {
      // Packet is in sequence.
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSequence(seq);
          this.received++;
          return 'in-order';
        }
      } else {
        this.probation = this.minSequential - 1;
        this.maxSeq = seq;
      }
      return 'probation';
    }
    if (udelta === 0) {
      this.received++;
      this.duplicateCount++;
      return 'duplicate';
    }
    if (udelta < MAX_DROPOUT) {
      // In order, with permissible gap; a smaller number means the 16-bit counter wrapped.
      this.clearSeen(udelta);
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD;
      this.maxSeq = seq;
      this.seen[this.historyIndex(this.cycles + seq)] = 1;
      this.received++;
      return 'in-order';
    }
    if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // The sequence number made a very large jump.
      if (seq === this.badSeq) {
        // Two sequential packets: assume the other side restarted without telling us.
        this.initSequence(seq);
        this.received++;
        // A new timeline: the old transit time means nothing for the new one.
        this.hasTransit = false;
        return 'restart';
      }
      this.badSeq = (seq + 1) & 0xffff;
      return 'bad';
    }
    // Duplicate or reordered packet, behind the highest by at most MAX_MISORDER.
    this.received++;
    const behind = RTP_SEQ_MOD - udelta;
    const extended = this.extendedHighest - behind;
    const i = this.historyIndex(extended);
    if (extended < this.baseSeq || behind >= HISTORY || this.seen[i] === 0) {
      this.seen[i] = 1;
      this.lateCount++;
      return 'late';
    }
    this.duplicateCount++;
    return 'duplicate';
  }

  private historyIndex(extended: number): number {
    return ((extended % HISTORY) + HISTORY) % HISTORY;
  }

  /** Clears the flags of the sequence numbers the top is about to move over. */
  private clearSeen(advance: number): void {
    if (advance >= HISTORY) {
      this.seen.fill(0);
      return;
    }
    const top = this.extendedHighest;
    for (let k = 1; k <= advance; k++) this.seen[this.historyIndex(top + k)] = 0;
  }

  /** RFC 3550 A.8: J += (|D| - J) / 16, D from transit differences in RTP units. */
  private updateJitter(timestamp: number, arrivalMs: number): void {
    const arrivalUnits = (arrivalMs * this.clockRate) / 1000;
    if (this.hasTransit) {
      const d = arrivalUnits - this.lastArrivalUnits - timestampDelta(this.lastTimestamp, timestamp);
      this.jitterUnits += (Math.abs(d) - this.jitterUnits) / 16;
    }
    this.hasTransit = true;
    this.lastArrivalUnits = arrivalUnits;
    this.lastTimestamp = timestamp;
  }

  /** True once the source passed probation. */
  get valid(): boolean {
    return this.started && this.probation === 0;
  }
  /** Packets counted (late and duplicates included, as RFC 3550 6.4.1 says). */
  get packetsReceived(): number {
    return this.received;
  }
  get duplicates(): number {
    return this.duplicateCount;
  }
  get latePackets(): number {
    return this.lateCount;
  }
  /** Cycle count times 2^16 plus the highest sequence number received. */
  get extendedHighest(): number {
    return this.cycles + this.maxSeq;
  }
  get baseSequence(): number {
    return this.baseSeq;
  }
  /** RFC 3550 A.3: extended_max - base_seq + 1 (0 before validation). */
  get packetsExpected(): number {
    return this.valid ? this.extendedHighest - this.baseSeq + 1 : 0;
  }
  /** Expected minus received; negative with duplicates (RFC 3550 6.4.1). */
  get cumulativeLost(): number {
    return this.packetsExpected - this.received;
  }
  /** Interarrival jitter in RTP timestamp units, truncated as the report block carries it. */
  get jitter(): number {
    return Math.trunc(this.jitterUnits);
  }
  /** Interarrival jitter in milliseconds. */
  get jitterMs(): number {
    return (this.jitterUnits * 1000) / this.clockRate;
  }

  /**
   * Fraction lost since the previous call, as an 8-bit fixed-point number (RFC 3550 A.3);
   * closes the reporting interval. Duplicates make it 0, never negative.
   */
  takeFractionLost(): number {
    const expected = this.packetsExpected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    if (expectedInterval === 0 || lostInterval <= 0) return 0;
    return Math.floor((lostInterval * 256) / expectedInterval);
  }
}
