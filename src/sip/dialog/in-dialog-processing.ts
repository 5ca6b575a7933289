/**
 * Requests and responses arriving within a dialog (RFC 3261 12.2.2, 12.2.1.2, 14;
 * RFC 3311 5.2): the checks that answer 481, 500 or 491, and the dialog update otherwise.
 */
import { cryptoRandom } from '../../core/index.js';
import type { RandomSource } from '../../core/index.js';
import { callId, cseq, fromTag, toTag } from '../message/index.js';
import type { HeaderField, SipRequest, SipResponse } from '../message/index.js';
import { contactUri, recordRoutes } from './dialog-message-fields.js';
import { transition } from './dialog-state.js';
import type { DialogEffect, DialogTransition } from './dialog-state.js';
import type { Dialog } from './types.js';

export type InDialogRequestResult =
  | { accept: true; dialog: Dialog; effects: DialogEffect[] }
  | { accept: false; status: 400 | 481 | 491 | 500; reason: string; headers: HeaderField[] };

export interface ProcessRequestOptions {
  /** Picks the Retry-After of 500 answers to overlapping offers (RFC 3261 14.2: 0 to 10 s). */
  random?: RandomSource;
}

function reject(status: 400 | 481 | 491 | 500, reason: string, headers: HeaderField[] = []): InDialogRequestResult {
  return { accept: false, status, reason, headers };
}

function retryAfter(random: RandomSource): HeaderField[] {
  return [{ name: 'Retry-After', value: String(random.int(11)) }];
}

/** True when the request's Call-ID and tags name this dialog (To tag = local, From tag = remote). */
export function requestMatchesDialog(dialog: Dialog, request: SipRequest): boolean {
  return (
    callId(request) === dialog.id.callId && toTag(request) === dialog.id.localTag && fromTag(request) === dialog.id.remoteTag
  );
}

/** True when the response belongs to this dialog (From tag = local, To tag = remote). */
export function responseMatchesDialog(dialog: Dialog, response: SipResponse): boolean {
  return (
    callId(response) === dialog.id.callId && fromTag(response) === dialog.id.localTag && toTag(response) === dialog.id.remoteTag
  );
}

/**
 * Checks a request received within `dialog` (RFC 3261 12.2.2) and, when acceptable, returns
 * the updated dialog: remote CSeq recorded, remote target refreshed by re-INVITE/UPDATE with
 * Contact, terminated by BYE. Rejections carry the status and headers to answer with.
 */
export function processInDialogRequest(
  dialog: Dialog,
  request: SipRequest,
  opts: ProcessRequestOptions = {},
): InDialogRequestResult {
  const random = opts.random ?? cryptoRandom;
  if (dialog.state === 'terminated' || !requestMatchesDialog(dialog, request)) {
    return reject(481, 'Call/Transaction Does Not Exist');
  }
  const c = cseq(request);
  if (c === undefined || c.method.toUpperCase() !== request.method.toUpperCase()) return reject(400, 'Bad CSeq');
  const method = request.method.toUpperCase();
  // ACK and CANCEL carry the INVITE's number and do not advance the remote sequence.
  if (method !== 'ACK' && method !== 'CANCEL') {
    // RFC 3261 12.2.2: a CSeq lower than the remote sequence number is out of order.
    if (dialog.remoteSeq !== null && c.seq < dialog.remoteSeq) return reject(500, 'CSeq Out of Order');
  }
  const hasBody = request.body.length > 0;
  if (method === 'INVITE') {
    // RFC 3261 14.2: an INVITE while ours is pending is glare (491); one while the peer's
    // earlier INVITE is unanswered gets 500 with Retry-After.
    if (dialog.pendingLocalInvite !== null) return reject(491, 'Request Pending');
    if (dialog.pendingRemoteInvite !== null && dialog.pendingRemoteInvite < c.seq) {
      return reject(500, 'Server Internal Error', retryAfter(random));
    }
    if (hasBody && dialog.pendingLocalUpdate !== null) return reject(491, 'Request Pending');
  }
  if (method === 'UPDATE' && hasBody) {
    // RFC 3311 5.2: an offer crossing our unanswered offer is glare (491); a second offer
    // while we still owe an answer gets 500 with Retry-After.
    const localReInvite = dialog.pendingLocalInvite !== null && dialog.pendingLocalInvite !== dialog.inviteSeq;
    if (dialog.pendingLocalUpdate !== null || localReInvite) return reject(491, 'Request Pending');
    if (dialog.pendingRemoteUpdate !== null) return reject(500, 'Server Internal Error', retryAfter(random));
  }
  const contact = contactUri(request);
  const next = transition(dialog, {
    type: 'request-received',
    method,
    seq: c.seq,
    hasBody,
    ...(contact !== undefined ? { contact } : {}),
  });
  return { accept: true, dialog: next.dialog, effects: next.effects };
}

/**
 * Applies a response received to one of our requests within `dialog` (RFC 3261 12.2.1.2,
 * 13.2.2.4): 2xx to the initial INVITE confirms and recomputes the route set (UAC), 2xx to
 * a target refresh replaces the remote target, 481/408 and a failed initial INVITE end it.
 * A response for another dialog (other To tag after forking) leaves the dialog unchanged.
 */
export function processInDialogResponse(dialog: Dialog, response: SipResponse): DialogTransition {
  const c = cseq(response);
  if (c === undefined || !responseMatchesDialog(dialog, response)) return { dialog, effects: [] };
  const method = c.method.toUpperCase();
  const confirming =
    dialog.role === 'uac' && dialog.state === 'early' && method === 'INVITE' && c.seq === dialog.inviteSeq;
  const contact = contactUri(response);
  return transition(dialog, {
    type: 'response-received',
    method,
    seq: c.seq,
    status: response.status,
    ...(contact !== undefined ? { contact } : {}),
    ...(confirming && response.status >= 200 && response.status < 300
      ? { routeSet: recordRoutes(response).reverse() }
      : {}),
  });
}

/** Records a response we send to a request within `dialog` (final answers clear pending offers; the initial INVITE's final confirms or ends it). */
export function processOutgoingResponse(dialog: Dialog, response: SipResponse): DialogTransition {
  const c = cseq(response);
  if (c === undefined) return { dialog, effects: [] };
  return transition(dialog, { type: 'response-sent', method: c.method.toUpperCase(), seq: c.seq, status: response.status });
}
