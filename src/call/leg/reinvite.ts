/**
 * A re-INVITE we send inside an established dialog (RFC 3261 14.1) carrying a new offer: the
 * dialog moves on (CSeq, target refresh from the 2xx), every 2xx (retransmissions too) is
 * ACKed, and a 491 (the far end was re-INVITing at the same time, glare) is retried once after
 * the random wait of RFC 3261 14.1.
 */
import { AtendeError } from '../../core/index.js';
import { buildAck, nextInDialogRequest, processInDialogResponse } from '../../sip/dialog/index.js';
import { cseq, type SipResponse } from '../../sip/message/index.js';
import { sendAck } from '../signalling/ack-sender.js';
import type { EndSignal } from './leg-end.js';
import type { CallSignallingDeps, DialogSide } from '../signalling/types.js';

/** A re-INVITE that was not accepted: the session goes on as it was. */
export class ReinviteError extends AtendeError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('reinvite_failed', message);
  }
}

export interface ReinviteOptions {
  /** We sent the dialog's first INVITE (we own the Call-ID): our glare wait is 2.1-4 s, else 0-2 s. */
  ownsCallId: boolean;
  /** Stop retrying when this aborts (the leg ended). */
  signal?: EndSignal;
}

/** Sends a re-INVITE with `offer` (SDP) and resolves with its final response (ACKed when 2xx). */
export async function sendReinvite(
  deps: CallSignallingDeps,
  side: DialogSide,
  offer: string,
  opts: ReinviteOptions,
): Promise<SipResponse> {
  // A function: the signal may abort while we wait (TypeScript would narrow a plain read).
  const aborted = (): boolean => opts.signal?.aborted === true;
  const first = await sendOnce(deps, side, offer);
  if (first.status !== 491 || aborted()) return first;
  const waitMs = opts.ownsCallId ? 2100 + deps.random.int(1900) : deps.random.int(2000);
  await new Promise<void>((resolve) => {
    const timer = deps.clock.setTimer(waitMs, () => {
      opts.signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    const onAbort = (): void => {
      deps.clock.clearTimer(timer);
      resolve();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  if (aborted()) return first;
  return sendOnce(deps, side, offer);
}

function sendOnce(deps: CallSignallingDeps, side: DialogSide, offer: string): Promise<SipResponse> {
  const dialog = side.dialog;
  if (dialog === undefined || dialog.state !== 'confirmed') {
    return Promise.reject(new ReinviteError(481, 'no confirmed dialog to re-INVITE in'));
  }
  const { dialog: next, request } = nextInDialogRequest(dialog, 'INVITE', { body: offer, contentType: 'application/sdp' });
  side.dialog = next;
  const seq = cseq(request)?.seq ?? 0;
  return new Promise<SipResponse>((resolve, reject) => {
    let settled = false;
    try {
      deps.transactions.sendRequest(request, side.target, {
        onFinal: (res) => {
          if (side.dialog !== undefined) side.dialog = processInDialogResponse(side.dialog, res).dialog;
          if (res.status >= 200 && res.status < 300 && side.dialog !== undefined) {
            // Each 2xx, first or retransmitted, gets its ACK (RFC 3261 13.2.2.4).
            sendAck(deps, buildAck(side.dialog, seq), side.target);
          }
          if (settled) return;
          settled = true;
          resolve(res);
        },
      });
    } catch (err) {
      reject(new ReinviteError(503, `re-INVITE could not be sent: ${err instanceof Error ? err.message : String(err)}`));
    }
  });
}
