/**
 * The devices of one target rung at once when they need different offers (forkGroups): one
 * outgoing leg per group, each with its own media endpoint; the first to answer wins and the
 * others are cancelled (or, answering too late, hung up). A group refusing SRTP is replaced by
 * its plain-RTP retry (plainRtpRetry). When no group answers, the failure is the best of
 * theirs, reported once every leg of the attempt has released its endpoint.
 */
import type { Logger } from '../../core/index.js';
import { combinedFailure, plainRtpRetry, type ForkGroup } from './fork-media.js';
import type { HangupCause } from './leg-types.js';
import { isOriginateError, OriginateError } from './outbound-leg-state.js';

/** What the race needs of a leg (OutboundLeg; a fake in tests). */
export interface RacingLeg {
  whenAnswered(): Promise<void>;
  hangup(cause?: HangupCause): Promise<void>;
  settled(): Promise<void>;
}

/** Opens the leg of a group; `onEarly` is to be called when it first rings. */
export type RacingLegOpener<L extends RacingLeg> = (group: ForkGroup, onEarly: (leg: L) => void) => Promise<L>;

export class OriginateRace<L extends RacingLeg> {
  private readonly live = new Set<L>();
  private readonly all: L[] = [];
  private readonly failures: OriginateError[] = [];
  private opening = 0;
  private winner: L | undefined;
  private stopCause: HangupCause | undefined;
  private done = false;
  private earlyNotified = false;
  private resolve!: (leg: L) => void;
  private reject!: (err: OriginateError) => void;
  /** The answered leg, or the attempt's OriginateError. */
  readonly result: Promise<L>;

  constructor(
    private readonly open: RacingLegOpener<L>,
    private readonly logger: Logger,
    private readonly onEarly?: (leg: L) => void,
  ) {
    this.result = new Promise<L>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.result.catch(() => undefined);
  }

  start(groups: readonly ForkGroup[]): void {
    for (const g of groups) void this.openGroup(g);
    this.check();
  }

  /** Ends every leg still ringing (timeout, abort); ignored once one answered. */
  stop(cause: HangupCause): void {
    if (this.winner !== undefined || this.done) return;
    this.stopCause ??= cause;
    for (const leg of this.live) void leg.hangup(cause);
  }

  private async openGroup(group: ForkGroup): Promise<void> {
    this.opening++;
    let leg: L;
    try {
      leg = await this.open(group, (l) => this.ringing(l));
    } catch (err) {
      // No media endpoint (pool closed, no port, `near` gone; 488: no media address of the
      // devices' family): nothing was sent to this group.
      this.opening--;
      this.logger.warn({ err, kind: group.kind }, 'no media endpoint for an outbound leg');
      this.failures.push(isOriginateError(err) ? err : new OriginateError('failed'));
      this.check();
      return;
    }
    this.opening--;
    this.all.push(leg);
    this.live.add(leg);
    // Decided while it opened: it must not ring on.
    if (this.winner !== undefined) void leg.hangup('cancelled');
    else if (this.stopCause !== undefined) void leg.hangup(this.stopCause);
    leg.whenAnswered().then(
      () => this.answered(leg),
      (err: unknown) => this.failed(leg, group, err),
    );
  }

  private ringing(leg: L): void {
    if (this.earlyNotified || this.winner !== undefined || this.stopCause !== undefined) return;
    this.earlyNotified = true;
    this.onEarly?.(leg);
  }

  private answered(leg: L): void {
    this.live.delete(leg);
    if (this.winner !== undefined || this.done) {
      // A second device answered at the same time: its dialog is not wanted.
      void leg.hangup('normal');
      return;
    }
    this.winner = leg;
    this.done = true;
    for (const other of this.live) void other.hangup('cancelled');
    this.resolve(leg);
  }

  private failed(leg: L, group: ForkGroup, err: unknown): void {
    this.live.delete(leg);
    const failure = isOriginateError(err) ? err : new OriginateError('failed');
    const retry = this.winner === undefined && this.stopCause === undefined ? plainRtpRetry(group, failure.status) : undefined;
    if (retry !== undefined) {
      this.logger.info(
        { contacts: group.forks.map((f) => f.requestUri), status: failure.status },
        'the device refused SDES-SRTP: calling it again with plain RTP',
      );
      void this.openGroup(retry);
      return;
    }
    this.failures.push(failure);
    this.check();
  }

  /** Every group failed (or was stopped): report once the endpoints are gone. */
  private check(): void {
    if (this.done || this.winner !== undefined || this.live.size > 0 || this.opening > 0) return;
    this.done = true;
    const err = this.stopCause !== undefined ? new OriginateError(this.stopCause) : combinedFailure(this.failures);
    void Promise.all(this.all.map((l) => l.settled().catch(() => undefined))).then(() => this.reject(err));
  }
}
