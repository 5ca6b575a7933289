/**
 * What every kind of leg does the same way once it has a media endpoint: one digit stream
 * (RFC 4733 and SIP INFO merged, duplicates within a short window dropped), `collect` on that
 * stream, and operations that reject with a HangupError as soon as the leg ends.
 */
import type { Clock, TimerHandle } from '../../core/index.js';
import { collectorTransition, startCollector, type CollectorState } from './digit-collector.js';
import { HangupError } from './hangup-error.js';
import type { EndSignal } from './leg-end.js';
import type { CollectOptions, HangupCause, PlayItem, PlayOptions, PlayResult } from './leg-types.js';

/** The same key press arriving by two routes (RFC 4733 and INFO) within this window counts once. */
const DUPLICATE_DIGIT_MS = 300;

export class LegOperations {
  private readonly digits: string[] = [];
  private digitWaiter: (() => void) | undefined;
  private lastDigit: { digit: string; source: string; at: number } | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly signal: EndSignal,
    /** The cause once the leg has ended. */
    private readonly endCause: () => HangupCause | undefined,
  ) {}

  /** Queues a digit for `collect`; false when it is the same press seen by another route. */
  deliverDigit(digit: string, source: 'rfc4733' | 'inband' | 'info'): boolean {
    const now = this.clock.monotonic();
    const last = this.lastDigit;
    if (last !== undefined && last.digit === digit && last.source !== source && now - last.at < DUPLICATE_DIGIT_MS) return false;
    this.lastDigit = { digit, source, at: now };
    this.digits.push(digit);
    this.digitWaiter?.();
    return true;
  }

  /** Wakes a pending collect so it sees the leg has ended. */
  wake(): void {
    this.digitWaiter?.();
  }

  assertLive(): void {
    const cause = this.endCause();
    if (cause !== undefined) throw new HangupError(cause);
  }

  async collect(opts: CollectOptions, play: (items: PlayItem[], opts: PlayOptions) => Promise<PlayResult>): Promise<string> {
    if (opts.prompt !== undefined && this.digits.length === 0) {
      await play(Array.isArray(opts.prompt) ? opts.prompt : [opts.prompt], { bargeIn: true });
    }
    this.assertLive();
    const settings = { max: opts.max, firstDigitMs: opts.firstDigitMs, interDigitMs: opts.interDigitMs, ...(opts.terminator !== undefined ? { terminator: opts.terminator } : {}) };
    let step = startCollector(settings);
    let timer: TimerHandle | undefined;
    let timedOut = false;
    const arm = (ms: number | undefined): void => {
      if (ms === undefined) return;
      this.clock.clearTimer(timer);
      timedOut = false;
      timer = this.clock.setTimer(ms, () => {
        timedOut = true;
        this.digitWaiter?.();
      });
    };
    arm(step.armMs);
    try {
      while (step.state.phase !== 'done') {
        const digit = this.digits.shift();
        if (digit !== undefined) {
          step = collectorTransition(step.state, { type: 'digit', digit }, settings);
          arm(step.armMs);
          continue;
        }
        if (timedOut) {
          step = collectorTransition(step.state, { type: 'timeout' }, settings);
          continue;
        }
        await this.abortable(new Promise<void>((resolve) => {
          this.digitWaiter = resolve;
        }));
        this.digitWaiter = undefined;
      }
    } finally {
      this.clock.clearTimer(timer);
      this.digitWaiter = undefined;
    }
    return (step.state as Extract<CollectorState, { phase: 'done' }>).digits;
  }

  /** `p`, or a HangupError as soon as the leg ends. */
  abortable<T>(p: Promise<T>): Promise<T> {
    const ended = this.endCause();
    if (ended !== undefined) return Promise.reject(new HangupError(ended));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new HangupError(this.endCause() ?? 'normal'));
      this.signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
}
