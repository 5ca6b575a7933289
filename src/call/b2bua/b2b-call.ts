import type { TimerHandle } from '../../core/clock.js';
import { createResponse, cseq, getHeader, type HeaderField, type SipRequest } from '../../sip/message/index.js';
import {
  dialogKey,
  negotiateSessionTimerAsUac,
  negotiateSessionTimerAsUas,
  nextInDialogRequest,
  processInDialogRequest,
  type Dialog,
  type SessionTimerDecision,
} from '../../sip/dialog/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import { AnswerRetransmitter } from './answer-retransmitter.js';
import { initialCall, transitionCall, type CallEffect, type CallEvent, type CallSnapshot, type Side } from './b2b-call-state.js';
import { CalleeFork } from './callee-fork.js';
import { CallerLeg } from './caller-leg.js';
import type { DialogIndex } from './dialog-index.js';
import { InDialogRelay, type DialogSide } from './in-dialog-relay.js';
import { LegSessionTimer } from './leg-session-timer.js';
import type { B2buaDeps, CallPlan } from './types.js';

export interface B2bCallHooks {
  index: DialogIndex<B2bCall>;
  onEnded(call: B2bCall): void;
}

/** One call through the B2BUA: the caller's INVITE, its forks to the callee's devices, and the relay between the winning pair. */
export class B2bCall {
  readonly id: string;
  readonly caller: CallerLeg;
  private readonly forks = new Map<string, CalleeFork>();
  private snapshot: CallSnapshot;
  private ringTimer: TimerHandle | undefined;
  private answerRetransmitter: AnswerRetransmitter | undefined;
  private callerAck: SipRequest | undefined;
  private readonly relay: InDialogRelay;
  private readonly indexed = new Set<string>();
  private readonly byes = new Set<Promise<void>>();
  /** The caller leg's session timer decision on its INVITE (RFC 4028 9). */
  private readonly callerTimerDecision: SessionTimerDecision;
  private readonly timers: LegSessionTimer[] = [];
  private rejectHeaders: HeaderField[] = [];

  constructor(
    private readonly deps: B2buaDeps,
    tx: ServerTransaction,
    private readonly plan: CallPlan,
    private readonly hooks: B2bCallHooks,
  ) {
    this.id = deps.random.token(9);
    this.caller = new CallerLeg(tx, deps, () => this.dispatch({ type: 'refuse', status: 500 }));
    this.callerTimerDecision = negotiateSessionTimerAsUas(tx.request, deps.sessionTimer);
    this.relay = new InDialogRelay(deps);
    const req = tx.request;
    const mf = Number(getHeader(req, 'Max-Forwards') ?? '70');
    const contentType = getHeader(req, 'Content-Type');
    const offer = { body: req.body, maxForwards: Math.max(0, (Number.isFinite(mf) ? mf : 70) - 1), ...(contentType ? { contentType } : {}) };
    plan.forks.forEach((dest, i) => {
      const id = `f${i}`;
      this.forks.set(id, new CalleeFork(id, dest.target, deps, plan, dest, offer));
    });
    this.snapshot = initialCall([...this.forks.keys()]);
  }

  get state(): CallSnapshot['state'] {
    return this.snapshot.state;
  }

  /** Sends 100 Trying, arms the ring timer and sends the INVITE to every device. */
  start(): void {
    this.deps.onCallEvent?.({ type: 'call.started', callId: this.id, caller: this.plan.caller.uri, callee: this.plan.callee.uri, at: this.deps.clock.now() });
    this.caller.respond(100);
    if (this.callerTimerDecision.type === 'reject') {
      // RFC 4028 9: the asked session interval is below our Min-SE.
      this.rejectHeaders = this.callerTimerDecision.headers;
      this.dispatch({ type: 'refuse', status: 422 });
      return;
    }
    this.ringTimer = this.deps.clock.setTimer(this.deps.ringTimeoutMs ?? 120_000, () => this.dispatch({ type: 'ring-timeout' }));
    for (const fork of this.forks.values()) this.sendFork(fork);
  }

  private sendFork(fork: CalleeFork): void {
    fork.tx = this.deps.transactions.sendRequest(fork.request, fork.target, {
      onProvisional: (res) => {
        if (!fork.takeProvisional(res)) return;
        this.indexSide(fork.dialog, 'callee', fork.id);
        this.dispatch({ type: 'fork-provisional', fork: fork.id, status: res.status });
      },
      onFinal: (res) => {
        if (res.status >= 200 && res.status < 300) {
          if (!fork.takeAnswer(res)) return;
          this.indexSide(fork.dialog, 'callee', fork.id);
          this.dispatch({ type: 'fork-answered', fork: fork.id });
          return;
        }
        this.unindexSide(fork.dialog);
        fork.dialog = undefined;
        this.dispatch({ type: 'fork-failed', fork: fork.id, status: res.status });
      },
    });
  }

  dispatch(ev: CallEvent): void {
    const { next, effects } = transitionCall(this.snapshot, ev);
    this.snapshot = next;
    for (const e of effects) this.execute(e);
  }

  private execute(e: CallEffect): void {
    const fork = 'fork' in e ? this.forks.get(e.fork) : undefined;
    switch (e.do) {
      case 'relay-provisional': {
        const p = fork?.provisional;
        const ct = fork?.contentType;
        this.caller.respond(e.status, p?.reason, p && p.body.length > 0 ? { body: p.body, ...(ct ? { contentType: ct } : {}) } : undefined);
        this.indexSide(this.caller.dialog, 'caller');
        return;
      }
      case 'answer-caller': {
        if (!fork?.answer) return;
        this.deps.clock.clearTimer(this.ringTimer);
        this.startCalleeTimer(fork);
        const ct = fork.contentType;
        // The callee may have answered the offer in a reliable 1xx only (RFC 3262): a caller that
        // did not get that 1xx reliably still needs the answer, in our 2xx (RFC 3261 13.2.1).
        const answerBody =
          fork.answer.body.length > 0 ? { body: fork.answer.body, ...(ct ? { contentType: ct } : {}) }
          : !this.caller.reliableBodySent ? fork.earlyBody : undefined;
        const timerHeaders = this.callerTimerDecision.type === 'accept' ? this.callerTimerDecision.responseHeaders : [];
        this.caller.respond(200, 'OK', answerBody, timerHeaders, (res) => {
          this.indexSide(this.caller.dialog, 'caller');
          const reliable = this.deps.sender.isReliable(this.caller.target.protocol);
          this.answerRetransmitter = new AnswerRetransmitter(this.deps, this.caller.tx, res, reliable, () => this.dispatch({ type: 'caller-ack-timeout' }));
          this.startCallerTimer(answerBody);
          this.deps.onCallEvent?.({ type: 'call.answered', callId: this.id, at: this.deps.clock.now() });
        });
        return;
      }
      case 'ack-fork': {
        const ack = e.withCallerAck ? this.callerAck : undefined;
        const ct = ack ? getHeader(ack, 'Content-Type') : undefined;
        fork?.sendAck(ack ? { body: ack.body, ...(ct ? { contentType: ct } : {}) } : undefined);
        return;
      }
      case 'cancel-fork':
        if (fork?.tx) void fork.tx.cancel();
        return;
      case 'bye-fork':
        if (fork) this.sendBye(fork);
        return;
      case 'reject-caller':
        this.caller.respond(e.status, undefined, undefined, this.rejectHeaders);
        return;
      case 'bye-caller':
        this.sendBye(this.caller);
        return;
      case 'ended':
        this.cleanup();
        this.deps.onCallEvent?.({ type: 'call.ended', callId: this.id, cause: e.cause, at: this.deps.clock.now() });
        this.hooks.onEnded(this);
        return;
    }
  }

  private sendBye(side: DialogSide): void {
    const dialog = side.dialog;
    if (!dialog || dialog.state === 'terminated') return;
    const { dialog: next, request } = nextInDialogRequest(dialog, 'BYE');
    side.dialog = next;
    this.unindexSide(dialog);
    const done = new Promise<void>((resolve) => {
      try {
        this.deps.transactions.sendRequest(request, side.target, { onFinal: () => resolve() });
      } catch (err) {
        this.deps.logger.warn({ err }, 'BYE could not be sent');
        resolve();
      }
    });
    this.byes.add(done);
    void done.then(() => this.byes.delete(done));
  }

  /** Resolves when the BYEs we sent have been answered (or timed out). */
  async settled(): Promise<void> {
    await Promise.all([...this.byes]);
  }

  private startCallerTimer(answerBody: { body: Buffer; contentType?: string } | undefined): void {
    const d = this.callerTimerDecision;
    if (d.type !== 'accept') return;
    const timer = new LegSessionTimer(this.deps, {
      side: this.caller,
      peerMessage: () => this.caller.request,
      offer: () => answerBody,
      onExpired: () => this.dispatch({ type: 'session-expired' }),
    });
    this.timers.push(timer);
    this.callerTimer = timer;
    timer.arm(d.intervalS, d.weRefresh);
  }

  private startCalleeTimer(fork: CalleeFork): void {
    const answer = fork.answer;
    if (answer === undefined) return;
    const agreed = negotiateSessionTimerAsUac(answer);
    if (agreed.type !== 'accept') return;
    const ct = getHeader(fork.request, 'Content-Type');
    const timer = new LegSessionTimer(this.deps, {
      side: fork,
      peerMessage: () => fork.answer,
      offer: () => (fork.request.body.length > 0 ? { body: fork.request.body, ...(ct ? { contentType: ct } : {}) } : undefined),
      onExpired: () => this.dispatch({ type: 'session-expired' }),
    });
    this.timers.push(timer);
    this.calleeTimer = timer;
    timer.arm(agreed.intervalS, agreed.weRefresh);
  }

  private callerTimer: LegSessionTimer | undefined;
  private calleeTimer: LegSessionTimer | undefined;

  /**
   * The session timer side of a refresh-capable request (re-INVITE, UPDATE) from one leg:
   * 422 when the interval is too small, else what our 2xx must say, and the re-arm on success.
   */
  private refreshTerms(side: Side, req: SipRequest): { reject?: HeaderField[]; headers: HeaderField[]; onSuccess: () => void } {
    const timer = side === 'caller' ? this.callerTimer : this.calleeTimer;
    if (timer === undefined || (req.method !== 'INVITE' && req.method !== 'UPDATE')) return { headers: [], onSuccess: () => undefined };
    const d = negotiateSessionTimerAsUas(req, this.deps.sessionTimer);
    if (d.type === 'reject') return { reject: d.headers, headers: [], onSuccess: () => undefined };
    if (d.type === 'none') return { headers: [], onSuccess: () => undefined };
    return { headers: d.responseHeaders, onSuccess: () => timer.arm(d.intervalS, d.weRefresh) };
  }

  /** A request inside one of this call's dialogs (`fork`: which callee dialog it came on). */
  onRequest(side: Side, req: SipRequest, tx: ServerTransaction, fork?: string): void {
    const from = this.sideOf(side, fork);
    if (req.method === 'PRACK') {
      // We send reliable provisionals only to the caller; a PRACK from a callee matches nothing.
      if (side === 'caller') this.caller.onPrack(req, tx);
      else tx.respond(createResponse(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    const terms = this.refreshTerms(side, req);
    if (terms.reject !== undefined) {
      tx.respond(createResponse(req, 422, 'Session Interval Too Small', { headers: terms.reject }));
      return;
    }
    if (req.method === 'UPDATE' && req.body.length === 0 && from === (side === 'caller' ? this.caller : this.winner())) {
      // A session refresh (or a bare target refresh): nothing for the other leg; answered here.
      const checked = from.dialog ? processInDialogRequest(from.dialog, req, { random: this.deps.random }) : undefined;
      if (!checked || !checked.accept) {
        tx.respond(createResponse(req, checked?.status ?? 481, checked?.reason ?? 'Call/Transaction Does Not Exist'));
        return;
      }
      from.dialog = checked.dialog;
      tx.respond(createResponse(req, 200, 'OK', {
        headers: [{ name: 'Contact', value: `<${this.deps.localContact(from.target.protocol)}>` }, ...terms.headers],
      }));
      terms.onSuccess();
      return;
    }
    if (req.method === 'BYE') {
      const dialog = from.dialog;
      const checked = dialog ? processInDialogRequest(dialog, req, { random: this.deps.random }) : undefined;
      if (!checked || !checked.accept) {
        tx.respond(createResponse(req, checked?.status ?? 481, checked?.reason ?? 'Call/Transaction Does Not Exist'));
        return;
      }
      from.dialog = checked.dialog;
      this.unindexSide(dialog);
      tx.respond(createResponse(req, 200, 'OK'));
      // A fork that did not win ends only its own dialog.
      if (side === 'callee' && from !== this.winner()) return;
      this.dispatch({ type: 'bye', from: side });
      return;
    }
    // Only the winning fork and the caller talk to each other; a losing fork has nobody to reach.
    const to = side === 'caller' ? this.winner() : from === this.winner() ? this.caller : undefined;
    if (!to) {
      tx.respond(createResponse(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    this.relay.relay(side, from, to, req, tx, { responseHeaders: terms.headers, onSuccess: terms.onSuccess });
  }

  /** An ACK inside one of this call's dialogs: for our answer to the caller, or for a relayed re-INVITE. */
  onAck(side: Side, ack: SipRequest): void {
    if (side === 'caller' && cseq(ack)?.seq === cseq(this.caller.request)?.seq) {
      if (this.callerAck) return; // a retransmitted ACK
      this.callerAck = ack;
      this.answerRetransmitter?.stop();
      this.dispatch({ type: 'caller-acked' });
      return;
    }
    this.relay.ack(side, ack);
  }

  /** The caller cancelled its INVITE (RFC 3261 9.2: 200 to the CANCEL, 487 to the INVITE). */
  onCancel(cancel: SipRequest, cancelTx: ServerTransaction): void {
    cancelTx.respond(createResponse(cancel, 200, 'OK'));
    this.dispatch({ type: 'caller-cancelled' });
  }

  /** A CANCEL for a mid-call request of this call. */
  onInDialogCancel(cancel: SipRequest, cancelTx: ServerTransaction, cancelled: ServerTransaction): void {
    cancelTx.respond(createResponse(cancel, this.relay.cancel(cancelled) ? 200 : 481));
  }

  shutdown(): void {
    this.dispatch({ type: 'shutdown' });
  }

  private winner(): CalleeFork | undefined {
    return this.snapshot.winner === undefined ? undefined : this.forks.get(this.snapshot.winner);
  }

  private sideOf(side: Side, fork?: string): DialogSide {
    if (side === 'caller') return this.caller;
    const f = fork === undefined ? this.winner() : this.forks.get(fork);
    return f ?? { dialog: undefined, target: this.caller.target };
  }

  private indexSide(dialog: Dialog | undefined, side: Side, fork?: string): void {
    if (!dialog || this.snapshot.state === 'ended') return;
    const key = dialogKey(dialog.id);
    if (this.indexed.has(key)) return;
    this.indexed.add(key);
    this.hooks.index.set(key, { call: this, side, ...(fork !== undefined ? { fork } : {}) });
  }

  private unindexSide(dialog: Dialog | undefined): void {
    if (!dialog) return;
    const key = dialogKey(dialog.id);
    this.indexed.delete(key);
    this.hooks.index.delete(key);
  }

  private cleanup(): void {
    this.deps.clock.clearTimer(this.ringTimer);
    this.answerRetransmitter?.stop();
    this.caller.close();
    for (const t of this.timers) t.close();
    this.relay.close();
    for (const key of this.indexed) this.hooks.index.delete(key);
    this.indexed.clear();
  }
}
