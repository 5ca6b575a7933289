/**
 * The REFER recipient of a leg (RFC 3515 2.4): takes a REFER from the far end inside an
 * answered dialog, lets the application decide (Leg.onRefer), answers 202 Accepted and
 * reports the outcome in NOTIFYs (`Event: refer`, message/sipfrag bodies) until a final
 * status ends the implicit subscription. `Refer-Sub: false` (RFC 4488) gets no NOTIFYs.
 * A Replaces in Refer-To (attended transfer, RFC 3891) reaches only handlers that said they
 * handle it; otherwise it is answered 501.
 */
import { createResponse, cseq, defaultReason, getHeader, isParseError, type HeaderField, type SipRequest } from '../../sip/message/index.js';
import { nextInDialogRequest } from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { CallSignallingDeps, DialogSide } from '../signalling/types.js';
import { parseReplaces, referTargetOf, SIPFRAG_CONTENT_TYPE, sipfragBody, wantsReferSubscription } from './refer-headers.js';
import type { IncomingRefer, ReferHandler } from './leg-types.js';

/** How long our implicit subscription says it lasts (a transfer target rings at most this long). */
const SUBSCRIPTION_EXPIRES_S = 300;

export interface ReferRecipientOptions {
  deps: CallSignallingDeps;
  /** The leg's dialog side (it moves on with each NOTIFY we send). */
  side: () => DialogSide | undefined;
  /** REFERs are taken only on an answered (or held) leg. */
  answered: () => boolean;
  legId: string;
}

export class ReferRecipient {
  private handler: ReferHandler | undefined;
  private attended = false;
  /** Subscriptions this dialog has had: the second and later carry `id` in Event (RFC 3515 2.4.6). */
  private subscriptions = 0;
  private closed = false;
  /** NOTIFYs go one at a time, each after the previous was answered, so they arrive in order. */
  private notifyChain: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ReferRecipientOptions) {}

  /** Sets the application's handler (replacing any); the returned function removes it. */
  setHandler(handler: ReferHandler, attended = false): () => void {
    this.handler = handler;
    this.attended = attended;
    return () => {
      if (this.handler !== handler) return;
      this.handler = undefined;
      this.attended = false;
    };
  }

  /** A REFER inside the leg's dialog (already checked against the dialog). */
  receive(req: SipRequest, tx: ServerTransaction): void {
    const refuse = (status: number, reason?: string, headers: HeaderField[] = []): void => {
      tx.respond(createResponse(req, status, reason ?? defaultReason(status), { headers }));
    };
    if (this.closed || !this.opts.answered()) {
      refuse(403, 'Forbidden', [warning('REFER needs an answered call')]);
      return;
    }
    const parsed = referTargetOf(req);
    if (isParseError(parsed)) {
      refuse(400, 'Bad Request', [warning(parsed.reason)]);
      return;
    }
    const replaces = parsed.replaces !== undefined ? parseReplaces(parsed.replaces) : undefined;
    if (replaces !== undefined && (!this.attended || this.handler === undefined)) {
      refuse(501, 'Not Implemented', [warning('attended transfer (Replaces) is not supported here')]);
      return;
    }
    if (replaces !== undefined && isParseError(replaces)) {
      refuse(400, 'Bad Request', [warning(replaces.reason)]);
      return;
    }
    if (parsed.method !== 'INVITE') {
      refuse(501, 'Not Implemented', [warning(`REFER for ${parsed.method}`)]);
      return;
    }
    const handler = this.handler;
    if (handler === undefined) {
      refuse(603, 'Decline');
      return;
    }
    const subscription = wantsReferSubscription(req);
    const eventId = subscription && this.subscriptions++ > 0 ? String(cseq(req)?.seq ?? '') : undefined;
    let decided = false;
    let accepted = false;
    let terminated = false;
    const uri = parsed.uri;
    const refer: IncomingRefer = {
      target: parsed.target,
      targetUser: 'host' in uri ? uri.user : undefined,
      targetHost: 'host' in uri ? uri.host : undefined,
      referredBy: getHeader(req, 'Referred-By'),
      replaces: replaces === undefined ? undefined : { callId: replaces.callId, toTag: replaces.toTag, fromTag: replaces.fromTag },
      subscription,
      accept: () => {
        if (decided) return;
        decided = true;
        accepted = true;
        const headers: HeaderField[] = [];
        const side = this.opts.side();
        if (side !== undefined) headers.push({ name: 'Contact', value: `<${this.opts.deps.localContact(side.target.protocol, side.target.address)}>` });
        if (!subscription) headers.push({ name: 'Refer-Sub', value: 'false' });
        tx.respond(createResponse(req, 202, 'Accepted', { headers }));
        if (subscription) void this.notify(eventId, 100, 'Trying');
      },
      reject: (status, reason) => {
        if (decided) return;
        decided = true;
        const final = status >= 300 && status <= 699 ? status : 603;
        refuse(final, reason ?? defaultReason(final));
      },
      report: (status, reason) => {
        if (!accepted || terminated || !subscription) return Promise.resolve();
        if (status >= 200) terminated = true;
        return this.notify(eventId, status, reason ?? defaultReason(status));
      },
    };
    void (async () => {
      try {
        await handler(refer);
      } catch (err) {
        this.opts.deps.logger.warn({ err, leg: this.opts.legId }, 'REFER handler failed');
      }
      if (!decided) refer.reject(603, 'Decline');
    })();
  }

  /** The leg ended: nothing more is sent. Safe to call twice. */
  close(): void {
    this.closed = true;
  }

  private notify(eventId: string | undefined, status: number, reason: string): Promise<void> {
    const final = status >= 200;
    const sent = this.notifyChain.then(() => this.sendNotify(eventId, status, reason, final));
    this.notifyChain = sent;
    return sent;
  }

  private sendNotify(eventId: string | undefined, status: number, reason: string, final: boolean): Promise<void> {
    const side = this.opts.side();
    const dialog = side?.dialog;
    if (this.closed || side === undefined || dialog === undefined || dialog.state === 'terminated') return Promise.resolve();
    const { dialog: next, request } = nextInDialogRequest(dialog, 'NOTIFY', {
      headers: [
        { name: 'Event', value: eventId === undefined ? 'refer' : `refer;id=${eventId}` },
        { name: 'Subscription-State', value: final ? 'terminated;reason=noresource' : `active;expires=${SUBSCRIPTION_EXPIRES_S}` },
      ],
      body: sipfragBody(status, reason),
      contentType: SIPFRAG_CONTENT_TYPE,
    });
    side.dialog = next;
    return new Promise<void>((resolve) => {
      const done = (): void => resolve();
      try {
        this.opts.deps.transactions.sendRequest(request, side.target, { onFinal: done, onTimeout: done, onTransportError: done });
      } catch (err) {
        this.opts.deps.logger.warn({ err, leg: this.opts.legId }, 'NOTIFY could not be sent');
        resolve();
      }
    });
  }
}

function warning(text: string): HeaderField {
  return { name: 'Warning', value: `399 atende "${text.replace(/["\\]/g, '')}"` };
}
