/**
 * The SRTP packet index (ROC * 2^16 + SEQ) as a receiver estimates it (RFC 3711 3.3.1):
 * the guess among ROC-1, ROC and ROC+1 that puts SEQ closest to the highest sequence seen.
 */
export class RtpIndexTracker {
  private roc = 0;
  private highestSeq = -1;

  /** Rollover counter of the highest packet accepted. */
  get rolloverCounter(): number {
    return this.roc;
  }

  /** Starts from a known ROC (e.g. signalled out of band); the next packet sets s_l. */
  reset(roc: number): void {
    this.roc = roc;
    this.highestSeq = -1;
  }

  /** The estimated 48-bit index of `seq`; negative when it guesses below ROC 0. */
  estimate(seq: number): number {
    const sl = this.highestSeq;
    if (sl < 0) return this.roc * 0x10000 + seq;
    let v = this.roc;
    if (sl < 0x8000) {
      if (seq - sl > 0x8000) v = this.roc - 1;
    } else if (sl - 0x8000 > seq) {
      v = this.roc + 1;
    }
    return v * 0x10000 + seq;
  }

  /** Records an authenticated packet's index (RFC 3711 3.3.1: update s_l and ROC only forwards). */
  update(index: number): void {
    const highest = this.highestSeq < 0 ? -1 : this.roc * 0x10000 + this.highestSeq;
    if (index > highest) {
      this.roc = Math.floor(index / 0x10000);
      this.highestSeq = index % 0x10000;
    }
  }
}
