/** Why a packet index was refused by a replay window. */
export type ReplayVerdict = 'ok' | 'replayed' | 'too-old';

export const REPLAY_WINDOW_SIZE = 64;

/**
 * The sliding replay list of RFC 3711 3.3.2 with a 64-packet window. Each slot remembers the
 * last index that landed on it (index mod 64): an index equal to its slot's value was seen;
 * anything else inside the window was not. No allocation per packet.
 */
export class ReplayWindow {
  private highest = -1;
  private readonly slots = new Float64Array(REPLAY_WINDOW_SIZE).fill(-1);

  /** Highest index accepted so far, -1 before the first. */
  get highestIndex(): number {
    return this.highest;
  }

  /** Whether `index` may be accepted; call `accept` only after the packet authenticates. */
  check(index: number): ReplayVerdict {
    if (index < 0) return 'too-old';
    if (index > this.highest) return 'ok';
    if (this.highest - index >= REPLAY_WINDOW_SIZE) return 'too-old';
    return this.slots[index % REPLAY_WINDOW_SIZE] === index ? 'replayed' : 'ok';
  }

  accept(index: number): void {
    if (index > this.highest) this.highest = index;
    this.slots[index % REPLAY_WINDOW_SIZE] = index;
  }
}
