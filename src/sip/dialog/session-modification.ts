/**
 * Modifying an established session (RFC 3261 14, RFC 3311): re-INVITE and UPDATE as target
 * refresh requests carrying our Contact and an optional SDP offer, and the glare back-off.
 * Incoming glare (491, 500 with Retry-After) is decided by processInDialogRequest.
 */
import type { RandomSource } from '../../core/index.js';
import type { HeaderField, SipRequest } from '../message/index.js';
import { TARGET_REFRESH_METHODS } from './dialog-state.js';
import { nextInDialogRequest } from './in-dialog-request.js';
import type { Dialog } from './types.js';

export interface SessionModificationOptions {
  /** SDP offer; omitted for a pure target refresh (UPDATE) or an offerless re-INVITE. */
  sdp?: Buffer | string;
  headers?: HeaderField[];
}

/** True for methods that refresh the remote target (RFC 3261 12.2, RFC 3311, RFC 6665). */
export function isTargetRefresh(method: string): boolean {
  return TARGET_REFRESH_METHODS.has(method.toUpperCase());
}

function modify(dialog: Dialog, method: 'INVITE' | 'UPDATE', opts: SessionModificationOptions): { dialog: Dialog; request: SipRequest } {
  return nextInDialogRequest(dialog, method, {
    ...(opts.sdp !== undefined ? { body: opts.sdp, contentType: 'application/sdp' } : {}),
    ...(opts.headers !== undefined ? { headers: opts.headers } : {}),
  });
}

/**
 * A re-INVITE on a confirmed dialog; undefined while another INVITE is pending either way
 * (RFC 3261 14.1: a UAC MUST NOT start a re-INVITE while one is in progress).
 */
export function buildReInvite(dialog: Dialog, opts: SessionModificationOptions = {}): { dialog: Dialog; request: SipRequest } | undefined {
  if (dialog.state !== 'confirmed') return undefined;
  if (dialog.pendingLocalInvite !== null || dialog.pendingRemoteInvite !== null) return undefined;
  return modify(dialog, 'INVITE', opts);
}

/**
 * An UPDATE (RFC 3311), allowed in early and confirmed dialogs; undefined when it carries an
 * offer while one of ours is still unanswered (RFC 3311 5.1).
 */
export function buildUpdate(dialog: Dialog, opts: SessionModificationOptions = {}): { dialog: Dialog; request: SipRequest } | undefined {
  if (dialog.state === 'terminated') return undefined;
  if (opts.sdp !== undefined && dialog.pendingLocalUpdate !== null) return undefined;
  return modify(dialog, 'UPDATE', opts);
}

/**
 * How long to wait before retrying a re-INVITE/UPDATE that got 491 (RFC 3261 14.1): the
 * Call-ID owner waits 2.1 to 4 s, the other side 0 to 2 s, both in units of 10 ms.
 */
export function retryAfterGlareMs(random: RandomSource, isCallIdOwner: boolean): number {
  return isCallIdOwner ? 2100 + 10 * random.int(191) : 10 * random.int(201);
}
