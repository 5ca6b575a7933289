/**
 * A server transaction (INVITE or non-INVITE) at run time: executes its machine's effects,
 * keeps the last response for retransmission and sends the automatic 100 Trying.
 *
 * Once only retransmissions can reach it, it hands what is left to the layer and ends: a
 * non-INVITE in Completed leaves its final response (RetransmissionAbsorber answers
 * retransmissions until Timer J); an INVITE in Confirmed, or in Accepted once its TU released it,
 * leaves only its key (the layer swallows retransmitted INVITEs and ACKs until Timer I or L). At
 * hundreds of calls and thousands of REGISTERs a second these lingering states were most of the
 * live heap (~3 KB each with runner and timers, for 32 s), and what made garbage collection
 * costly. An INVITE in Completed (a non-2xx waiting for its ACK) still retransmits, so it stays,
 * with just the response bytes and a slim request.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { createResponse, isParseError, parseMessage } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import { TransportError } from '../transport/transport-error.js';
import type { InboundMessage, MessageSender, PreparedResponse } from '../transport/types.js';
import { lingeringRequest } from './lingering-request.js';
import { inviteServerTransaction, type InviteServerState } from './invite-server-transaction.js';
import { nonInviteServerTransaction, type NonInviteServerState } from './non-invite-server-transaction.js';
import { ownedResponse } from './owned-response.js';
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
  /**
   * Takes over a non-INVITE's Completed state (RetransmissionAbsorber): from then on the layer
   * answers retransmissions with `response` until Timer J, and this transaction ends.
   */
  absorb(key: string, response: PreparedResponse): void;
  /**
   * Takes over an INVITE in Confirmed, or in Accepted once its TU released it: for `forMs` (what
   * is left of Timer I or L) the layer absorbs retransmitted INVITEs, and in Confirmed the ACKs.
   */
  remnant(key: string, state: 'Accepted' | 'Confirmed', forMs: number): void;
  /** An ACK for a 2xx reached the IST in Accepted (RFC 6026): it belongs to the TU. */
  passAck(ack: SipRequest, inbound: InboundMessage): void;
}

export class ServerTransaction {
  /** Set by the TU to learn when and why the transaction ended (e.g. Timer H: the ACK never came). */
  onTerminated: ((reason: ServerTerminationReason) => void) | undefined;
  private readonly runner: TransactionRunner<InviteServerState, ServerEvent> | TransactionRunner<NonInviteServerState, ServerEvent>;
  private req: SipRequest;
  private inb: InboundMessage;
  private last: SipResponse | undefined;
  private lastPrepared: PreparedResponse | undefined;
  private ackInbound: InboundMessage | undefined;
  private reason: ServerTerminationReason = 'normal';
  private ended = false;
  private slim = false;
  private sentAny = false;

  constructor(
    readonly key: string,
    request: SipRequest,
    inbound: InboundMessage,
    private readonly deps: ServerTransactionDeps,
  ) {
    this.req = request;
    this.inb = inbound;
    const execute = (effect: TransactionEffect): void => this.execute(effect);
    this.runner =
      request.method === 'INVITE'
        ? new TransactionRunner(inviteServerTransaction, deps.ctx, deps.clock, execute)
        : new TransactionRunner(nonInviteServerTransaction, deps.ctx, deps.clock, execute);
  }

  /** The request (once lingering, only its start line and identifying headers: see lingeringRequest). */
  get request(): SipRequest {
    return this.req;
  }

  /** How the request arrived (once lingering, with the slim request). */
  get inbound(): InboundMessage {
    return this.inb;
  }

  get method(): string {
    return this.req.method;
  }

  /** True once the transaction keeps only what answering retransmissions needs. */
  get lingering(): boolean {
    return this.slim;
  }

  get state(): ServerTransactionState {
    return this.runner.state;
  }

  /** True once any response (the automatic 100 included) was sent. */
  get responded(): boolean {
    return this.sentAny;
  }

  /**
   * The last response sent, if any (once lingering, read back from the bytes sent). Undefined in
   * Accepted: the 2xx belongs to the TU, which retransmits it until the ACK (RFC 6026 7.1).
   */
  get lastResponse(): SipResponse | undefined {
    if (this.last !== undefined || this.lastPrepared === undefined) return this.last;
    const parsed = parseMessage(this.lastPrepared.bytes);
    return isParseError(parsed) || parsed.type !== 'response' ? undefined : parsed;
  }

  /** Sends a response; the state machine decides whether it goes out and what follows. */
  respond(res: SipResponse): void {
    if (this.runner.isTerminated) {
      this.deps.logger.debug({ key: this.key, status: res.status }, 'response on a terminated server transaction dropped');
      return;
    }
    this.runner.dispatch({ type: 'tuResponse', response: res });
    if (this.runner.state === 'Completed' && this.req.method !== 'INVITE') {
      // Without prepared bytes (the response could not be built) a transport error ends it next.
      const prepared = this.lastPrepared;
      if (prepared !== undefined) this.handOver(() => this.deps.absorb(this.key, prepared));
      else this.linger();
    }
  }

  /** Ends, `give` handing what is left of its work to the layer (ServerTransactionDeps.absorb or remnant). */
  private handOver(give: () => void): void {
    if (this.ended) return;
    this.runner.close();
    this.deps.onTerminated(this);
    give();
    this.end('normal');
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
    this.ackInbound = undefined;
    if (this.runner.state === 'Confirmed') this.retireQuietly('Confirmed', 'I');
  }

  /**
   * The TU is done with the request (its leg ended): an INVITE in Accepted leaves the absorbing
   * of retransmissions for Timer L to the layer; one in Completed keeps only what retransmitting
   * its response needs. Before the final response it keeps everything: a response copies every
   * Via, and the slim request has only the top one.
   */
  release(): void {
    const state = this.runner.state;
    if (state === 'Accepted') this.retireQuietly('Accepted', 'L');
    else if (state === 'Completed') this.linger();
  }

  /** Ends, leaving the layer to absorb retransmissions until `timer` would have fired. */
  private retireQuietly(state: 'Accepted' | 'Confirmed', timer: 'L' | 'I'): void {
    const forMs = this.runner.timerRemaining(timer); // read before handOver stops the timers
    this.handOver(() => {
      if (forMs !== undefined && forMs > 0) this.deps.remnant(this.key, state, forMs);
    });
  }

  /** Keeps only what answering retransmissions needs (the class comment says why). */
  private linger(): void {
    if (this.slim) return;
    this.slim = true;
    this.last = undefined;
    if (this.lastPrepared !== undefined) this.lastPrepared = ownedResponse(this.lastPrepared);
    this.req = lingeringRequest(this.req);
    const { source, local, connectionId, receivedAt } = this.inb;
    this.inb = connectionId === undefined
      ? { message: this.req, source, local, receivedAt }
      : { message: this.req, source, local, connectionId, receivedAt };
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
    this.sentAny = true;
    const prepared = this.deps.sender.prepareResponse(res, this.inb);
    // Accepted never retransmits on its own (the TU does, with its 2xx), and the call lasts:
    // no copy is kept there. The runner has entered the state by the time effects run.
    if (this.runner.state !== 'Accepted') {
      this.last = res;
      this.lastPrepared = prepared instanceof TransportError ? undefined : prepared;
    }
    this.sendPrepared(prepared);
  }

  private sendPrepared(prepared: PreparedResponse | TransportError): void {
    const fail = (err: unknown): void => {
      this.runner.dispatch({ type: 'transportError', error: err instanceof Error ? err : new Error(String(err)) });
    };
    try {
      (prepared instanceof TransportError ? Promise.reject(prepared) : this.deps.sender.sendPrepared(prepared)).catch(fail);
    } catch (err) {
      fail(err);
    }
  }

  private execute(effect: TransactionEffect): void {
    switch (effect.type) {
      case 'sendResponse':
        this.transmit(effect.response);
        return;
      case 'sendTrying':
        this.transmit(createResponse(this.req, 100));
        return;
      case 'retransmit':
        if (this.lastPrepared) this.sendPrepared(this.lastPrepared);
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
