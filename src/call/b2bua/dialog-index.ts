import { callId, fromTag, toTag, type SipMessage } from '../../sip/message/index.js';
import { dialogKey } from '../../sip/dialog/index.js';

/** Which call and which side an in-dialog request belongs to, by Call-ID and tags. */
export interface DialogOwner<C> {
  call: C;
  side: 'caller' | 'callee';
  /** For the callee side: which fork's dialog (a request may come from a fork that did not win). */
  fork?: string;
}


/** Finds the owner of an incoming request: To tag is ours, From tag is the peer's. */
export class DialogIndex<C> {
  private readonly owners = new Map<string, DialogOwner<C>>();

  set(key: string, owner: DialogOwner<C>): void {
    this.owners.set(key, owner);
  }

  delete(key: string): void {
    this.owners.delete(key);
  }

  forRequest(msg: SipMessage): DialogOwner<C> | undefined {
    const id = callId(msg);
    const local = toTag(msg);
    const remote = fromTag(msg);
    if (id === undefined || local === undefined || remote === undefined) return undefined;
    return this.owners.get(dialogKey({ callId: id, localTag: local, remoteTag: remote }));
  }

  get size(): number {
    return this.owners.size;
  }
}
