/**
 * The dialogs a user agent currently holds, by id. Incoming requests are found by Call-ID,
 * To tag (ours) and From tag (theirs); responses by Call-ID, From tag (ours) and To tag.
 * Terminated dialogs are dropped, so `count()` returns to zero when every call has ended.
 */
import { callId, fromTag, toTag } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { dialogKey } from './types.js';
import type { Dialog, DialogId } from './types.js';

export class DialogRegistry {
  private readonly dialogs = new Map<string, Dialog>();

  /** Stores or replaces a dialog; a terminated one is removed instead. */
  put(dialog: Dialog): void {
    const key = dialogKey(dialog.id);
    if (dialog.state === 'terminated') this.dialogs.delete(key);
    else this.dialogs.set(key, dialog);
  }

  get(id: DialogId): Dialog | undefined {
    return this.dialogs.get(dialogKey(id));
  }

  remove(id: DialogId): boolean {
    return this.dialogs.delete(dialogKey(id));
  }

  /** The dialog an incoming request belongs to, or undefined (the caller answers 481 when it had a To tag). */
  findForRequest(request: SipRequest): Dialog | undefined {
    const id = callId(request);
    const local = toTag(request);
    const remote = fromTag(request);
    if (id === undefined || local === undefined || remote === undefined) return undefined;
    return this.get({ callId: id, localTag: local, remoteTag: remote });
  }

  /** The dialog a response to one of our requests belongs to (one per To tag when forked). */
  findForResponse(response: SipResponse): Dialog | undefined {
    const id = callId(response);
    const local = fromTag(response);
    const remote = toTag(response);
    if (id === undefined || local === undefined || remote === undefined) return undefined;
    return this.get({ callId: id, localTag: local, remoteTag: remote });
  }

  /** Every dialog sharing a Call-ID and local tag: the forks of one INVITE we sent. */
  forks(callIdValue: string, localTag: string): Dialog[] {
    const out: Dialog[] = [];
    for (const d of this.dialogs.values()) {
      if (d.id.callId === callIdValue && d.id.localTag === localTag) out.push(d);
    }
    return out;
  }

  /**
   * Removes the early dialogs of an INVITE; used when its final response is not 2xx
   * (RFC 3261 12.3 end) or when another fork's 2xx made them moot. Returns them.
   */
  dropEarly(callIdValue: string, localTag: string): Dialog[] {
    const early = this.forks(callIdValue, localTag).filter((d) => d.state === 'early');
    for (const d of early) this.dialogs.delete(dialogKey(d.id));
    return early;
  }

  count(): number {
    return this.dialogs.size;
  }

  all(): Dialog[] {
    return [...this.dialogs.values()];
  }
}
