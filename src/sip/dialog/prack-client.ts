/**
 * Reliable provisional responses, UAC side (RFC 3262 4): recognise a reliable 1xx, ignore
 * retransmissions and out-of-order RSeq values, and build the PRACK with its RAck.
 */
import { cseq, getHeaderValues } from '../message/index.js';
import type { HeaderField, SipRequest, SipResponse } from '../message/index.js';
import { transition } from './dialog-state.js';
import { nextInDialogRequest } from './in-dialog-request.js';
import { parseRSeq } from './reliable-provisional.js';
import type { Dialog } from './types.js';

/** True for a 101-199 with `Require: 100rel` and a valid RSeq. */
export function isReliableProvisional(response: SipResponse): boolean {
  if (response.status <= 100 || response.status >= 200) return false;
  const required = getHeaderValues(response, 'Require').some((v) => v.toLowerCase() === '100rel');
  return required && parseRSeq(response) !== undefined;
}

export type ReliableProvisionalCheck =
  | { accept: true; rseq: number; dialog: Dialog }
  | { accept: false; reason: 'not-reliable' | 'duplicate' | 'out-of-order' };

/**
 * Decides whether a reliable 1xx on `dialog` (its early dialog) is new: the first one sets
 * the sequence, later ones must be exactly one higher (RFC 3262 4); others are neither
 * PRACKed nor processed further.
 */
export function acceptReliableProvisional(dialog: Dialog, response: SipResponse): ReliableProvisionalCheck {
  const rseq = parseRSeq(response);
  if (!isReliableProvisional(response) || rseq === undefined) return { accept: false, reason: 'not-reliable' };
  const last = dialog.remoteRSeq;
  if (last !== null && rseq <= last) return { accept: false, reason: 'duplicate' };
  if (last !== null && rseq !== last + 1) return { accept: false, reason: 'out-of-order' };
  return { accept: true, rseq, dialog: transition(dialog, { type: 'reliable-provisional-received', rseq }).dialog };
}

/**
 * The PRACK for a reliable 1xx (RFC 3262 7.2): an in-dialog request on the early dialog
 * with `RAck: <rseq> <cseq> <method>`; may carry an SDP answer or offer.
 */
export function buildPrack(
  dialog: Dialog,
  response: SipResponse,
  opts: { body?: Buffer | string; contentType?: string; headers?: HeaderField[] } = {},
): { dialog: Dialog; request: SipRequest } | undefined {
  const rseq = parseRSeq(response);
  const c = cseq(response);
  if (rseq === undefined || c === undefined) return undefined;
  return nextInDialogRequest(dialog, 'PRACK', {
    ...opts,
    headers: [{ name: 'RAck', value: `${rseq} ${c.seq} ${c.method}` }, ...(opts.headers ?? [])],
  });
}
