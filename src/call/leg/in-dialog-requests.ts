/**
 * What both kinds of leg do with a request inside their confirmed dialog, once the dialog layer
 * accepted it: BYE ends the leg, re-INVITE/UPDATE renegotiate the media (hold, codec change,
 * session refresh), INFO carries a digit, REFER/NOTIFY drive transfers, OPTIONS is answered.
 */
import { negotiateSessionTimerAsUas } from '../../sip/dialog/index.js';
import { createResponse, getHeader, ownedBody, type HeaderField, type SipRequest } from '../../sip/message/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { TransportProtocol } from '../../sip/transport/types.js';
import type { LegMedia } from '../media/leg-media.js';
import { offerAddressFamily } from '../media/media-family.js';
import type { LegSessionTimer } from '../signalling/leg-session-timer.js';
import { parseInfoDigit } from './info-digit.js';
import type { LegDeps } from './leg-deps.js';
import type { LegState } from './leg-types.js';

export interface InDialogHandlers {
  bye(): void;
  modify(req: SipRequest, tx: ServerTransaction): void;
  digit(digit: string): void;
  refer(req: SipRequest, tx: ServerTransaction): void;
  notify(req: SipRequest, tx: ServerTransaction): void;
}

export function dispatchInDialogRequest(req: SipRequest, tx: ServerTransaction, h: InDialogHandlers): void {
  switch (req.method) {
    case 'BYE':
      tx.respond(createResponse(req, 200, 'OK'));
      h.bye();
      return;
    case 'INVITE':
    case 'UPDATE':
      h.modify(req, tx);
      return;
    case 'INFO': {
      const digit = parseInfoDigit(getHeader(req, 'Content-Type'), req.body.toString('utf8'));
      tx.respond(createResponse(req, digit === undefined && req.body.length > 0 ? 415 : 200));
      if (digit !== undefined) h.digit(digit);
      return;
    }
    case 'OPTIONS':
      tx.respond(createResponse(req, 200, 'OK'));
      return;
    case 'REFER':
      h.refer(req, tx);
      return;
    case 'NOTIFY':
      h.notify(req, tx);
      return;
    default:
      tx.respond(createResponse(req, 501, 'Not Implemented'));
  }
}

export interface SessionModificationContext {
  deps: LegDeps;
  /** The transport the leg's far end uses (our Contact for it). */
  protocol: TransportProtocol;
  /** The far end's address (our Contact is of its family). */
  toward: string;
  media: LegMedia | undefined;
  sessionTimer: LegSessionTimer | undefined;
  /** The far end's description says it holds us (true) or not (false). */
  onHold(held: boolean): void;
}

/**
 * Answers a re-INVITE or UPDATE from the far end (RFC 3264 8, RFC 4028 9): 422 when its session
 * interval is too small, 488 when its offer is unusable, else 200 with our answer (or a new
 * offer for an offerless re-INVITE, whose answer in the ACK changes nothing we keep).
 */
export async function answerSessionModification(req: SipRequest, tx: ServerTransaction, ctx: SessionModificationContext): Promise<void> {
  const timer = negotiateSessionTimerAsUas(req, ctx.deps.sessionTimer);
  if (timer.type === 'reject') {
    tx.respond(createResponse(req, 422, 'Session Interval Too Small', { headers: timer.headers }));
    return;
  }
  const headers: HeaderField[] = [{ name: 'Contact', value: `<${ctx.deps.localContact(ctx.protocol, ctx.toward)}>` }];
  if (timer.type === 'accept') headers.push(...timer.responseHeaders);
  let body: Buffer | undefined;
  if (req.body.length > 0 && ctx.media !== undefined) {
    const offer = req.body.toString('utf8');
    // The endpoint and our SDP address are of one family: a far end moving to the other is refused.
    const family = offerAddressFamily(offer);
    if (family !== undefined && family !== ctx.media.family) {
      tx.respond(createResponse(req, 488, 'Not Acceptable Here'));
      return;
    }
    const outcome = await ctx.media.answer(offer);
    if (!outcome.ok) {
      tx.respond(createResponse(req, 488, 'Not Acceptable Here'));
      return;
    }
    body = ownedBody(outcome.sdp);
    ctx.onHold(outcome.stream.remoteHold);
  } else if (req.method === 'INVITE' && ctx.media !== undefined) {
    body = ownedBody(ctx.media.offer());
  }
  if (body !== undefined) headers.push({ name: 'Content-Type', value: 'application/sdp' });
  tx.respond(createResponse(req, 200, 'OK', { headers, ...(body !== undefined ? { body } : {}) }));
  if (timer.type === 'accept') ctx.sessionTimer?.arm(timer.intervalS, timer.weRefresh);
}

/** The leg state after the far end held or resumed, and the event to tell; undefined: no change. */
export function holdTransition(state: LegState, held: boolean): { state: LegState; event: 'held' | 'unheld' } | undefined {
  if (held && state === 'answered') return { state: 'held', event: 'held' };
  if (!held && state === 'held') return { state: 'answered', event: 'unheld' };
  return undefined;
}
