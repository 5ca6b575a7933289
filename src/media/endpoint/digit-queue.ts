/**
 * The digits a DTMF transmitter (RFC 4733 or in-band) has been asked to send, one at a time:
 * each `send` queues a digit and gets a promise that settles when the transmitter says so.
 * A closed queue fails what is waiting and refuses new digits.
 */
import { toDtmfDigit, type DtmfDigit } from '../dtmf/index.js';

export interface QueuedDigit {
  digit: DtmfDigit;
  durationMs: number;
  /** Settles the digit's promise (an error rejects it); later calls are ignored. */
  done(err?: Error): void;
}

export class DigitQueue {
  private readonly waiting: QueuedDigit[] = [];
  /** The digit being sent, if any. */
  current: QueuedDigit | undefined;
  private closed = false;

  /** Queues a digit; `start` is called when nothing was being sent. */
  enqueue(digit: string, durationMs: number, start: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('endpoint closed'));
    const key = toDtmfDigit(digit);
    if (key === undefined) return Promise.reject(new RangeError(`not a DTMF digit: ${digit}`));
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: Error): void => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      this.waiting.push({ digit: key, durationMs, done });
      if (this.current === undefined) start();
    });
  }

  /** Makes the next waiting digit current (undefined when none waits). */
  next(): QueuedDigit | undefined {
    this.current = this.waiting.shift();
    return this.current;
  }

  /** Fails the current digit (unless already settled) and every waiting one; refuses more. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Most endpoints close with nothing queued: no Error (and its stack trace) for them.
    if (this.current === undefined && this.waiting.length === 0) return;
    const err = new Error('endpoint closed');
    this.current?.done(err);
    this.current = undefined;
    for (const q of this.waiting.splice(0)) q.done(err);
  }
}
