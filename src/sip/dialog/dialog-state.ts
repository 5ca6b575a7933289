/**
 * The dialog state machine (RFC 3261 12, 13, 14, 15; RFC 3311): one pure `transition`
 * from a dialog and an event (a request or response sent or received on it) to the next
 * dialog and the effects the caller should act on.
 */
import type { Dialog } from './types.js';

/** Methods whose requests and 2xx responses replace the remote target (RFC 3261 12.2, RFC 3311 5.1). */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export type DialogEvent =
  /** We passed an in-dialog request to a client transaction. */
  | { type: 'request-sent'; method: string; seq: number; hasBody: boolean }
  /** The peer's in-dialog request, already accepted by processInDialogRequest. */
  | { type: 'request-received'; method: string; seq: number; hasBody: boolean; contact?: string }
  /** A response to one of our requests; `routeSet` (UAC order) only for a 2xx to the initial INVITE. */
  | { type: 'response-received'; method: string; seq: number; status: number; contact?: string; routeSet?: readonly string[] }
  /** A response we sent to one of the peer's requests. */
  | { type: 'response-sent'; method: string; seq: number; status: number }
  /** A reliable provisional response (RFC 3262) was accepted and will be PRACKed. */
  | { type: 'reliable-provisional-received'; rseq: number }
  /** Ended for a reason outside the message flow (session timer expiry, transaction timeout). */
  | { type: 'terminate'; reason: string };

export type DialogEffect =
  | { type: 'confirmed' }
  | { type: 'terminated'; reason: string }
  | { type: 'remote-target-changed'; remoteTarget: string };

export interface DialogTransition {
  dialog: Dialog;
  effects: DialogEffect[];
}

function terminate(dialog: Dialog, reason: string): DialogTransition {
  if (dialog.state === 'terminated') return { dialog, effects: [] };
  return { dialog: { ...dialog, state: 'terminated' }, effects: [{ type: 'terminated', reason }] };
}

function refreshTarget(dialog: Dialog, contact: string | undefined, effects: DialogEffect[]): Dialog {
  if (contact === undefined || contact === dialog.remoteTarget) return dialog;
  effects.push({ type: 'remote-target-changed', remoteTarget: contact });
  return { ...dialog, remoteTarget: contact };
}

/** The next dialog for an event. A terminated dialog never changes. */
export function transition(dialog: Dialog, event: DialogEvent): DialogTransition {
  if (dialog.state === 'terminated') return { dialog, effects: [] };
  switch (event.type) {
    case 'request-sent':
      return onRequestSent(dialog, event);
    case 'request-received':
      return onRequestReceived(dialog, event);
    case 'response-received':
      return onResponseReceived(dialog, event);
    case 'response-sent':
      return onResponseSent(dialog, event);
    case 'reliable-provisional-received':
      return { dialog: { ...dialog, remoteRSeq: event.rseq }, effects: [] };
    case 'terminate':
      return terminate(dialog, event.reason);
  }
}

function onRequestSent(dialog: Dialog, e: Extract<DialogEvent, { type: 'request-sent' }>): DialogTransition {
  // RFC 3261 15.1.1: the session ends as soon as BYE is handed to the client transaction.
  if (e.method === 'BYE') return terminate(dialog, 'bye-sent');
  // ACK and CANCEL reuse the INVITE's number (RFC 3261 12.2.1.1).
  if (e.method === 'ACK' || e.method === 'CANCEL') return { dialog, effects: [] };
  let next: Dialog = { ...dialog, localSeq: Math.max(dialog.localSeq ?? 0, e.seq) };
  if (e.method === 'INVITE') next = { ...next, pendingLocalInvite: e.seq };
  if (e.method === 'UPDATE' && e.hasBody) next = { ...next, pendingLocalUpdate: e.seq };
  return { dialog: next, effects: [] };
}

function onRequestReceived(dialog: Dialog, e: Extract<DialogEvent, { type: 'request-received' }>): DialogTransition {
  // RFC 3261 15.1.2: a BYE ends the dialog; we answer it 200.
  if (e.method === 'BYE') return terminate(dialog, 'bye-received');
  if (e.method === 'ACK' || e.method === 'CANCEL') return { dialog, effects: [] };
  const effects: DialogEffect[] = [];
  let next: Dialog = { ...dialog, remoteSeq: e.seq };
  // RFC 3261 12.2.2: a target refresh request replaces the remote target with its Contact.
  if (TARGET_REFRESH_METHODS.has(e.method)) next = refreshTarget(next, e.contact, effects);
  if (e.method === 'INVITE') next = { ...next, pendingRemoteInvite: e.seq };
  if (e.method === 'UPDATE' && e.hasBody) next = { ...next, pendingRemoteUpdate: e.seq };
  return { dialog: next, effects };
}

function onResponseReceived(dialog: Dialog, e: Extract<DialogEvent, { type: 'response-received' }>): DialogTransition {
  if (e.status < 200) return { dialog, effects: [] };
  // RFC 3261 12.2.1.2: 481 or 408 to an in-dialog request ends the dialog.
  if (e.status === 481 || e.status === 408) return terminate(dialog, `response-${e.status}`);
  const effects: DialogEffect[] = [];
  let next = dialog;
  if (e.method === 'INVITE' && next.pendingLocalInvite === e.seq) next = { ...next, pendingLocalInvite: null };
  if (e.method === 'UPDATE' && next.pendingLocalUpdate === e.seq) next = { ...next, pendingLocalUpdate: null };
  const initialInvite = e.method === 'INVITE' && e.seq === dialog.inviteSeq && dialog.state === 'early';
  if (initialInvite && e.status >= 300) return terminate(next, `invite-${e.status}`);
  if (e.status >= 300) return { dialog: next, effects };
  if (initialInvite) {
    // RFC 3261 13.2.2.4: confirming 2xx recomputes the route set from its Record-Route.
    next = { ...next, state: 'confirmed' };
    if (e.routeSet !== undefined) next = { ...next, routeSet: [...e.routeSet] };
    effects.push({ type: 'confirmed' });
  }
  // RFC 3261 12.2.1.2: a 2xx to a target refresh request replaces the remote target.
  if (TARGET_REFRESH_METHODS.has(e.method)) next = refreshTarget(next, e.contact, effects);
  return { dialog: next, effects };
}

function onResponseSent(dialog: Dialog, e: Extract<DialogEvent, { type: 'response-sent' }>): DialogTransition {
  if (e.status < 200) return { dialog, effects: [] };
  let next = dialog;
  if (e.method === 'INVITE' && next.pendingRemoteInvite === e.seq) next = { ...next, pendingRemoteInvite: null };
  if (e.method === 'UPDATE' && next.pendingRemoteUpdate === e.seq) next = { ...next, pendingRemoteUpdate: null };
  const initialInvite = e.method === 'INVITE' && e.seq === dialog.inviteSeq && dialog.state === 'early';
  if (initialInvite && e.status >= 300) return terminate(next, `invite-${e.status}`);
  if (initialInvite && e.status < 300) return { dialog: { ...next, state: 'confirmed' }, effects: [{ type: 'confirmed' }] };
  return { dialog: next, effects: [] };
}
