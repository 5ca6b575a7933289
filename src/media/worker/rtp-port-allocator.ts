/**
 * Hands out even RTP ports from a range such as `20000-29999` (ATENDE_RTP_PORTS). Each
 * allocation owns the pair (port, port + 1): RTCP takes port + 1 unless rtcp-mux, so odd
 * ports are never handed out. Round-robin from the last allocation, so a just-freed port
 * (whose stale packets may still be in flight) is reused as late as possible.
 */
import { AtendeError } from '../../core/index.js';

export interface RtpPortRange {
  min: number;
  max: number;
}

/** Raised when the range is full or malformed. */
export class RtpPortError extends AtendeError {}

/** Parses `min-max` (inclusive); throws RtpPortError on nonsense. */
export function parseRtpPortRange(text: string): RtpPortRange {
  const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(text);
  if (!m) throw new RtpPortError('rtp_ports_invalid', `RTP port range "${text}" is not "min-max"`);
  return checkRange({ min: Number(m[1]), max: Number(m[2]) });
}

function checkRange(range: RtpPortRange): RtpPortRange {
  const { min, max } = range;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1024 || max > 65535 || max - min < 1) {
    throw new RtpPortError('rtp_ports_invalid', `RTP port range ${min}-${max} must lie in 1024-65535 and hold a pair`);
  }
  return { min, max };
}

export class RtpPortAllocator {
  /** First even port of the range. */
  readonly first: number;
  /** Number of (RTP, RTCP) pairs the range holds. */
  readonly capacity: number;
  private readonly used: Uint8Array;
  private cursor = 0;
  private count = 0;

  constructor(range: RtpPortRange | string) {
    const { min, max } = typeof range === 'string' ? parseRtpPortRange(range) : checkRange(range);
    this.first = min % 2 === 0 ? min : min + 1;
    // The last pair must fit: its RTCP port (even + 1) may not pass max.
    this.capacity = Math.max(0, Math.floor((max - this.first + 1) / 2));
    if (this.capacity === 0) throw new RtpPortError('rtp_ports_invalid', `RTP port range ${min}-${max} holds no even pair`);
    this.used = new Uint8Array(this.capacity);
  }

  /** Pairs handed out and not yet released. */
  get inUse(): number {
    return this.count;
  }

  /** The next free even port; throws RtpPortError('rtp_ports_exhausted') when none is left. */
  allocate(): number {
    if (this.count >= this.capacity) {
      throw new RtpPortError('rtp_ports_exhausted', `all ${this.capacity} RTP port pairs are in use`);
    }
    for (let k = 0; k < this.capacity; k++) {
      const slot = (this.cursor + k) % this.capacity;
      if (this.used[slot] === 0) {
        this.used[slot] = 1;
        this.count++;
        this.cursor = (slot + 1) % this.capacity;
        return this.first + slot * 2;
      }
    }
    // Unreachable while count agrees with the bitmap.
    throw new RtpPortError('rtp_ports_exhausted', 'no free RTP port pair');
  }

  /** Returns a port to the range; releasing a port twice or a foreign one does nothing. */
  release(port: number): void {
    const slot = this.slotOf(port);
    if (slot < 0 || this.used[slot] === 0) return;
    this.used[slot] = 0;
    this.count--;
  }

  isAllocated(port: number): boolean {
    const slot = this.slotOf(port);
    return slot >= 0 && this.used[slot] === 1;
  }

  private slotOf(port: number): number {
    const offset = port - this.first;
    if (!Number.isInteger(port) || offset < 0 || offset % 2 !== 0 || offset / 2 >= this.capacity) return -1;
    return offset / 2;
  }
}
