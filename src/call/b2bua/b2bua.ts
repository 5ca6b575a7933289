import type { SipRequest } from '../../sip/message/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { InboundMessage } from '../../sip/transport/types.js';
import { B2bCall } from './b2b-call.js';
import { DialogIndex } from './dialog-index.js';
import type { B2buaDeps, CallPlan } from './types.js';

/**
 * The back-to-back user agent: every call is two independent SIP worlds (the caller's dialog
 * and the callee's), joined here. Nothing crosses from one to the other but what we choose:
 * the session description and the outcome. Call-ID, tags, Via and Contact never do.
 */
export class B2bua {
  private readonly calls = new Set<B2bCall>();
  private readonly byInvite = new Map<ServerTransaction, B2bCall>();
  private readonly index = new DialogIndex<B2bCall>();

  constructor(private readonly deps: B2buaDeps) {}

  /** Starts a call for an authorised INVITE already routed by the layer above. */
  startCall(tx: ServerTransaction, plan: CallPlan): B2bCall {
    const call = new B2bCall(this.deps, tx, plan, {
      index: this.index,
      onEnded: (c) => {
        this.calls.delete(c);
        this.byInvite.delete(c.caller.tx);
      },
    });
    this.calls.add(call);
    this.byInvite.set(tx, call);
    call.start();
    return call;
  }

  /**
   * Takes a request that belongs to a call: in-dialog requests (To tag), ACKs for our answers,
   * and CANCELs of INVITEs we are handling. Returns false when it belongs to no call.
   */
  handleRequest(req: SipRequest, tx: ServerTransaction | undefined, _inbound: InboundMessage, cancelled?: ServerTransaction): boolean {
    if (req.method === 'CANCEL') {
      if (!tx || !cancelled) return false;
      const call = this.byInvite.get(cancelled);
      if (call) {
        call.onCancel(req, tx);
        return true;
      }
      const owner = this.index.forRequest(cancelled.request);
      if (!owner) return false;
      owner.call.onInDialogCancel(req, tx, cancelled);
      return true;
    }
    const owner = this.index.forRequest(req);
    if (!owner) return false;
    if (req.method === 'ACK') owner.call.onAck(owner.side, req);
    else if (tx) owner.call.onRequest(owner.side, req, tx, owner.fork);
    return true;
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  /** Dialogs still indexed (scenario tests assert zero once every call ended). */
  get dialogCount(): number {
    return this.index.size;
  }

  /** Ends every call (BYE to answered ones, 503 to ringing ones) and waits for the BYEs to be answered. */
  async shutdown(maxWaitMs: number): Promise<void> {
    const calls = [...this.calls];
    for (const c of calls) c.shutdown();
    let timer: { id: number } | undefined;
    await Promise.race([
      Promise.all(calls.map((c) => c.settled())),
      new Promise<void>((resolve) => {
        timer = this.deps.clock.setTimer(maxWaitMs, resolve);
      }),
    ]);
    this.deps.clock.clearTimer(timer);
  }
}
