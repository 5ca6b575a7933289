import type { TimerHandle } from '../../core/clock.js';
import type { SipResponse } from '../../sip/message/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { CallSignallingDeps } from './types.js';

/**
 * Retransmits a 2xx to an INVITE until its ACK arrives (RFC 3261 13.3.1.4: T1 doubling up to
 * T2, unreliable transports only) and gives up after 64*T1, when the session must be ended.
 */
export class AnswerRetransmitter {
  private retransmit: TimerHandle | undefined;
  private giveUp: TimerHandle | undefined;
  private interval: number;
  private readonly t1: number;
  private readonly t2: number;

  constructor(
    private readonly deps: CallSignallingDeps,
    private readonly tx: ServerTransaction,
    private readonly answer: SipResponse,
    reliable: boolean,
    onGiveUp: () => void,
  ) {
    this.t1 = deps.timers?.t1 ?? 500;
    this.t2 = deps.timers?.t2 ?? 4000;
    this.interval = this.t1;
    if (!reliable) this.retransmit = deps.clock.setTimer(this.interval, () => this.fire());
    this.giveUp = deps.clock.setTimer(64 * this.t1, () => {
      this.stop();
      onGiveUp();
    });
  }

  private fire(): void {
    this.tx.respond(this.answer);
    this.interval = Math.min(this.interval * 2, this.t2);
    this.retransmit = this.deps.clock.setTimer(this.interval, () => this.fire());
  }

  /** The ACK came (or the call ended): stop. Safe to call twice. */
  stop(): void {
    this.deps.clock.clearTimer(this.retransmit);
    this.deps.clock.clearTimer(this.giveUp);
    this.retransmit = undefined;
    this.giveUp = undefined;
  }
}
