/**
 * A leg for an INVITE we send: we are the UAC of one INVITE per device of the target (forks,
 * each a CalleeFork as in the B2BUA). Our offer comes from the leg's own media endpoint; an
 * 18x with SDP is early media and is applied at once; the first 2xx wins (the other forks are
 * cancelled, a later 2xx is ACKed and ended with BYE). Once answered it behaves as InboundLeg:
 * hold by re-INVITE/UPDATE, digits by RFC 4733 and INFO, session timers, BYE with a Reason.
 */
import { createResponse, ownedBody, type SipRequest } from '../../sip/message/index.js';
import { negotiateSessionTimerAsUac, processInDialogRequest } from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import { CalleeFork } from '../signalling/callee-fork.js';
import { allowsUpdate, LegSessionTimer } from '../signalling/leg-session-timer.js';
import type { EndpointKind } from '../../media/worker/index.js';
import type { ForkTarget } from '../signalling/types.js';
import { LegMedia } from '../media/leg-media.js';
import { forksOfOneFamily, legMediaKind } from './fork-media.js';
import type { MediaBridgeable, MediaConnector } from './bridge.js';
import { HangupError } from './hangup-error.js';
import { AnchoredLeg } from './anchored-leg.js';
import { sendBye } from './leg-bye.js';
import { answerSessionModification, dispatchInDialogRequest, holdTransition } from './in-dialog-requests.js';
import type { LegDeps } from './leg-deps.js';
import type { HangupCause, Leg, Party } from './leg-types.js';
import { LocalHold } from './local-hold.js';
import { ReferIssuer } from './refer-issuer.js';
import { ReferRecipient } from './refer-recipient.js';
import { initialOutbound, OriginateError, transitionOutbound, type OutboundEffect, type OutboundEvent, type OutboundSnapshot } from './outbound-leg-state.js';
import { partyOf } from './party.js';

export interface OutboundLegRequest {
  /** The called address written in To. */
  toUri: string;
  /** Where to send the INVITE: each registered device of the target, or a trunk. */
  forks: readonly ForkTarget[];
  from: Party;
  /** Open our media endpoint in the worker of this endpoint, or in this worker (to bridge the two later). */
  near?: string | { worker: number };
  /** Sections offered verbatim after our audio (the caller's video, relayed untouched). */
  relaySections?: readonly string[];
  /** The endpoint to offer: 'webrtc' for browsers, 'srtp' for SDES (only if every fork is TLS); default 'rtp'. */
  mediaKind?: EndpointKind;
  /** Called once when the first fork rings (its early media, if any, already applied). */
  onEarly?: (leg: OutboundLeg) => void;
}

export class OutboundLeg extends AnchoredLeg implements Leg, MediaBridgeable {
  readonly direction = 'outbound' as const;
  readonly from: Party;
  readonly to: Party;
  private readonly forks = new Map<string, CalleeFork>();
  private snapshot: OutboundSnapshot;
  private sessionTimer: LegSessionTimer | undefined;
  private unsubscribeMedia: (() => void) | undefined;
  /** Session descriptions are applied in arrival order (an early one must not override the answer). */
  private mediaQueue: Promise<void> = Promise.resolve();
  private answerWait: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private readonly answered: Promise<void>;
  private readonly ended: Promise<HangupCause>;
  private resolveEnded!: (cause: HangupCause) => void;
  private readonly byes = new Set<Promise<void>>();
  private onEarly: ((leg: OutboundLeg) => void) | undefined;
  private mediaClosed: Promise<void> = Promise.resolve();
  protected readonly localHold: LocalHold;
  protected readonly referRecipient: ReferRecipient;
  protected readonly referIssuer: ReferIssuer;

  private constructor(
    deps: LegDeps,
    private readonly media: LegMedia,
    request: OutboundLegRequest,
  ) {
    super(deps);
    this.from = request.from;
    this.to = partyOf(`<${request.toUri}>`);
    this.onEarly = request.onEarly;
    this.localHold = new LocalHold({
      deps,
      media: () => this.media,
      side: () => this.winner(),
      ownsCallId: true,
      signal: this.ctl,
      onDialogGone: () => void this.hangup('failed'),
      legId: this.id,
    });
    this.referRecipient = new ReferRecipient({ deps, side: () => this.winner(), answered: () => this.answeredNow, legId: this.id });
    this.referIssuer = new ReferIssuer({ deps, side: () => this.winner(), legId: this.id });
    this.answered = new Promise<void>((resolve, reject) => {
      this.answerWait = { resolve, reject };
    });
    // Nobody may be awaiting (a hangup before originate looked): not an unhandled rejection.
    this.answered.catch(() => undefined);
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    const plan = {
      caller: { uri: request.from.uri, ...(request.from.displayName !== undefined ? { displayName: request.from.displayName } : {}) },
      callee: { uri: request.toUri },
      forks: [...request.forks],
    };
    media.relayedSections = request.relaySections ?? [];
    const offer = { body: ownedBody(media.offer()), contentType: 'application/sdp', maxForwards: 70 };
    request.forks.forEach((dest, i) => {
      const id = `f${i}`;
      this.forks.set(id, new CalleeFork(id, dest.target, deps, plan, dest, offer));
    });
    this.snapshot = initialOutbound([...this.forks.keys()]);
    this.unsubscribeMedia = media.onEvent((ev) => {
      if (ev.type === 'dtmf') this.deliverDigit(ev.digit, ev.source);
      // No RTP while ringing is normal (no early media): only an answered leg times out.
      else if (ev.type === 'timeout' && this.snapshot.phase === 'answered') void this.hangup('media-timeout');
      else if (ev.type === 'error') void this.hangup('failed');
    });
  }

  /**
   * Opens the media endpoint (near `request.near`) and sends the INVITE to every fork.
   * (`override`: a class's static side inherits Function.prototype.call, which this shadows.)
   */
  static override async call(deps: LegDeps, request: OutboundLegRequest): Promise<OutboundLeg> {
    // One endpoint, so one address family: the first device's (originate groups forks by family).
    const { family, forks } = forksOfOneFamily(deps.media.addresses, request.forks);
    if (deps.media.addresses[family] === undefined || forks.length === 0) {
      deps.logger.info({ family }, 'no media address of the callee\'s family');
      throw new OriginateError('failed', 488);
    }
    const media = await LegMedia.open(deps.media, request.near, legMediaKind(forks, request.mediaKind), family);
    let leg: OutboundLeg;
    try {
      leg = new OutboundLeg(deps, media, forks.length === request.forks.length ? request : { ...request, forks });
    } catch (err) {
      // Nothing was sent (e.g. no listener for the target's transport): the endpoint goes too.
      await media.close();
      throw err;
    }
    leg.deps.registry.track(leg);
    for (const fork of leg.forks.values()) leg.sendFork(fork);
    return leg;
  }

  get endpointId(): string | undefined {
    return this.endCause === undefined ? this.media.endpointId : undefined;
  }

  /** The far end's answers to the relayed sections, by their index in our offer. */
  get relayedAnswers(): readonly { index: number; text: string }[] {
    return this.media.relayedAnswers;
  }

  /** The far end sent a session description before answering (early media to relay). */
  get hasEarlyMedia(): boolean {
    return this.media.stream !== undefined;
  }

  get mediaConnector(): MediaConnector {
    return this.deps.media.pool;
  }

  /** The winning fork's dialog once answered (for routing the far end's requests). */
  get dialog() {
    const winner = this.winner();
    return winner?.dialog;
  }

  /** Resolves once answered; rejects with an OriginateError when it never is. */
  whenAnswered(): Promise<void> {
    return this.answered;
  }

  /** Resolves with the cause when the leg has ended. */
  whenEnded(): Promise<HangupCause> {
    return this.ended;
  }

  /** Resolves when the BYEs this leg sent have been answered (or timed out) and its endpoint is gone. */
  async settled(): Promise<void> {
    await Promise.all([...this.byes, this.mediaClosed]);
  }

  /** Nothing to do: the far end rings, not us. */
  async ring(): Promise<void> {}

  /** Nothing to do: the far end answers, not us (await `whenAnswered`). */
  async answer(): Promise<void> {}

  protected async mediaForOperation(): Promise<LegMedia> {
    this.ops.assertLive();
    return this.media;
  }

  protected currentMedia(): LegMedia {
    return this.media;
  }

  /** CANCEL before an answer (every fork), BYE with a Q.850 Reason after. */
  async hangup(cause: HangupCause = 'normal'): Promise<void> {
    if (this.endCause !== undefined) return;
    this.dispatch({ type: 'end', cause });
  }

  get dialogId(): { callId: string; localTag: string; remoteTag: string } | undefined {
    return this.dialog?.id;
  }

  // ---- SIP from the index (requests inside the winning dialog) ----

  onRequest(req: SipRequest, tx: ServerTransaction): void {
    const fork = this.winner();
    const checked = fork?.dialog !== undefined ? processInDialogRequest(fork.dialog, req, { random: this.deps.random }) : undefined;
    if (fork === undefined || !checked || !checked.accept) {
      const refused = checked !== undefined && !checked.accept ? checked : { status: 481, reason: 'Call/Transaction Does Not Exist', headers: [] };
      tx.respond(createResponse(req, refused.status, refused.reason, { headers: refused.headers ?? [] }));
      return;
    }
    fork.dialog = checked.dialog;
    dispatchInDialogRequest(req, tx, {
      bye: () => this.dispatch({ type: 'remote-bye' }),
      modify: (r, t) => {
        answerSessionModification(r, t, {
          deps: this.deps, protocol: fork.target.protocol, toward: fork.target.address, media: this.media, sessionTimer: this.sessionTimer,
          onHold: (held) => this.noteHold(held),
        }).catch((err: unknown) => {
          this.deps.logger.warn({ err, leg: this.id }, 'session modification failed');
          if (!t.responded) t.respond(createResponse(r, 500, 'Server Internal Error'));
        });
      },
      digit: (d) => this.deliverDigit(d, 'info'),
      refer: (r, t) => this.referRecipient.receive(r, t),
      notify: (r, t) => this.referIssuer.onNotify(r, t),
    });
  }

  /** An ACK for our 2xx to the far end's re-INVITE: nothing to do (our offerless re-INVITE answers are not awaited). */
  onAck(_ack: SipRequest): void {}

  // ---- internals ----

  private sendFork(fork: CalleeFork): void {
    try {
      fork.tx = this.deps.transactions.sendRequest(fork.request, fork.target, {
        onProvisional: (res) => {
          if (!fork.takeProvisional(res)) return;
          this.dispatch({ type: 'fork-provisional', fork: fork.id, status: res.status });
        },
        onFinal: (res) => {
          if (res.status >= 200 && res.status < 300) {
            if (fork.takeAnswer(res)) this.dispatch({ type: 'fork-answered', fork: fork.id });
            return;
          }
          fork.dialog = undefined;
          this.dispatch({ type: 'fork-failed', fork: fork.id, status: res.status });
        },
      });
    } catch (err) {
      this.deps.logger.warn({ err, leg: this.id }, 'INVITE could not be sent');
      this.dispatch({ type: 'fork-failed', fork: fork.id, status: 503 });
    }
  }

  private dispatch(ev: OutboundEvent): void {
    const { next, effects } = transitionOutbound(this.snapshot, ev);
    this.snapshot = next;
    for (const e of effects) this.execute(e);
  }

  private execute(e: OutboundEffect): void {
    const fork = 'fork' in e ? this.forks.get(e.fork) : undefined;
    switch (e.do) {
      case 'early':
        if (fork !== undefined) this.onRinging(fork);
        return;
      case 'ack':
        fork?.sendAck();
        return;
      case 'cancel':
        if (fork?.tx) void fork.tx.cancel();
        return;
      case 'bye':
        if (fork !== undefined) this.sendBye(fork, e.cause);
        return;
      case 'answered':
        if (fork !== undefined) this.onAnswered(fork);
        return;
      case 'ended':
        this.finish(e.cause, e.status);
        return;
    }
  }

  private onRinging(fork: CalleeFork): void {
    const body = fork.provisional !== undefined && fork.provisional.body.length > 0 ? fork.provisional.body.toString('utf8') : undefined;
    if (body !== undefined) {
      this.enqueueMedia(async () => {
        if (this.snapshot.phase !== 'early') return;
        const r = await this.media.answered(body, true);
        if (!r.ok) this.deps.logger.info({ leg: this.id, reason: r.reason }, 'early media not usable');
      });
    }
    if (this.legState !== 'offered') return;
    this.legState = 'early';
    const notify = this.onEarly;
    this.onEarly = undefined;
    if (notify !== undefined) {
      // After the early answer is applied, so the listener can bridge the early media.
      void this.mediaQueue.then(() => {
        if (this.endCause === undefined) notify(this);
      });
    }
  }

  private onAnswered(fork: CalleeFork): void {
    this.deps.registry.track(this);
    this.startSessionTimer(fork);
    const answer = fork.answer;
    const body = answer !== undefined && answer.body.length > 0 ? answer.body : fork.earlyBody?.body;
    fork.settle();
    this.enqueueMedia(async () => {
      if (this.endCause !== undefined) return;
      const r = body !== undefined
        ? await this.media.answered(body.toString('utf8')).catch((err: unknown) => ({ ok: false as const, reason: String(err) }))
        : { ok: false as const, reason: 'no answer to our offer' };
      if (this.endCause !== undefined) return;
      if (!r.ok) {
        this.deps.logger.info({ leg: this.id, reason: r.reason }, 'answer not usable');
        this.failStatus = 488;
        this.dispatch({ type: 'end', cause: 'failed' });
        return;
      }
      this.legState = 'answered';
      const wait = this.answerWait;
      this.answerWait = undefined;
      wait?.resolve();
    });
  }

  /** The status an OriginateError reports when the answer itself was unusable. */
  private failStatus: number | undefined;

  private enqueueMedia(step: () => Promise<void>): void {
    this.mediaQueue = this.mediaQueue.then(step).catch((err: unknown) => {
      this.deps.logger.warn({ err, leg: this.id }, 'session description not applied');
    });
  }

  private startSessionTimer(fork: CalleeFork): void {
    const answer = fork.answer;
    if (answer === undefined) return;
    const agreed = negotiateSessionTimerAsUac(answer);
    if (agreed.type !== 'accept') return;
    this.sessionTimer = new LegSessionTimer(this.deps, {
      side: fork,
      peerAllowsUpdate: allowsUpdate(answer),
      offer: () => (this.media.localSdp !== undefined ? { body: ownedBody(this.media.localSdp) } : undefined),
      onExpired: () => void this.hangup('session-expired'),
    });
    this.sessionTimer.arm(agreed.intervalS, agreed.weRefresh);
  }

  private noteHold(held: boolean): void {
    const next = holdTransition(this.legState, held);
    if (next === undefined) return;
    this.legState = next.state;
    this.emit({ type: next.event });
  }

  private sendBye(fork: CalleeFork, cause: HangupCause): void {
    const done = sendBye(this.deps, fork, cause, this.id);
    this.byes.add(done);
    void done.then(() => this.byes.delete(done));
  }

  private finish(cause: HangupCause, status?: number): void {
    if (this.endCause !== undefined) return;
    this.endCause = cause;
    this.legState = 'ended';
    this.sessionTimer?.close();
    this.unsubscribeMedia?.();
    this.mediaClosed = this.media.close();
    this.deps.registry.forget(this);
    // An answered INVITE lingers 32 s (Timer M) for 2xx retransmissions; the ended leg need
    // not live that long with it. Forks still ringing keep listening: a 2xx racing our CANCEL
    // must still get its ACK and BYE.
    for (const fork of this.forks.values()) if (fork.tx?.state === 'Accepted') fork.tx.detach();
    const wait = this.answerWait;
    this.answerWait = undefined;
    wait?.reject(new OriginateError(cause, status ?? this.failStatus));
    const err = new HangupError(cause);
    this.referRecipient.close();
    this.referIssuer.close(err);
    this.ctl.end(err);
    this.ops.wake();
    this.emit({ type: 'ended', cause });
    this.resolveEnded(cause);
  }

  private winner(): CalleeFork | undefined {
    return this.snapshot.winner === undefined ? undefined : this.forks.get(this.snapshot.winner);
  }
}
