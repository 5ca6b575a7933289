/**
 * Routes requests inside the dialogs of outbound legs (BYE, re-INVITE, UPDATE, INFO from the
 * far end) by Call-ID and tags. Kept apart from LegRegistry for now: its RoutableLeg indexes
 * legs by the ServerTransaction of their INVITE, which an outbound leg does not have. Once
 * RoutableLeg.tx is optional, OutboundLeg tracks itself in LegDeps.registry and this goes.
 */
import { dialogKey, type Dialog } from '../../sip/dialog/index.js';
import { callId, fromTag, toTag, type SipRequest } from '../../sip/message/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { LegTracker } from './leg-deps.js';

export interface OutboundRoutable {
  readonly dialog: Dialog | undefined;
  onRequest(req: SipRequest, tx: ServerTransaction): void;
  onAck(ack: SipRequest): void;
  hangup(cause: 'shutdown'): Promise<void>;
}

/** One index per leg registry, found with `OutboundLegIndex.of(registry)`. */
const indexes = new WeakMap<LegTracker, OutboundLegIndex>();

export class OutboundLegIndex {
  private readonly byDialog = new Map<string, OutboundRoutable>();
  private readonly keys = new Map<OutboundRoutable, string>();
  /** Every live leg, ringing ones too (a shutdown cancels them). */
  private readonly legs = new Set<OutboundRoutable>();

  /** The index that outbound legs made with this registry's LegDeps use. */
  static of(registry: LegTracker): OutboundLegIndex {
    let index = indexes.get(registry);
    if (index === undefined) indexes.set(registry, (index = new OutboundLegIndex()));
    return index;
  }

  /** Tracks a live leg, and indexes it by its dialog once it has one (safe to call again). */
  track(leg: OutboundRoutable): void {
    this.legs.add(leg);
    const dialog = leg.dialog;
    if (dialog === undefined || this.keys.has(leg)) return;
    const key = dialogKey(dialog.id);
    this.keys.set(leg, key);
    this.byDialog.set(key, leg);
  }

  forget(leg: OutboundRoutable): void {
    this.legs.delete(leg);
    const key = this.keys.get(leg);
    if (key !== undefined) this.byDialog.delete(key);
    this.keys.delete(leg);
  }

  /** Takes a request inside an outbound leg's dialog; false when none has it. */
  handleRequest(req: SipRequest, tx: ServerTransaction | undefined): boolean {
    if (req.method === 'CANCEL') return false;
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

  /** Ends every live leg: CANCEL when ringing, BYE when answered (graceful shutdown). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.legs].map((leg) => leg.hangup('shutdown')));
  }

  /** Live legs tracked. */
  get size(): number {
    return this.legs.size;
  }
}
