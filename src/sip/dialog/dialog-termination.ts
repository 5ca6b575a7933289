/**
 * Ending a dialog in any state (RFC 3261 15, 9.1, 12.3):
 * - confirmed: BYE from either side (the UAS waits for the ACK of its 2xx first, 15);
 * - early, we are the UAC: CANCEL the INVITE (the transaction layer builds it from the
 *   INVITE, same branch); the RFC also allows a BYE on one early dialog, which ends that
 *   fork only and leaves the INVITE transaction running;
 * - early, we are the UAS: we MUST NOT send BYE (15); we answer the INVITE with a final
 *   non-2xx instead (480 by default, 487 when the caller cancelled);
 * - terminated: nothing to do.
 */
import type { HeaderField, SipRequest } from '../message/index.js';
import { nextInDialogRequest } from './in-dialog-request.js';
import type { Dialog } from './types.js';

export type DialogEnding =
  | { action: 'bye'; dialog: Dialog; request: SipRequest }
  | { action: 'cancel' }
  | { action: 'reject-invite'; status: number }
  /** UAS on a confirmed dialog whose 2xx is not yet ACKed: send the BYE once the ACK arrives or the 2xx times out. */
  | { action: 'bye-after-ack' }
  | { action: 'none' };

export interface EndDialogOptions {
  /** UAC on an early dialog: BYE this fork instead of cancelling the INVITE. */
  byeOnEarly?: boolean;
  /** UAS on an early dialog: the final status for the INVITE (default 480). */
  rejectStatus?: number;
  /** UAS on a confirmed dialog: false while the ACK for our 2xx has not arrived. */
  ackReceived?: boolean;
  /** Extra headers for the BYE (Reason, RFC 3326). */
  headers?: HeaderField[];
}

/** How to end `dialog` now; a BYE comes with the dialog already terminated (RFC 3261 15.1.1). */
export function endDialog(dialog: Dialog, opts: EndDialogOptions = {}): DialogEnding {
  const bye = (): DialogEnding => ({
    action: 'bye',
    ...nextInDialogRequest(dialog, 'BYE', opts.headers !== undefined ? { headers: opts.headers } : {}),
  });
  switch (dialog.state) {
    case 'terminated':
      return { action: 'none' };
    case 'confirmed':
      if (dialog.role === 'uas' && opts.ackReceived === false) return { action: 'bye-after-ack' };
      return bye();
    case 'early':
      if (dialog.role === 'uas') return { action: 'reject-invite', status: opts.rejectStatus ?? 480 };
      return opts.byeOnEarly === true ? bye() : { action: 'cancel' };
  }
}
