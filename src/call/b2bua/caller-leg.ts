import { createResponse, defaultReason, getHeaderValues, type HeaderField, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import { dialogFromUasResponse, isDialogError, processOutgoingResponse, type Dialog } from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { SendTarget } from '../../sip/transport/types.js';
import { ALLOWED_METHODS } from './callee-fork.js';
import type { B2buaDeps } from './types.js';

export interface ResponseBody {
  body: Buffer;
  contentType?: string;
}

/** The caller's side of a B2BUA call: we are the UAS of its INVITE. */
export class CallerLeg {
  readonly toTag: string;
  /** Where requests to the caller go: the flow its INVITE came on (symmetric signalling for NAT). */
  readonly target: SendTarget;
  dialog: Dialog | undefined;

  constructor(
    readonly tx: ServerTransaction,
    private readonly deps: B2buaDeps,
  ) {
    this.toTag = deps.random.token(8);
    const src = tx.inbound.source;
    this.target = { protocol: src.protocol, address: src.address, port: src.port };
    if (tx.inbound.connectionId !== undefined) this.target.connectionId = tx.inbound.connectionId;
  }

  get request(): SipRequest {
    return this.tx.request;
  }

  /**
   * Answers the INVITE. 18x and 2xx carry our tag, Contact and the request's Record-Route
   * (RFC 3261 12.1.1) and create or update the caller's dialog.
   */
  respond(status: number, reason?: string, body?: ResponseBody): SipResponse {
    const headers: HeaderField[] = [];
    const dialogForming = status > 100 && status < 300;
    if (dialogForming) {
      for (const rr of getHeaderValues(this.request, 'Record-Route')) headers.push({ name: 'Record-Route', value: rr });
      headers.push({ name: 'Contact', value: `<${this.deps.localContact(this.target.protocol)}>` });
    }
    if (status >= 200 && status < 300) headers.push({ name: 'Allow', value: ALLOWED_METHODS });
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
    this.tx.respond(res);
    return res;
  }
}
