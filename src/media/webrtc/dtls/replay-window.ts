/**
 * Anti-replay sliding window (RFC 6347 4.1.2.6) over 48-bit record sequence numbers, 64 wide.
 * The bitmap is two 32-bit words so no BigInt is allocated per record.
 */
export class ReplayWindow {
  private highest = -1;
  // Bit i of the 64-bit map (lo = bits 0..31, hi = 32..63) means highest - i was received.
  private lo = 0;
  private hi = 0;

  /** True if `seq` is new and inside the window; checked before authenticating a record. */
  isAcceptable(seq: number): boolean {
    if (seq > this.highest) return true;
    const diff = this.highest - seq;
    if (diff >= 64) return false;
    return !this.bit(diff);
  }

  /** Records `seq` as received; call only once the record authenticated. */
  markReceived(seq: number): void {
    if (seq > this.highest) {
      const shift = this.highest < 0 ? 64 : seq - this.highest;
      this.shiftLeft(shift);
      this.highest = seq;
      this.lo |= 1;
      return;
    }
    const diff = this.highest - seq;
    if (diff < 32) this.lo |= 1 << diff;
    else if (diff < 64) this.hi |= 1 << (diff - 32);
  }

  private bit(i: number): boolean {
    return i < 32 ? ((this.lo >>> i) & 1) === 1 : ((this.hi >>> (i - 32)) & 1) === 1;
  }

  private shiftLeft(n: number): void {
    if (n >= 64) {
      this.lo = 0;
      this.hi = 0;
    } else if (n >= 32) {
      this.hi = n === 32 ? this.lo : this.lo << (n - 32);
      this.lo = 0;
    } else if (n > 0) {
      this.hi = (this.hi << n) | (this.lo >>> (32 - n));
      this.lo = this.lo << n;
    }
    this.lo >>>= 0;
    this.hi >>>= 0;
  }
}
