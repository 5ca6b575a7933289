import { createResponse, cseq, defaultReason, getHeaderValues, type HeaderField, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import {
  dialogFromUasResponse,
  isDialogError,
  processInDialogRequest,
  processOutgoingResponse,
  ReliableProvisionalSender,
  supportsExtension,
  type Dialog,
} from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { SendTarget } from '../../sip/transport/types.js';
import { ALLOWED_METHODS, SUPPORTED_EXTENSIONS } from './callee-fork.js';
import type { CallSignallingDeps } from './types.js';

export interface ResponseBody {
  body: Buffer;
  contentType?: string;
}

/**
 * The caller's side of a B2BUA call: we are the UAS of its INVITE. Provisional responses go
 * reliably (RFC 3262) when the caller requires 100rel, or supports it and the response carries
 * a session description; a 2xx waits until such a provisional has been PRACKed (RFC 3262 3).
 */
export class CallerLeg {
  readonly toTag: string;
  /** Where requests to the caller go: the flow its INVITE came on (symmetric signalling for NAT). */
  readonly target: SendTarget;
  dialog: Dialog | undefined;
  private readonly supports100rel: boolean;
  private readonly requires100rel: boolean;
  private reliable: ReliableProvisionalSender | undefined;
  /** A reliable 1xx with a body is unacknowledged: the 2xx must wait (RFC 3262 3). */
  private unackedEarlyBody = false;
  private deferredFinal: (() => void) | undefined;
  /** A session description reached the caller in a reliable 1xx: the 2xx need not repeat it. */
  reliableBodySent = false;

  constructor(
    readonly tx: ServerTransaction,
    private readonly deps: CallSignallingDeps,
    private readonly onPrackTimeout: () => void,
  ) {
    this.toTag = deps.random.token(8);
    const src = tx.inbound.source;
    this.target = { protocol: src.protocol, address: src.address, port: src.port };
    if (tx.inbound.connectionId !== undefined) this.target.connectionId = tx.inbound.connectionId;
    this.requires100rel = getHeaderValues(tx.request, 'Require').some((t) => t.toLowerCase() === '100rel');
    this.supports100rel = this.requires100rel || supportsExtension(tx.request, '100rel');
  }

  get request(): SipRequest {
    return this.tx.request;
  }

  /**
   * Answers the INVITE. 18x and 2xx carry our tag, Contact and the request's Record-Route
   * (RFC 3261 12.1.1) and create or update the caller's dialog. A 2xx is held back while a
   * reliable provisional with a body waits for its PRACK, and sent when it arrives.
   */
  respond(status: number, reason?: string, body?: ResponseBody, extraHeaders: HeaderField[] = [], sent?: (res: SipResponse) => void): void {
    if (status >= 200 && this.unackedEarlyBody && status < 300) {
      this.deferredFinal = () => this.respond(status, reason, body, extraHeaders, sent);
      return;
    }
    const res = this.build(status, reason, body, extraHeaders);
    if (status > 100 && status < 200 && this.supports100rel && (this.requires100rel || res.body.length > 0)) {
      this.sendReliably(res);
      return;
    }
    if (status >= 200) this.reliable?.close();
    this.tx.respond(res);
    sent?.(res);
  }

  /** A PRACK from the caller: matched against our reliable 1xx and answered (200 or 481). */
  onPrack(req: SipRequest, tx: ServerTransaction): void {
    const checked = this.dialog ? processInDialogRequest(this.dialog, req, { random: this.deps.random }) : undefined;
    if (!checked || !checked.accept) {
      tx.respond(createResponse(req, checked?.status ?? 481, checked?.reason ?? 'Call/Transaction Does Not Exist'));
      return;
    }
    this.dialog = checked.dialog;
    const status = this.reliable?.prack(req) ?? 481;
    tx.respond(createResponse(req, status, defaultReason(status)));
    // The 2xx held back for this PRACK goes after the PRACK's own 200 (the order phones expect).
    if (!this.unackedEarlyBody) this.releaseDeferredFinal();
  }

  private releaseDeferredFinal(): void {
    const final = this.deferredFinal;
    this.deferredFinal = undefined;
    final?.();
  }

  /** Stops reliable retransmissions (the call ended). */
  close(): void {
    this.reliable?.close();
    this.deferredFinal = undefined;
  }

  private sendReliably(res: SipResponse): void {
    if (this.reliable === undefined) {
      this.reliable = new ReliableProvisionalSender({
        clock: this.deps.clock,
        random: this.deps.random,
        inviteSeq: cseq(this.request)?.seq ?? 0,
        ...(this.deps.timers ? { t1Ms: this.deps.timers.t1 } : {}),
        transmit: (r) => {
          if (r.body.length > 0) {
            this.unackedEarlyBody = true;
            this.reliableBodySent = true;
          }
          this.tx.respond(r);
        },
        onTimeout: () => {
          this.unackedEarlyBody = false;
          this.deferredFinal = undefined;
          this.onPrackTimeout();
        },
        onAcknowledged: () => {
          // The held-back 2xx is released by onPrack, once the PRACK itself is answered.
          if (this.reliable?.phase !== 'awaiting-prack') this.unackedEarlyBody = false;
        },
      });
    }
    this.reliable.send(res);
  }

  private build(status: number, reason: string | undefined, body: ResponseBody | undefined, extraHeaders: HeaderField[]): SipResponse {
    const headers: HeaderField[] = [];
    const dialogForming = status > 100 && status < 300;
    if (dialogForming) {
      for (const rr of getHeaderValues(this.request, 'Record-Route')) headers.push({ name: 'Record-Route', value: rr });
      headers.push({ name: 'Contact', value: `<${this.deps.localContact(this.target.protocol, this.target.address)}>` });
    }
    if (status >= 200 && status < 300) {
      headers.push({ name: 'Allow', value: ALLOWED_METHODS }, { name: 'Supported', value: SUPPORTED_EXTENSIONS });
    }
    headers.push(...extraHeaders);
    if (body && body.body.length > 0) headers.push({ name: 'Content-Type', value: body.contentType ?? 'application/sdp' });
    const res = createResponse(this.request, status, reason ?? defaultReason(status), {
      ...(status > 100 ? { toTag: this.toTag } : {}),
      headers,
      ...(body && body.body.length > 0 ? { body: body.body } : {}),
    });
    if (dialogForming) {
      if (this.dialog === undefined) {
        const d = dialogFromUasResponse(this.request, res);
        if (!isDialogError(d)) this.dialog = d;
      } else {
        this.dialog = processOutgoingResponse(this.dialog, res).dialog;
      }
    }
    return res;
  }
}
