import { createResponse, cseq, getHeader, type HeaderField, type SipRequest } from '../../sip/message/index.js';
import {
  buildAck,
  nextInDialogRequest,
  processInDialogRequest,
  processInDialogResponse,
  processOutgoingResponse,
  type Dialog,
} from '../../sip/dialog/index.js';
import type { ClientTransaction, ServerTransaction } from '../../sip/transaction/index.js';
import type { SendTarget } from '../../sip/transport/types.js';
import { sendAck } from './ack-sender.js';
import { AnswerRetransmitter } from './answer-retransmitter.js';
import type { B2buaDeps } from './types.js';

/** One side of a call as the relay sees it: a dialog and where to send into it. */
export interface DialogSide {
  dialog: Dialog | undefined;
  readonly target: SendTarget;
}

/** Methods whose 2xx carries our Contact (RFC 3261 12.2, RFC 3311). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE']);

interface PendingAck {
  to: DialogSide;
  seq: number;
  retransmitter: AnswerRetransmitter;
}

/**
 * Relays mid-call requests (re-INVITE for hold or codec change, UPDATE, INFO, MESSAGE...) from
 * one side's dialog to the other's and the answers back, so each side only ever sees our
 * Call-ID, tags and Contact (topology hiding).
 */
export class InDialogRelay {
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly relayed = new Map<ServerTransaction, ClientTransaction>();

  constructor(private readonly deps: B2buaDeps) {}

  /**
   * `terms`: headers our 2xx to the requester must carry (its leg's Session-Expires) and what
   * to do once the request succeeded (re-arm that leg's session timer).
   */
  relay(
    fromName: string,
    from: DialogSide,
    to: DialogSide,
    req: SipRequest,
    tx: ServerTransaction,
    terms: { responseHeaders?: HeaderField[]; onSuccess?: () => void } = {},
  ): void {
    if (!from.dialog || !to.dialog || to.dialog.state === 'terminated' || (req.method === 'INVITE' && to.dialog.state !== 'confirmed')) {
      tx.respond(createResponse(req, req.method === 'INVITE' ? 491 : 481, req.method === 'INVITE' ? 'Request Pending' : 'Call/Transaction Does Not Exist'));
      return;
    }
    const checked = processInDialogRequest(from.dialog, req, { random: this.deps.random });
    if (!checked.accept) {
      tx.respond(createResponse(req, checked.status, checked.reason, { headers: checked.headers }));
      return;
    }
    from.dialog = checked.dialog;
    const contentType = getHeader(req, 'Content-Type');
    const { dialog, request } = nextInDialogRequest(to.dialog, req.method, {
      body: req.body,
      ...(contentType !== undefined ? { contentType } : {}),
    });
    to.dialog = dialog;
    const method = req.method;
    const client = this.deps.transactions.sendRequest(request, to.target, {
      onFinal: (res) => {
        this.relayed.delete(tx);
        if (to.dialog) to.dialog = processInDialogResponse(to.dialog, res).dialog;
        const success = res.status >= 200 && res.status < 300;
        const headers: HeaderField[] = [];
        if (success && TARGET_REFRESH.has(method)) headers.push({ name: 'Contact', value: `<${this.deps.localContact(from.target.protocol)}>` });
        if (success) headers.push(...(terms.responseHeaders ?? []));
        const resType = getHeader(res, 'Content-Type');
        if (res.body.length > 0) headers.push({ name: 'Content-Type', value: resType ?? 'application/sdp' });
        const out = createResponse(req, res.status, res.reason, { headers, ...(res.body.length > 0 ? { body: res.body } : {}) });
        if (from.dialog) from.dialog = processOutgoingResponse(from.dialog, out).dialog;
        tx.respond(out);
        if (success) terms.onSuccess?.();
        if (method === 'INVITE' && success) {
          const seq = cseq(req)?.seq ?? 0;
          const key = `${fromName}:${seq}`;
          const sentSeq = cseq(request)?.seq ?? 0;
          const retransmitter = new AnswerRetransmitter(this.deps, tx, out, this.deps.sender.isReliable(from.target.protocol), () => {
            // No ACK from the requester: ACK the other side ourselves so its transaction settles.
            this.pendingAcks.delete(key);
            if (to.dialog) sendAck(this.deps, buildAck(to.dialog, sentSeq), to.target);
          });
          this.pendingAcks.set(key, { to, seq: sentSeq, retransmitter });
        }
      },
    });
    this.relayed.set(tx, client);
  }

  /** An ACK for a relayed re-INVITE's 2xx: pass it (with any answer in its body) to the other side. Returns false if unknown. */
  ack(fromName: string, ack: SipRequest): boolean {
    const seq = cseq(ack)?.seq;
    const key = `${fromName}:${seq ?? ''}`;
    const pending = this.pendingAcks.get(key);
    if (!pending) return false;
    this.pendingAcks.delete(key);
    pending.retransmitter.stop();
    if (pending.to.dialog) {
      const contentType = getHeader(ack, 'Content-Type');
      const opts = ack.body.length > 0 ? { body: ack.body, contentType: contentType ?? 'application/sdp' } : {};
      sendAck(this.deps, buildAck(pending.to.dialog, pending.seq, opts), pending.to.target);
    }
    return true;
  }

  /** A CANCEL for a relayed request: cancel our copy (the INVITE's 487 comes back through the relay). */
  cancel(tx: ServerTransaction): boolean {
    const client = this.relayed.get(tx);
    if (!client) return false;
    void client.cancel();
    return true;
  }

  close(): void {
    for (const p of this.pendingAcks.values()) p.retransmitter.stop();
    this.pendingAcks.clear();
    this.relayed.clear();
  }
}
