/**
 * A leg for an INVITE we received: we are its UAS (RFC 3261 13.3). Applications ring, answer,
 * play, collect digits and hang up; the far end may hold (re-INVITE/UPDATE), send digits
 * (RFC 4733 in the media, or SIP INFO), refresh the session (RFC 4028), cancel or hang up.
 */
import { createResponse, cseq, getHeader, ownedBody, type HeaderField, type SipRequest } from '../../sip/message/index.js';
import { negotiateSessionTimerAsUas, processInDialogRequest, type SessionTimerDecision } from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import { AnswerRetransmitter } from '../signalling/answer-retransmitter.js';
import { CallerLeg } from '../signalling/caller-leg.js';
import { allowsUpdate, LegSessionTimer } from '../signalling/leg-session-timer.js';
import { endpointKindForOffer, LegMedia } from '../media/leg-media.js';
import type { AudioCodecName } from '../../sdp/index.js';
import { inboundMediaFamily } from '../media/media-family.js';
import { AnchoredLeg } from './anchored-leg.js';
import { sendBye } from './leg-bye.js';
import { answerSessionModification, dispatchInDialogRequest, holdTransition } from './in-dialog-requests.js';
import { HangupError, statusForCause } from './hangup-error.js';
import { partyOf } from './party.js';
import type { HangupCause, Leg, Party } from './leg-types.js';
import { LocalHold } from './local-hold.js';
import type { LegDeps } from './leg-deps.js';
import type { MediaConnector } from './bridge.js';
import { ReferIssuer } from './refer-issuer.js';
import { ReferRecipient } from './refer-recipient.js';


export class InboundLeg extends AnchoredLeg implements Leg {
  readonly direction = 'inbound' as const;
  readonly from: Party;
  readonly to: Party;
  private readonly uas: CallerLeg;
  private readonly timerDecision: SessionTimerDecision;
  private media: LegMedia | undefined;
  private mediaOpening: Promise<LegMedia> | undefined;
  private offeredInInvite: boolean;
  private answerWait: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private retransmitter: AnswerRetransmitter | undefined;
  private sessionTimer: LegSessionTimer | undefined;
  private readonly ended: Promise<HangupCause>;
  private resolveEnded!: (cause: HangupCause) => void;
  private unsubscribeMedia: (() => void) | undefined;
  private byeAnswered: Promise<void> = Promise.resolve();
  private mediaClosed: Promise<void> = Promise.resolve();
  protected readonly localHold: LocalHold;
  protected readonly referRecipient: ReferRecipient;
  protected readonly referIssuer: ReferIssuer;

  constructor(
    deps: LegDeps,
    readonly tx: ServerTransaction,
  ) {
    super(deps);
    this.uas = new CallerLeg(tx, deps, () => void this.hangup('failed'));
    this.from = partyOf(getHeader(tx.request, 'From'));
    this.to = partyOf(getHeader(tx.request, 'To'));
    this.offeredInInvite = tx.request.body.length > 0;
    this.timerDecision = negotiateSessionTimerAsUas(tx.request, deps.sessionTimer);
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.localHold = new LocalHold({
      deps,
      media: () => this.media,
      side: () => this.uas,
      // The caller made the Call-ID: our glare wait is the shorter one.
      ownsCallId: false,
      signal: this.ctl,
      onDialogGone: () => void this.hangup('failed'),
      legId: this.id,
    });
    this.referRecipient = new ReferRecipient({ deps, side: () => this.uas, answered: () => this.answeredNow, legId: this.id });
    this.referIssuer = new ReferIssuer({ deps, side: () => this.uas, legId: this.id });
    // No 100 Trying of our own: the INVITE server transaction sends one after 200 ms without a
    // response (RFC 3261 17.2.1), well before the caller's first retransmission (500 ms). Most
    // calls ring within that time, and their 180 says more: one message less per call.
  }

  get endpointId(): string | undefined {
    return this.media?.endpointId;
  }

  /** The media workers holding this leg's endpoint (for bridge). */
  get mediaConnector(): MediaConnector {
    return this.deps.media.pool;
  }

  /**
   * Opens the leg's media endpoint now (it opens by itself on ring/answer/play) and returns its
   * id: an outgoing leg to bridge with this one is opened near it, in the same worker. `worker`
   * (from the pool's pickWorker) places it where an outgoing leg is being opened at the same time.
   */
  async ensureMedia(worker?: number): Promise<string> {
    return (await this.liveMedia(worker)).endpointId;
  }

  /** The SIP dialog of this leg once it has one (for the registry). */
  get dialog() {
    return this.uas.dialog;
  }

  /** Resolves once our BYE (if we sent one) has been answered and the media endpoint is released. */
  async settled(): Promise<void> {
    await Promise.all([this.byeAnswered, this.mediaClosed]);
  }

  /** Resolves with the cause when the leg has ended. */
  whenEnded(): Promise<HangupCause> {
    return this.ended;
  }

  /** Refuses the INVITE at once when its session interval is too small (RFC 4028 9). Returns true when it did. */
  refuseIfUnacceptable(): boolean {
    if (this.timerDecision.type !== 'reject') return false;
    this.uas.respond(422, 'Session Interval Too Small', undefined, this.timerDecision.headers);
    this.finish('rejected');
    return true;
  }

  /**
   * Rings the caller: 180, or with `earlyMedia` a 183 with our answer (so the caller hears the
   * callee's early media). `preferCodec`: see answer.
   */
  async ring(opts: { earlyMedia?: boolean; preferCodec?: AudioCodecName | undefined } = {}): Promise<void> {
    this.ops.assertLive();
    if (this.legState !== 'offered' && this.legState !== 'early') return;
    if (opts.earlyMedia === true && this.offeredInInvite) {
      const sdp = await this.negotiate(undefined, opts.preferCodec);
      this.ops.assertLive();
      this.uas.respond(183, 'Session Progress', { body: ownedBody(sdp) });
    } else {
      this.uas.respond(180);
    }
    this.legState = 'early';
    this.deps.registry.track(this);
  }

  /**
   * Answers the call. `passthrough`: sections of the caller's offer answered with the given text
   * instead of port 0 (video relayed untouched from the other leg of a call between phones).
   * `preferCodec`: the codec chosen when the caller offered it, whatever our order (the other
   * leg's, so the bridge needs no transcoding).
   */
  async answer(opts: { passthrough?: readonly { index: number; text: string }[]; preferCodec?: AudioCodecName | undefined } = {}): Promise<void> {
    this.ops.assertLive();
    if (this.legState === 'answered' || this.legState === 'held') return;
    let sdp: string;
    if (this.offeredInInvite) sdp = await this.negotiate(opts.passthrough, opts.preferCodec);
    else {
      // Late offer (RFC 3261 13.2.1): we offer in the 2xx, the answer comes in the ACK.
      const media = await this.openMedia();
      sdp = media.offer();
    }
    this.ops.assertLive();
    const headers: HeaderField[] = this.timerDecision.type === 'accept' ? this.timerDecision.responseHeaders : [];
    const acked = new Promise<void>((resolve, reject) => {
      this.answerWait = { resolve, reject };
    });
    this.uas.respond(200, 'OK', { body: ownedBody(sdp) }, headers, (res) => {
      this.deps.registry.track(this);
      const reliable = this.deps.sender.isReliable(this.uas.target.protocol);
      this.retransmitter = new AnswerRetransmitter(this.deps, this.tx, res, reliable, () => void this.hangup('ack-timeout'));
      this.startSessionTimer();
    });
    await acked;
    this.legState = 'answered';
    // The worker's answer to our setRemote, not waited for before the 200 (LegMedia.setRemote):
    // a refusal ends the call.
    this.media?.remoteSettled().catch((err: unknown) => {
      this.deps.logger.warn({ err, leg: this.id }, 'media endpoint refused the negotiated session');
      void this.hangup('failed');
    });
  }

  async hangup(cause: HangupCause = 'normal'): Promise<void> {
    if (this.endCause !== undefined) return;
    if (this.legState === 'offered' || this.legState === 'early') {
      this.uas.respond(statusForCause(cause));
    } else {
      this.sendBye(cause);
    }
    this.finish(cause);
  }

  get dialogId(): { callId: string; localTag: string; remoteTag: string } | undefined {
    return this.dialog?.id;
  }

  // ---- SIP from the registry ----

  /** A request inside this leg's dialog. */
  onRequest(req: SipRequest, tx: ServerTransaction): void {
    if (req.method === 'PRACK') {
      this.uas.onPrack(req, tx);
      return;
    }
    const dialog = this.uas.dialog;
    const checked = dialog ? processInDialogRequest(dialog, req, { random: this.deps.random }) : undefined;
    if (!checked || !checked.accept) {
      tx.respond(createResponse(req, checked?.status ?? 481, checked?.reason ?? 'Call/Transaction Does Not Exist', { headers: checked?.headers ?? [] }));
      return;
    }
    this.uas.dialog = checked.dialog;
    dispatchInDialogRequest(req, tx, {
      bye: () => this.finish('normal'),
      modify: (r, t) => void answerSessionModification(r, t, {
        deps: this.deps, protocol: this.uas.target.protocol, toward: this.uas.target.address, media: this.media, sessionTimer: this.sessionTimer,
        onHold: (held) => this.noteHold(held),
      }),
      digit: (d) => this.deliverDigit(d, 'info'),
      refer: (r, t) => this.referRecipient.receive(r, t),
      notify: (r, t) => this.referIssuer.onNotify(r, t),
    });
  }

  /** An ACK for our 2xx (or for a re-INVITE's 2xx). */
  onAck(ack: SipRequest): void {
    if (cseq(ack)?.seq !== cseq(this.tx.request)?.seq) return;
    this.retransmitter?.stop();
    // It holds our 2xx; the call may last hours.
    this.retransmitter = undefined;
    const wait = this.answerWait;
    this.answerWait = undefined;
    if (wait === undefined) return;
    if (!this.offeredInInvite) {
      const media = this.media;
      if (ack.body.length === 0 || media === undefined) {
        wait.reject(new HangupError('failed'));
        void this.hangup('failed');
        return;
      }
      void media.answered(ack.body.toString('utf8')).then((r) => {
        if (r.ok) wait.resolve();
        else {
          wait.reject(new HangupError('failed'));
          void this.hangup('failed');
        }
      });
      return;
    }
    wait.resolve();
  }

  /** The caller cancelled before we answered (RFC 3261 9.2). */
  onCancel(cancel: SipRequest, cancelTx: ServerTransaction): void {
    cancelTx.respond(createResponse(cancel, 200, 'OK'));
    if (this.legState !== 'offered' && this.legState !== 'early') return;
    this.uas.respond(487, 'Request Terminated');
    this.finish('cancelled');
  }

  // ---- internals ----

  private noteHold(held: boolean): void {
    const next = holdTransition(this.legState, held);
    if (next === undefined) return;
    this.legState = next.state;
    this.emit({ type: next.event });
  }

  private startSessionTimer(): void {
    const d = this.timerDecision;
    if (d.type !== 'accept') return;
    this.sessionTimer = new LegSessionTimer(this.deps, {
      side: this.uas,
      peerAllowsUpdate: allowsUpdate(this.tx.request),
      offer: () => (this.media?.localSdp !== undefined ? { body: ownedBody(this.media.localSdp) } : undefined),
      onExpired: () => void this.hangup('session-expired'),
    });
    this.sessionTimer.arm(d.intervalS, d.weRefresh);
  }

  private async negotiate(passthrough: readonly { index: number; text: string }[] = [], preferCodec?: AudioCodecName): Promise<string> {
    const media = await this.openMedia();
    if (media.localSdp !== undefined && media.stream !== undefined) return media.localSdp;
    const outcome = await media.answer(this.tx.request.body.toString('utf8'), passthrough, preferCodec);
    if (!outcome.ok) {
      this.deps.logger.info({ leg: this.id, reason: outcome.reason }, 'offer not acceptable');
      if (this.endCause === undefined) {
        this.uas.respond(488, 'Not Acceptable Here');
        this.finish('failed');
      }
      throw new HangupError('failed');
    }
    return outcome.sdp;
  }

  private openMedia(worker?: number): Promise<LegMedia> {
    if (this.mediaOpening !== undefined) return this.mediaOpening;
    // The offer in the INVITE decides plain RTP, SDES-SRTP or WebRTC (a late offer gets plain RTP),
    // and the address family of our endpoint (its c=; a late offer: where the INVITE came from).
    const offer = this.offeredInInvite ? this.tx.request.body.toString('utf8') : undefined;
    const kind = offer !== undefined ? endpointKindForOffer(offer) : 'rtp';
    const family = inboundMediaFamily(this.deps.media.addresses, offer, this.uas.target.address);
    if (this.deps.media.addresses[family] === undefined) {
      this.deps.logger.info({ leg: this.id, family }, 'no media address of the offer\'s family');
      if (this.endCause === undefined) {
        this.uas.respond(488, 'Not Acceptable Here');
        this.finish('failed');
      }
      return Promise.reject(new HangupError('failed'));
    }
    this.mediaOpening = LegMedia.open(this.deps.media, worker !== undefined ? { worker } : undefined, kind, family).then((media) => {
      this.media = media;
      this.unsubscribeMedia = media.onEvent((ev) => {
        if (ev.type === 'dtmf') this.deliverDigit(ev.digit, ev.source);
        else if (ev.type === 'timeout') void this.hangup('media-timeout');
        else if (ev.type === 'error') void this.hangup('failed');
      });
      if (this.endCause !== undefined) this.mediaClosed = media.close();
      return media;
    });
    return this.mediaOpening;
  }

  protected currentMedia(): LegMedia | undefined {
    return this.media;
  }

  protected mediaForOperation(): Promise<LegMedia> {
    return this.liveMedia();
  }

  /** The endpoint, opened (in `worker` if given) when it is not yet; HangupError once ended. */
  private async liveMedia(worker?: number): Promise<LegMedia> {
    this.ops.assertLive();
    const media = this.media ?? (await this.openMedia(worker));
    this.ops.assertLive();
    return media;
  }

  private sendBye(cause: HangupCause): void {
    this.byeAnswered = sendBye(this.deps, this.uas, cause, this.id);
  }


  private finish(cause: HangupCause): void {
    if (this.endCause !== undefined) return;
    this.endCause = cause;
    this.legState = 'ended';
    this.retransmitter?.stop();
    this.sessionTimer?.close();
    this.uas.close();
    this.tx.release();
    this.unsubscribeMedia?.();
    if (this.media !== undefined) this.mediaClosed = this.media.close();
    this.deps.registry.forget(this);
    const err = new HangupError(cause);
    this.referRecipient.close();
    this.referIssuer.close(err);
    this.answerWait?.reject(err);
    this.answerWait = undefined;
    this.ctl.end(err);
    this.ops.wake();
    this.emit({ type: 'ended', cause });
    this.resolveEnded(cause);
  }

}
