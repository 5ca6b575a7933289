import { createRequest, formatNameAddr, getHeader, isParseError, parseUri, type HeaderField, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import { buildAck, dialogFromUacResponse, isDialogError, processInDialogResponse, type Dialog } from '../../sip/dialog/index.js';
import type { ClientTransaction } from '../../sip/transaction/index.js';
import type { SendTarget } from '../../sip/transport/types.js';
import { sendAck } from './ack-sender.js';
import type { B2buaDeps, CallPlan, ForkTarget } from './types.js';

/** Methods we accept inside a call, advertised in Allow. */
export const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, MESSAGE, NOTIFY';

/** One outbound INVITE of a call to one device of the callee; we are its UAC. */
export class CalleeFork {
  readonly request: SipRequest;
  tx: ClientTransaction | undefined;
  dialog: Dialog | undefined;
  /** The last provisional response with a status above 100 (relayed to the caller). */
  provisional: SipResponse | undefined;
  /** The 2xx that answered this fork. */
  answer: SipResponse | undefined;
  /** The ACK we sent for the 2xx, kept to answer its retransmissions. */
  private ack: SipRequest | undefined;

  constructor(
    readonly id: string,
    readonly target: SendTarget,
    private readonly deps: B2buaDeps,
    plan: CallPlan,
    dest: ForkTarget,
    offer: { body: Buffer; contentType?: string; maxForwards: number },
  ) {
    const callIdValue = `${deps.random.token(15)}`;
    const caller = parseUri(plan.caller.uri);
    const callee = parseUri(plan.callee.uri);
    const from = isParseError(caller)
      ? `<${plan.caller.uri}>;tag=${deps.random.token(8)}`
      : formatNameAddr({ ...(plan.caller.displayName ? { displayName: plan.caller.displayName } : {}), uri: caller, params: { tag: deps.random.token(8) } });
    const to = isParseError(callee) ? `<${plan.callee.uri}>` : formatNameAddr({ uri: callee, params: {} });
    const headers: HeaderField[] = (dest.route ?? []).map((value) => ({ name: 'Route', value }));
    headers.push(
      { name: 'Max-Forwards', value: String(offer.maxForwards) },
      { name: 'From', value: from },
      { name: 'To', value: to },
      { name: 'Call-ID', value: callIdValue },
      { name: 'CSeq', value: '1 INVITE' },
      { name: 'Contact', value: `<${deps.localContact(target.protocol)}>` },
      { name: 'Allow', value: ALLOWED_METHODS },
    );
    if (deps.userAgent) headers.push({ name: 'User-Agent', value: deps.userAgent });
    if (offer.body.length > 0) headers.push({ name: 'Content-Type', value: offer.contentType ?? 'application/sdp' });
    this.request = createRequest({ method: 'INVITE', uri: dest.requestUri, headers, body: offer.body });
  }

  /** Records a provisional response and the early dialog it creates (when it has a To tag). */
  takeProvisional(res: SipResponse): void {
    if (res.status > 100) this.provisional = res;
    if (res.status > 100 && this.dialog === undefined) {
      const d = dialogFromUacResponse(this.request, res);
      if (!isDialogError(d)) this.dialog = d;
    }
  }

  /** Records a 2xx; returns false when it is a retransmission we already ACKed (the ACK is resent). */
  takeAnswer(res: SipResponse): boolean {
    if (this.ack) {
      sendAck(this.deps, this.ack, this.target);
      return false;
    }
    if (this.answer) return false;
    this.answer = res;
    const fresh = dialogFromUacResponse(this.request, res);
    const early = this.dialog;
    if (isDialogError(fresh)) this.dialog = early;
    // The 2xx confirms the early dialog of the same To tag; another tag is a new dialog (forked downstream).
    else this.dialog = early && early.id.remoteTag === fresh.id.remoteTag ? processInDialogResponse(early, res).dialog : fresh;
    return true;
  }

  /** ACKs the 2xx, carrying the caller's ACK body when the offer came in our 2xx (late offer). */
  sendAck(body?: { body: Buffer; contentType?: string }): void {
    if (!this.dialog || this.ack) return;
    const withBody = body && body.body.length > 0 ? { body: body.body, contentType: body.contentType ?? 'application/sdp' } : {};
    this.ack = buildAck(this.dialog, this.dialog.inviteSeq, withBody);
    sendAck(this.deps, this.ack, this.target);
  }

  get contentType(): string | undefined {
    return this.answer ? getHeader(this.answer, 'Content-Type') : this.provisional ? getHeader(this.provisional, 'Content-Type') : undefined;
  }
}
