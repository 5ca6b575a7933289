/**
 * A server transaction (INVITE or non-INVITE) at run time: executes its machine's effects,
 * keeps the last response for retransmission and sends the automatic 100 Trying.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { createResponse } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import type { InboundMessage, MessageSender } from '../transport/types.js';
import { inviteServerTransaction, type InviteServerState } from './invite-server-transaction.js';
import { nonInviteServerTransaction, type NonInviteServerState } from './non-invite-server-transaction.js';
import { TransactionRunner } from './transaction-runner.js';
import type { ServerEvent, TransactionContext, TransactionEffect } from './types.js';

export type ServerTransactionState = InviteServerState | NonInviteServerState;

/** Why a server transaction ended: normally, Timer H (no ACK), a transport error, or the layer closing. */
export type ServerTerminationReason = 'normal' | 'timeout' | 'transport-error' | 'closed';

/** What a server transaction needs from the layer that owns it. */
export interface ServerTransactionDeps {
  clock: Clock;
  sender: MessageSender;
  ctx: TransactionContext;
  logger: Logger;
  onTerminated(tx: ServerTransaction): void;
  /** An ACK for a 2xx reached the IST in Accepted (RFC 6026): it belongs to the TU. */
  passAck(ack: SipRequest, inbound: InboundMessage): void;
}

export class ServerTransaction {
  /** Set by the TU to learn when and why the transaction ended (e.g. Timer H: the ACK never came). */
  onTerminated: ((reason: ServerTerminationReason) => void) | undefined;
  private readonly runner: TransactionRunner<InviteServerState, ServerEvent> | TransactionRunner<NonInviteServerState, ServerEvent>;
  private last: SipResponse | undefined;
  private ackInbound: InboundMessage | undefined;
  private reason: ServerTerminationReason = 'normal';
  private ended = false;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly inbound: InboundMessage,
    private readonly deps: ServerTransactionDeps,
  ) {
    const execute = (effect: TransactionEffect): void => this.execute(effect);
    this.runner =
      request.method === 'INVITE'
        ? new TransactionRunner(inviteServerTransaction, deps.ctx, deps.clock, execute)
        : new TransactionRunner(nonInviteServerTransaction, deps.ctx, deps.clock, execute);
  }

  get method(): string {
    return this.request.method;
  }

  get state(): ServerTransactionState {
    return this.runner.state;
  }

  /** The last response sent, if any. */
  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  /** Sends a response; the state machine decides whether it goes out and what follows. */
  respond(res: SipResponse): void {
    if (this.runner.isTerminated) {
      this.deps.logger.debug({ key: this.key, status: res.status }, 'response on a terminated server transaction dropped');
      return;
    }
    this.runner.dispatch({ type: 'tuResponse', response: res });
  }

  /** Enters the machine's first state (IST: arms the 100 Trying timer). */
  start(): void {
    this.runner.dispatch({ type: 'start' });
  }

  /** The request that created this transaction arrived again. */
  receiveRetransmission(): void {
    this.runner.dispatch({ type: 'request' });
  }

  /** An ACK matched this INVITE transaction (RFC 3261 17.2.3). */
  receiveAck(inbound: InboundMessage): void {
    if (inbound.message.type !== 'request') return;
    this.ackInbound = inbound;
    this.runner.dispatch({ type: 'ack', ack: inbound.message });
  }

  /** Stops timers; the TU hears 'closed'. */
  close(): void {
    if (this.ended) return;
    this.runner.close();
    this.end('closed');
  }

  private end(reason: ServerTerminationReason): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.onTerminated?.(reason);
    } catch (err) {
      this.deps.logger.error({ err, key: this.key }, 'onTerminated callback threw');
    }
  }

  private transmit(res: SipResponse): void {
    const fail = (err: unknown): void => {
      this.runner.dispatch({ type: 'transportError', error: err instanceof Error ? err : new Error(String(err)) });
    };
    try {
      this.deps.sender.sendResponse(res, this.inbound).catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  private execute(effect: TransactionEffect): void {
    switch (effect.type) {
      case 'sendResponse':
        this.last = effect.response;
        this.transmit(effect.response);
        return;
      case 'sendTrying':
        this.last = createResponse(this.request, 100);
        this.transmit(this.last);
        return;
      case 'retransmit':
        if (this.last) this.transmit(this.last);
        return;
      case 'passAck':
        if (this.ackInbound) this.deps.passAck(effect.ack, this.ackInbound);
        return;
      case 'timeout':
        this.reason = 'timeout';
        this.deps.logger.debug({ key: this.key, timer: effect.timer }, 'server transaction timed out');
        return;
      case 'transportError':
        this.reason = 'transport-error';
        this.deps.logger.warn({ key: this.key, err: effect.error }, 'server transaction transport error');
        return;
      case 'terminate':
        this.deps.onTerminated(this);
        this.end(this.reason);
        return;
      default:
        return;
    }
  }
}
