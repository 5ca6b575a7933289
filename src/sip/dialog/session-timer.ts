/**
 * The running session timer of one dialog (RFC 4028 10): as refresher we send a refresh
 * (re-INVITE or UPDATE) at half the interval; as the other side we expect one and, when none
 * arrives by interval - min(32, interval/3) seconds, end the call with BYE. Every accepted
 * refresh re-arms it with the newly negotiated interval and refresher.
 */
import type { Clock, TimerHandle } from '../../core/index.js';

export interface SessionTimerOptions {
  clock: Clock;
  /** We are the refresher and half the interval has passed: send a session refresh. */
  onRefresh: () => void;
  /** The session expired without a refresh: send BYE. */
  onExpired: () => void;
}

export class SessionTimer {
  private refreshTimer: TimerHandle | undefined;
  private expiryTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly opts: SessionTimerOptions) {}

  /** When the non-refresher gives up (RFC 4028 10): interval - min(32, interval/3) seconds. */
  static expiryDelayMs(intervalS: number): number {
    return (intervalS - Math.min(32, intervalS / 3)) * 1000;
  }

  /** Arms (or re-arms, after a refresh succeeded) with the negotiated interval and role. */
  start(intervalS: number, weRefresh: boolean): void {
    if (this.closed) return;
    this.stop();
    const { clock } = this.opts;
    if (weRefresh) {
      this.refreshTimer = clock.setTimer((intervalS * 1000) / 2, () => {
        this.refreshTimer = undefined;
        this.opts.onRefresh();
      });
      // Should our refresh never succeed, the session still ends at its expiration.
      this.expiryTimer = clock.setTimer(intervalS * 1000, () => this.expire());
    } else {
      this.expiryTimer = clock.setTimer(SessionTimer.expiryDelayMs(intervalS), () => this.expire());
    }
  }

  /** A refresh was accepted (sent or received): same as start. */
  refreshed(intervalS: number, weRefresh: boolean): void {
    this.start(intervalS, weRefresh);
  }

  /** Stops the timers (call ended); safe to call twice. */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private stop(): void {
    this.opts.clock.clearTimer(this.refreshTimer);
    this.opts.clock.clearTimer(this.expiryTimer);
    this.refreshTimer = undefined;
    this.expiryTimer = undefined;
  }

  private expire(): void {
    this.expiryTimer = undefined;
    this.opts.clock.clearTimer(this.refreshTimer);
    this.refreshTimer = undefined;
    this.opts.onExpired();
  }
}
