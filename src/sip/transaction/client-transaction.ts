/**
 * A client transaction (INVITE or non-INVITE) at run time: executes its machine's effects
 * with the MessageSender, synthesizes 408/503 finals (RFC 3261 8.1.3.1), builds the ACK for
 * non-2xx and sends the CANCEL (RFC 3261 9.1).
 *
 * Once it only absorbs responses (a non-INVITE in Completed; an INVITE in Accepted whose TU
 * detached) it leaves its key to the layer, which drops matching responses until Timer K or M
 * would have fired, and ends: thousands of calls a second otherwise keep as many whole
 * transactions for 32 s.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { createResponse } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import type { MessageSender, SendTarget } from '../transport/types.js';
import { buildCancel, buildNon2xxAck } from './derived-requests.js';
import { lingeringRequest } from './lingering-request.js';
import { inviteClientTransaction, type InviteClientState } from './invite-client-transaction.js';
import { nonInviteClientTransaction, type NonInviteClientState } from './non-invite-client-transaction.js';
import { TransactionTimeoutError } from './transaction-errors.js';
import { TransactionRunner } from './transaction-runner.js';
import type { ClientEvent, TransactionContext, TransactionEffect } from './types.js';

/**
 * What the TU hears from a client transaction. Rule: `onFinal` always gets a final response,
 * real or synthesized: a timeout is a 408 and a transport error a 503 (RFC 3261 8.1.3.1),
 * preceded by `onTimeout`/`onTransportError` for logging. For INVITE, `onFinal` is called
 * again for each further 2xx (retransmissions, other forks) while in Accepted: the TU ACKs each.
 */
export interface ClientTransactionHandlers {
  onProvisional?(res: SipResponse): void;
  onFinal(res: SipResponse): void;
  onTimeout?(err: TransactionTimeoutError): void;
  onTransportError?(err: Error): void;
}

/** What a client transaction needs from the layer that owns it. */
export interface ClientTransactionDeps {
  clock: Clock;
  sender: MessageSender;
  ctx: TransactionContext;
  logger: Logger;
  /** Called once when the transaction reaches Terminated. */
  onTerminated(tx: ClientTransaction): void;
  /** Takes over absorbing this transaction's responses for `forMs` (what is left of Timer K or M). */
  remnant(key: string, forMs: number): void;
  /** Sends the CANCEL in its own non-INVITE client transaction. */
  sendCancel(cancel: SipRequest, target: SendTarget, handlers: ClientTransactionHandlers): void;
}

export type ClientTransactionState = InviteClientState | NonInviteClientState;

const DETACHED: ClientTransactionHandlers = { onFinal: () => undefined };

export class ClientTransaction {
  private readonly runner: TransactionRunner<InviteClientState, ClientEvent> | TransactionRunner<NonInviteClientState, ClientEvent>;
  private ack: SipRequest | undefined;
  private finalDelivered = false;
  private cancelRequested = false;
  private cancelSent = false;
  private cancelResult: Promise<SipResponse | undefined> | undefined;
  private resolveCancel: ((res: SipResponse | undefined) => void) | undefined;

  private req: SipRequest;
  private slim = false;

  constructor(
    readonly key: string,
    request: SipRequest,
    readonly target: SendTarget,
    private handlers: ClientTransactionHandlers,
    private readonly deps: ClientTransactionDeps,
  ) {
    this.req = request;
    const execute = (effect: TransactionEffect): void => this.execute(effect);
    this.runner =
      request.method === 'INVITE'
        ? new TransactionRunner(inviteClientTransaction, deps.ctx, deps.clock, execute)
        : new TransactionRunner(nonInviteClientTransaction, deps.ctx, deps.clock, execute);
  }

  /** The request (once a final response came, only its start line and identifying headers). */
  get request(): SipRequest {
    return this.req;
  }

  get method(): string {
    return this.req.method;
  }

  get state(): ClientTransactionState {
    return this.runner.state;
  }

  /** Sends the request: the machine's first transition. */
  start(): void {
    this.runner.dispatch({ type: 'start' });
  }

  /** A response matched this transaction (RFC 3261 17.1.3). */
  receiveResponse(res: SipResponse): void {
    this.runner.dispatch({ type: 'response', response: res });
    const state = this.runner.state;
    const done = state === 'Completed' || this.runner.isTerminated;
    // Completed only absorbs retransmissions: the TU (a leg, its whole call) need not stay
    // reachable from the transaction for Timer D's 32 s.
    if (done) this.handlers = DETACHED;
    if (state === 'Completed' && this.req.method !== 'INVITE') {
      this.retireQuietly('K');
      return;
    }
    // Past the final response nothing is built from the request any more (the ACK for a non-2xx
    // is built by now; Accepted hands 2xx retransmissions to the TU, which ACKs from its dialog).
    if (!this.slim && (done || state === 'Accepted')) {
      this.slim = true;
      this.req = lingeringRequest(this.req);
    }
  }

  /**
   * The TU stops listening (its dialog is over): later responses are absorbed here. An INVITE
   * in Accepted otherwise keeps its TU for Timer M (32 s) to hand it 2xx retransmissions.
   */
  detach(): void {
    this.handlers = DETACHED;
    if (this.req.method === 'INVITE' && this.runner.state === 'Accepted') this.retireQuietly('M');
  }

  /** Ends, leaving the layer to absorb responses until `timer` would have fired. */
  private retireQuietly(timer: 'K' | 'M'): void {
    if (this.runner.isTerminated) return;
    const forMs = this.runner.timerRemaining(timer);
    this.runner.close();
    this.deps.onTerminated(this);
    if (forMs !== undefined && forMs > 0) this.deps.remnant(this.key, forMs);
  }

  /**
   * Cancels a pending INVITE (RFC 3261 9.1): the CANCEL goes out once a provisional response
   * has arrived (at once if one has). Resolves with the CANCEL's final response, or undefined
   * when there was nothing to cancel (not an INVITE, or a final response came first).
   */
  cancel(): Promise<SipResponse | undefined> {
    if (this.cancelResult) return this.cancelResult;
    const state = this.state;
    if (this.method !== 'INVITE' || (state !== 'Calling' && state !== 'Proceeding')) return Promise.resolve(undefined);
    this.cancelResult = new Promise((resolve) => {
      this.resolveCancel = resolve;
    });
    this.cancelRequested = true;
    if (state === 'Proceeding') this.sendCancel();
    return this.cancelResult;
  }

  /** Stops timers without telling the TU (the layer is closing). */
  close(): void {
    this.runner.close();
    this.settleCancel(undefined);
  }

  private sendCancel(): void {
    if (this.cancelSent) return;
    this.cancelSent = true;
    this.deps.sendCancel(buildCancel(this.req), this.target, {
      onFinal: (res) => this.settleCancel(res),
    });
    this.runner.dispatch({ type: 'cancelSent' });
  }

  private settleCancel(res: SipResponse | undefined): void {
    const resolve = this.resolveCancel;
    this.resolveCancel = undefined;
    resolve?.(res);
  }

  private transmit(msg: SipRequest): void {
    const fail = (err: unknown): void => {
      this.runner.dispatch({ type: 'transportError', error: err instanceof Error ? err : new Error(String(err)) });
    };
    try {
      this.deps.sender.send(msg, this.target).catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  /** Runs a TU callback; a throwing TU must not break the transaction. */
  private tu(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.logger.error({ err, key: this.key, what }, 'transaction user callback threw');
    }
  }

  private deliverFinal(res: SipResponse): void {
    this.finalDelivered = true;
    this.tu('onFinal', () => this.handlers.onFinal(res));
  }

  private execute(effect: TransactionEffect): void {
    switch (effect.type) {
      case 'sendRequest':
      case 'retransmit':
        this.transmit(this.req);
        return;
      case 'sendAck':
        this.ack ??= buildNon2xxAck(this.req, effect.response);
        this.transmit(this.ack);
        return;
      case 'passResponse': {
        const res = effect.response;
        if (res.status < 200) {
          this.tu('onProvisional', () => this.handlers.onProvisional?.(res));
          if (this.cancelRequested) this.sendCancel();
          return;
        }
        if (!this.cancelSent) this.settleCancel(undefined);
        this.deliverFinal(res);
        return;
      }
      case 'timeout': {
        const err = new TransactionTimeoutError(effect.timer, this.method);
        this.deps.logger.debug({ key: this.key, timer: effect.timer }, 'client transaction timed out');
        this.tu('onTimeout', () => this.handlers.onTimeout?.(err));
        if (!this.finalDelivered) this.deliverFinal(createResponse(this.req, 408));
        return;
      }
      case 'transportError':
        this.deps.logger.debug({ key: this.key, err: effect.error }, 'client transaction transport error');
        this.tu('onTransportError', () => this.handlers.onTransportError?.(effect.error));
        if (!this.finalDelivered) this.deliverFinal(createResponse(this.req, 503));
        return;
      case 'terminate':
        // A CANCEL already sent settles through its own transaction.
        if (!this.cancelSent) this.settleCancel(undefined);
        this.deps.onTerminated(this);
        return;
      default:
        // Server-only effects never come from client machines.
        return;
    }
  }
}
