import { createRequest, formatNameAddr, getHeader, isParseError, parseUri, toTag as toTagOf, type HeaderField, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import {
  acceptReliableProvisional,
  buildAck,
  buildPrack,
  dialogFromUacResponse,
  isDialogError,
  isReliableProvisional,
  processInDialogResponse,
  sessionTimerRequestHeaders,
  type Dialog,
} from '../../sip/dialog/index.js';
import type { ClientTransaction } from '../../sip/transaction/index.js';
import type { SendTarget } from '../../sip/transport/types.js';
import { sendAck } from './ack-sender.js';
import type { CallSignallingDeps, CallPlan, ForkTarget } from './types.js';

/** Methods we accept inside a call, advertised in Allow. */
export const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO, MESSAGE, NOTIFY, REFER';

/** Extensions each leg of a call speaks: reliable provisionals (RFC 3262) and session timers (RFC 4028). */
export const SUPPORTED_EXTENSIONS = '100rel, timer';

/** One outbound INVITE of a call to one device of the callee; we are its UAC. */
export class CalleeFork {
  readonly request: SipRequest;
  tx: ClientTransaction | undefined;
  dialog: Dialog | undefined;
  /** The last provisional response with a status above 100 (relayed to the caller). */
  provisional: SipResponse | undefined;
  /** The 2xx that answered this fork, until the leg has read it (see settle). */
  answer: SipResponse | undefined;
  private answered = false;
  /** The last session description the callee sent before answering (early media, or the answer in a reliable 1xx). */
  earlyBody: { body: Buffer; contentType?: string } | undefined;
  /** The ACK we sent for the 2xx, kept to answer its retransmissions. */
  private ack: SipRequest | undefined;

  constructor(
    readonly id: string,
    readonly target: SendTarget,
    private readonly deps: CallSignallingDeps,
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
      { name: 'Contact', value: `<${deps.localContact(target.protocol, target.address)}>` },
      { name: 'Allow', value: ALLOWED_METHODS },
      // We PRACK reliable provisionals and keep a session timer of our own on this leg.
      ...sessionTimerRequestHeaders(deps.sessionTimer).filter((h) => h.name !== 'Supported'),
      { name: 'Supported', value: SUPPORTED_EXTENSIONS },
    );
    if (deps.userAgent) headers.push({ name: 'User-Agent', value: deps.userAgent });
    if (offer.body.length > 0) headers.push({ name: 'Content-Type', value: offer.contentType ?? 'application/sdp' });
    this.request = createRequest({ method: 'INVITE', uri: dest.requestUri, headers, body: offer.body });
  }

  /**
   * Records a provisional response and the early dialog it creates (when it has a To tag);
   * a reliable one is PRACKed (RFC 3262 4). Returns false for a retransmitted or out-of-order
   * reliable provisional, which must not be processed again.
   */
  takeProvisional(res: SipResponse): boolean {
    if (res.status <= 100) return true;
    if (this.dialog === undefined) {
      const d = dialogFromUacResponse(this.request, res);
      if (!isDialogError(d)) this.dialog = d;
    }
    if (isReliableProvisional(res)) {
      if (this.dialog === undefined || this.dialog.id.remoteTag !== (toTagOf(res) ?? '')) return false;
      const checked = acceptReliableProvisional(this.dialog, res);
      if (!checked.accept) return false;
      this.dialog = checked.dialog;
      this.sendPrack(res);
    }
    this.provisional = res;
    if (res.body.length > 0) {
      const ct = getHeader(res, 'Content-Type');
      this.earlyBody = { body: res.body, ...(ct !== undefined ? { contentType: ct } : {}) };
    }
    return true;
  }

  private sendPrack(res: SipResponse): void {
    if (this.dialog === undefined) return;
    const built = buildPrack(this.dialog, res);
    if (built === undefined) return;
    this.dialog = built.dialog;
    try {
      this.deps.transactions.sendRequest(built.request, this.target, {
        onFinal: (r) => {
          if (this.dialog !== undefined && r.status >= 200 && r.status < 300) this.dialog = processInDialogResponse(this.dialog, r).dialog;
        },
      });
    } catch (err) {
      this.deps.logger.warn({ err }, 'PRACK could not be sent');
    }
  }

  /** Records a 2xx; returns false when it is a retransmission we already ACKed (the ACK is resent). */
  takeAnswer(res: SipResponse): boolean {
    if (this.ack) {
      sendAck(this.deps, this.ack, this.target);
      return false;
    }
    if (this.answered) return false;
    this.answered = true;
    this.answer = res;
    // The answer supersedes it (contentType reads the answer first); the call may last hours.
    this.provisional = undefined;
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

  /**
   * The leg has taken what it needs from the 2xx and the early body (session description,
   * session timer): the call may last hours, and the parsed messages need not.
   */
  settle(): void {
    this.answer = undefined;
    this.earlyBody = undefined;
  }
}
