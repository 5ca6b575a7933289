/**
 * Dialog state (RFC 3261 12): identified by Call-ID, local tag and remote tag; holds the
 * sequence numbers, the remote target and the route set used to build in-dialog requests.
 * Dialogs are immutable values: every change goes through `transition` and returns a new one.
 */
import type { NameAddr } from '../message/index.js';

/** The three dialog states of RFC 3261 12 (early after a 101-199 with a To tag, confirmed after 2xx). */
export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Which side of the dialog-creating INVITE we were. */
export type DialogRole = 'uac' | 'uas';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

export interface Dialog {
  readonly id: DialogId;
  readonly role: DialogRole;
  readonly state: DialogState;
  /** Our address of record as it appears in From (UAC) or To (UAS), without the tag. */
  readonly localAddress: NameAddr;
  /** The peer's address as it appears in To (UAC) or From (UAS), without the tag. */
  readonly remoteAddress: NameAddr;
  /** The local and remote URIs of RFC 3261 12.1 (formatted). */
  readonly localUri: string;
  readonly remoteUri: string;
  /** Last CSeq number we sent; null until we send one (UAS side). */
  readonly localSeq: number | null;
  /** Last CSeq number the peer sent; null until the peer sends one (UAC side). */
  readonly remoteSeq: number | null;
  /** The peer's Contact URI: Request-URI of in-dialog requests. */
  readonly remoteTarget: string;
  /** Our Contact URI, written as Contact in target refresh requests; undefined when unknown. */
  readonly localTarget?: string;
  /** Route set in the order it is written into Route (name-addr values as received). */
  readonly routeSet: readonly string[];
  /** True when the dialog-creating request had a SIPS Request-URI (RFC 3261 12.1.1). */
  readonly secure: boolean;
  /** CSeq number of the dialog-creating INVITE (needed for ACK and RAck). */
  readonly inviteSeq: number;
  /** CSeq of an INVITE we sent and that has no final response yet (RFC 3261 14.1). */
  readonly pendingLocalInvite: number | null;
  /** CSeq of an INVITE the peer sent that we have not answered finally (RFC 3261 14.2). */
  readonly pendingRemoteInvite: number | null;
  /** CSeq of an UPDATE with an offer we sent, unanswered (RFC 3311 5.2 glare). */
  readonly pendingLocalUpdate: number | null;
  /** CSeq of an UPDATE with an offer the peer sent, unanswered. */
  readonly pendingRemoteUpdate: number | null;
  /** Highest RSeq of a reliable provisional response acknowledged on this dialog (RFC 3262 4). */
  readonly remoteRSeq: number | null;
}

/** A dialog could not be created from the given messages (missing tags, bad headers). */
export interface DialogError {
  readonly type: 'dialog-error';
  readonly reason: string;
}

export function dialogError(reason: string): DialogError {
  return { type: 'dialog-error', reason };
}

export function isDialogError(x: unknown): x is DialogError {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'dialog-error';
}

/** A stable map key for a dialog id. Call-ID and tags are compared byte for byte. */
export function dialogKey(id: DialogId): string {
  return `${id.callId}\u0000${id.localTag}\u0000${id.remoteTag}`;
}
