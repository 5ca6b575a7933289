import type { Clock, TimerHandle } from '../../core/index.js';
import { callId, fromTag, toTag, type SipRequest } from '../../sip/message/index.js';
import { dialogKey } from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { LegTracker, RoutableLeg } from './leg-deps.js';

/**
 * Routes requests to the legs they belong to, inbound and outbound: CANCELs by the INVITE they
 * cancel, requests inside a dialog (BYE, re-INVITE, UPDATE, INFO, PRACK, ACK) by Call-ID and
 * tags. Every live leg is known here, ringing ones too, so a shutdown reaches them all.
 */
export class LegRegistry implements LegTracker {
  private readonly byInvite = new Map<ServerTransaction, RoutableLeg>();
  private readonly byDialog = new Map<string, RoutableLeg>();
  private readonly keys = new Map<RoutableLeg, string>();
  private readonly legs = new Set<RoutableLeg>();

  constructor(private readonly clock: Clock) {}

  /** Indexes a leg by its INVITE, and by its dialog once it has one (safe to call again). */
  track(leg: RoutableLeg): void {
    this.legs.add(leg);
    if (leg.tx !== undefined) this.byInvite.set(leg.tx, leg);
    const dialog = leg.dialog;
    if (dialog === undefined || this.keys.has(leg)) return;
    const key = dialogKey(dialog.id);
    this.keys.set(leg, key);
    this.byDialog.set(key, leg);
  }

  forget(leg: RoutableLeg): void {
    this.legs.delete(leg);
    if (leg.tx !== undefined) this.byInvite.delete(leg.tx);
    const key = this.keys.get(leg);
    if (key !== undefined) this.byDialog.delete(key);
    this.keys.delete(leg);
  }

  /** Takes a request that belongs to a leg; false when none does. */
  handleRequest(req: SipRequest, tx: ServerTransaction | undefined, cancelled?: ServerTransaction): boolean {
    if (req.method === 'CANCEL') {
      const leg = cancelled !== undefined ? this.byInvite.get(cancelled) : undefined;
      if (leg === undefined || tx === undefined || leg.onCancel === undefined) return false;
      leg.onCancel(req, tx);
      return true;
    }
    const id = callId(req);
    const local = toTag(req);
    const remote = fromTag(req);
    if (id === undefined || local === undefined || remote === undefined) return false;
    const leg = this.byDialog.get(dialogKey({ callId: id, localTag: local, remoteTag: remote }));
    if (leg === undefined) return false;
    if (req.method === 'ACK') leg.onAck(req);
    else if (tx !== undefined) leg.onRequest(req, tx);
    return true;
  }

  /**
   * Ends every leg (graceful shutdown: 503 or CANCEL before an answer, BYE after) and waits,
   * at most `maxWaitMs`, for the far ends to answer the BYEs.
   */
  async shutdown(maxWaitMs = 3000): Promise<void> {
    const legs = [...this.legs];
    await Promise.all(legs.map((leg) => leg.hangup('shutdown')));
    let timer: TimerHandle | undefined;
    await Promise.race([
      Promise.all(legs.map((leg) => leg.settled?.())),
      new Promise<void>((resolve) => {
        timer = this.clock.setTimer(maxWaitMs, resolve);
      }),
    ]);
    this.clock.clearTimer(timer);
  }

  /** Live legs (tests assert none is left behind). */
  get size(): number {
    return this.legs.size;
  }

  /** Dialog index entries (tests assert none is left behind). */
  get dialogCount(): number {
    return this.byDialog.size;
  }
}
