/**
 * The REFER issuer of a leg (RFC 3515 2.4.1-2.4.4): asks the far end to call a target itself
 * (REFER inside the dialog, with Referred-By, RFC 3892) and follows the implicit subscription:
 * the NOTIFYs' message/sipfrag status lines say how the far end's call went. One transfer at a
 * time per leg; `Refer-Sub: false` (RFC 4488) settles on the REFER's 2xx alone.
 */
import { AtendeError, type TimerHandle } from '../../core/index.js';
import { createResponse, formatUri, getHeader, type HeaderField, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import { nextInDialogRequest } from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { CallSignallingDeps, DialogSide } from '../signalling/types.js';
import { parseSipfragStatus, parseSubscriptionState, wantsReferSubscription } from './refer-headers.js';
import type { TransferOptions } from './leg-types.js';

const DEFAULT_TRANSFER_TIMEOUT_MS = 120_000;

/**
 * A transfer that did not happen: the REFER was refused (its status), the target refused or
 * did not answer (the status in the NOTIFY), or no outcome came in time (408).
 */
export class TransferError extends AtendeError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('transfer_failed', message);
  }
}

export function isTransferError(err: unknown): err is TransferError {
  return err instanceof TransferError;
}

export interface ReferIssuerOptions {
  deps: CallSignallingDeps;
  side: () => DialogSide | undefined;
  legId: string;
}

interface PendingTransfer {
  resolve: () => void;
  reject: (err: Error) => void;
  timer: TimerHandle | undefined;
}

export class ReferIssuer {
  private pending: PendingTransfer | undefined;
  private closedWith: Error | undefined;

  constructor(private readonly opts: ReferIssuerOptions) {}

  /** Sends the REFER and settles with the outcome (see Leg.transfer). */
  transfer(targetUri: string, options: TransferOptions = {}): Promise<void> {
    if (this.closedWith !== undefined) return Promise.reject(this.closedWith);
    if (this.pending !== undefined) return Promise.reject(new TransferError(491, 'a transfer is already in progress on this leg'));
    const side = this.opts.side();
    const dialog = side?.dialog;
    if (side === undefined || dialog === undefined || dialog.state !== 'confirmed') {
      return Promise.reject(new TransferError(481, 'no confirmed dialog to send REFER in'));
    }
    const headers: HeaderField[] = [
      { name: 'Refer-To', value: `<${targetUri}>` },
      { name: 'Referred-By', value: options.referredBy ?? `<${formatUri(dialog.localAddress.uri)}>` },
    ];
    if (options.noSubscription === true) headers.push({ name: 'Refer-Sub', value: 'false' }, { name: 'Supported', value: 'norefersub' });
    const { dialog: next, request } = nextInDialogRequest(dialog, 'REFER', { headers });
    side.dialog = next;
    return new Promise<void>((resolve, reject) => {
      const pending: PendingTransfer = { resolve, reject, timer: undefined };
      this.pending = pending;
      pending.timer = this.opts.deps.clock.setTimer(options.timeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS, () => {
        this.settle(pending, new TransferError(408, 'no outcome of the transfer in time'));
      });
      try {
        this.opts.deps.transactions.sendRequest(request, side.target, {
          onFinal: (res) => this.onReferResponse(pending, res),
          onTimeout: () => this.settle(pending, new TransferError(408, 'REFER timed out')),
          onTransportError: () => this.settle(pending, new TransferError(503, 'REFER could not be delivered')),
        });
      } catch (err) {
        this.settle(pending, new TransferError(503, `REFER could not be sent: ${err instanceof Error ? err.message : String(err)}`));
      }
    });
  }

  /** A NOTIFY inside the dialog: answered here (200, 481 without a subscription, 489 for another event). */
  onNotify(req: SipRequest, tx: ServerTransaction): void {
    const event = (getHeader(req, 'Event') ?? '').split(';')[0]?.trim().toLowerCase();
    if (event !== 'refer') {
      tx.respond(createResponse(req, 489, 'Bad Event', { headers: [{ name: 'Allow-Events', value: 'refer' }] }));
      return;
    }
    const pending = this.pending;
    if (pending === undefined) {
      tx.respond(createResponse(req, 481, 'Subscription Does Not Exist'));
      return;
    }
    tx.respond(createResponse(req, 200, 'OK'));
    const status = parseSipfragStatus(req.body.toString('utf8'));
    if (status !== undefined && status >= 200) {
      if (status < 300) this.settle(pending);
      else this.settle(pending, new TransferError(status, `the transfer target answered ${status}`));
      return;
    }
    if (parseSubscriptionState(getHeader(req, 'Subscription-State'))?.state === 'terminated') {
      this.settle(pending, new TransferError(500, 'the refer subscription ended without a final status'));
    }
  }

  /** The leg ended: a pending transfer rejects with `err`, later ones at once. Safe to call twice. */
  close(err: Error): void {
    this.closedWith ??= err;
    if (this.pending !== undefined) this.settle(this.pending, err);
  }

  private onReferResponse(pending: PendingTransfer, res: SipResponse): void {
    if (res.status >= 300) {
      this.settle(pending, new TransferError(res.status, `REFER refused: ${res.status} ${res.reason}`));
      return;
    }
    // RFC 4488 4: a 2xx with Refer-Sub: false means no NOTIFYs will come (the 2xx is all we
    // learn); without it the recipient keeps the subscription, even if we asked for none.
    if (!wantsReferSubscription(res)) this.settle(pending);
  }

  private settle(pending: PendingTransfer, err?: Error): void {
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.opts.deps.clock.clearTimer(pending.timer);
    if (err === undefined) pending.resolve();
    else pending.reject(err);
  }
}
