import {
  buildAck,
  negotiateSessionTimerAsUac,
  nextInDialogRequest,
  processInDialogResponse,
  SessionTimer,
  sessionTimerRequestHeaders,
} from '../../sip/dialog/index.js';
import { cseq, getHeaderValues, type SipMessage } from '../../sip/message/index.js';
import { sendAck } from './ack-sender.js';
import type { CallSignallingDeps, DialogSide } from './types.js';

export interface LegSessionTimerOptions {
  /** The dialog and target of this leg (read at refresh time: the dialog moves on). */
  side: DialogSide;
  /**
   * The peer's INVITE or 2xx listed UPDATE in Allow: we refresh with UPDATE. Read once, so the
   * leg need not keep that message for the length of the call.
   */
  peerAllowsUpdate: boolean;
  /** The session description to offer again in a re-INVITE refresh, when the peer has no UPDATE. */
  offer: () => { body: Buffer; contentType?: string } | undefined;
  /** The session expired, or a refresh found the dialog gone (408/481): end the call. */
  onExpired: () => void;
}

/** The message lists UPDATE in its Allow header (RFC 3311 refreshes need it). */
export function allowsUpdate(message: SipMessage): boolean {
  return getHeaderValues(message, 'Allow').some((m) => m.toUpperCase() === 'UPDATE');
}

/**
 * The session timer of one leg of a B2BUA call (RFC 4028). Each leg negotiates its own: a
 * phone that refreshes talks to us, and we refresh the other leg ourselves when we are its
 * refresher, with UPDATE when the peer allows it (no media renegotiation) or else a re-INVITE
 * repeating the current session description.
 */
export class LegSessionTimer {
  private readonly timer: SessionTimer;
  private intervalS = 0;
  private closed = false;

  constructor(
    private readonly deps: CallSignallingDeps,
    private readonly opts: LegSessionTimerOptions,
  ) {
    this.timer = new SessionTimer({ clock: deps.clock, onRefresh: () => this.refresh(), onExpired: () => opts.onExpired() });
  }

  /** Starts or restarts the timer after a successful (re)negotiation. */
  arm(intervalS: number, weRefresh: boolean): void {
    if (this.closed) return;
    this.intervalS = intervalS;
    this.timer.start(intervalS, weRefresh);
  }

  close(): void {
    this.closed = true;
    this.timer.close();
  }

  private refresh(): void {
    const { side } = this.opts;
    const dialog = side.dialog;
    if (this.closed || dialog === undefined || dialog.state !== 'confirmed') return;
    const allowsUpdate = this.opts.peerAllowsUpdate;
    const offer = allowsUpdate ? undefined : this.opts.offer();
    const method = allowsUpdate || offer === undefined ? 'UPDATE' : 'INVITE';
    const headers = sessionTimerRequestHeaders(this.deps.sessionTimer, { sessionExpiresS: this.intervalS, refresher: 'uac' });
    const { dialog: next, request } = nextInDialogRequest(dialog, method, {
      headers,
      ...(offer !== undefined && method === 'INVITE' ? { body: offer.body, contentType: offer.contentType ?? 'application/sdp' } : {}),
    });
    side.dialog = next;
    try {
      this.deps.transactions.sendRequest(request, side.target, {
        onFinal: (res) => {
          if (this.closed) return;
          if (side.dialog !== undefined) side.dialog = processInDialogResponse(side.dialog, res).dialog;
          if (res.status >= 200 && res.status < 300) {
            if (method === 'INVITE' && side.dialog !== undefined) sendAck(this.deps, buildAck(side.dialog, cseq(request)?.seq ?? 0), side.target);
            const agreed = negotiateSessionTimerAsUac(res);
            // A 2xx without Session-Expires turns the timer off for this leg (RFC 4028 7.2).
            if (agreed.type === 'accept') this.arm(agreed.intervalS, agreed.weRefresh);
            else this.timer.close();
            return;
          }
          // RFC 4028 10: a refresh answered 408 or 481 means the session is gone.
          if (res.status === 408 || res.status === 481) this.opts.onExpired();
        },
      });
    } catch (err) {
      this.deps.logger.warn({ err }, 'session refresh could not be sent');
    }
  }
}
