/**
 * The transaction layer (RFC 3261 17): matches inbound messages to transactions
 * (17.1.3, 17.2.3), creates server transactions for new requests, runs client
 * transactions for the TU, and drops every transaction when it reaches Terminated.
 */
import type { Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { cryptoRandom, type RandomSource } from '../../core/random.js';
import { addHeader, formatVia, getHeaderValues, topVia } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import type { InboundMessage, MessageSender, SendTarget, TransportProtocol } from '../transport/types.js';
import { ClientTransaction, type ClientTransactionDeps, type ClientTransactionHandlers } from './client-transaction.js';
import { ExpiringEntries } from './expiring-entries.js';
import { RetransmissionAbsorber } from './retransmission-absorber.js';
import { ServerTransaction, type ServerTransactionDeps } from './server-transaction.js';
import { clientKey, newBranch, requestKey, responseKey } from './transaction-key.js';
import { DEFAULT_TIMERS, type TimerConfig } from './types.js';

export interface TransactionLayerOptions {
  sender: MessageSender;
  clock: Clock;
  random?: RandomSource;
  logger?: Logger;
  timers?: Partial<TimerConfig>;
  /** Our sent-by for a Via added to a request that has none (`toward`: the target address, whose family picks our host). */
  viaSentBy?: (protocol: TransportProtocol, toward?: string) => { host: string; port: number };
  /**
   * A new request for the TU. `tx` is undefined for an ACK (for a 2xx: no transaction, or the
   * IST in Accepted). For a CANCEL, `cancelled` is the INVITE server transaction it matches
   * (RFC 3261 9.2), if any: the TU answers 200 to the CANCEL and 487 to the INVITE, or 481
   * to the CANCEL when `cancelled` is undefined.
   */
  onRequest(req: SipRequest, tx: ServerTransaction | undefined, inbound: InboundMessage, cancelled?: ServerTransaction): void;
  /** A response matching no client transaction, e.g. a 2xx retransmission after the ICT ended. */
  onStrayResponse?(res: SipResponse, inbound: InboundMessage): void;
}

/** Drops a transaction that reached Terminated from its map (unless another took its key since). */
function forget<T extends { readonly key: string }>(map: Map<string, T>, tx: T): void {
  if (map.get(tx.key) === tx) map.delete(tx.key);
}

function viaTransport(protocol: TransportProtocol): string {
  return protocol.toUpperCase();
}

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  /** Completed non-INVITE server transactions on UDP, kept as their final response only. */
  private readonly absorber: RetransmissionAbsorber;
  /** INVITE server transactions in Accepted (TU released) or Confirmed, kept as their key only. */
  private readonly serverRemnants: ExpiringEntries<'Accepted' | 'Confirmed'>;
  /** Client transactions that only absorb responses (NICT Completed, ICT Accepted and detached). */
  private readonly clientRemnants: ExpiringEntries<true>;
  private readonly timers: TimerConfig;
  // What every transaction needs from the layer, made once per kind of transport rather than
  // once per transaction (a call runs about eight: an object and four closures each).
  private readonly clientDeps: { reliable: ClientTransactionDeps; unreliable: ClientTransactionDeps };
  private readonly serverDeps: { reliable: ServerTransactionDeps; unreliable: ServerTransactionDeps };
  private readonly random: RandomSource;
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: TransactionLayerOptions) {
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.random = options.random ?? cryptoRandom;
    this.logger = options.logger ?? silentLogger();
    this.clientDeps = { reliable: this.makeClientDeps(true), unreliable: this.makeClientDeps(false) };
    this.serverDeps = { reliable: this.makeServerDeps(true), unreliable: this.makeServerDeps(false) };
    this.serverRemnants = new ExpiringEntries(options.clock);
    this.clientRemnants = new ExpiringEntries(options.clock);
    this.absorber = new RetransmissionAbsorber(options.clock, 64 * this.timers.t1, (response) => {
      const failed = (err: unknown): void => this.logger.debug({ err }, 'resending a final response failed');
      try {
        options.sender.sendPrepared(response).catch(failed);
      } catch (err) {
        failed(err);
      }
    });
  }

  /** Live transactions (scenario tests assert these return to zero). */
  counts(): { client: number; server: number } {
    return { client: this.clients.size, server: this.servers.size };
  }

  /**
   * Transactions reduced to absorbing retransmissions: non-INVITE server ones answering with their
   * final response (until Timer J), INVITE server ones in Accepted or Confirmed, client ones past
   * their final response (see ExpiringEntries for when an entry leaves).
   */
  get absorbing(): number {
    return this.absorber.size + this.serverRemnants.size + this.clientRemnants.size;
  }

  /** Hands an inbound message to its transaction or the TU. Never throws. */
  receive(inbound: InboundMessage): void {
    if (this.closed) return;
    try {
      if (inbound.message.type === 'response') this.receiveResponse(inbound.message, inbound);
      else this.receiveRequest(inbound.message, inbound);
    } catch (err) {
      this.logger.error({ err }, 'transaction layer failed on an inbound message');
    }
  }

  /**
   * Starts a client transaction. The caller normally puts the top Via in; a branch is added
   * when it has none, and a whole Via (from `viaSentBy`) when the request has no Via at all.
   */
  sendRequest(req: SipRequest, target: SendTarget, handlers: ClientTransactionHandlers): ClientTransaction {
    if (this.closed) throw new Error('transaction layer is closed');
    if (req.method === 'ACK') throw new Error('ACK is not sent in a transaction; send it with MessageSender.send');
    const branch = this.ensureBranch(req, target.protocol, target.address);
    const key = clientKey(branch, req.method);
    if (this.clients.has(key)) throw new Error(`a client transaction with branch ${branch} and method ${req.method} exists`);
    const tx = new ClientTransaction(key, req, target, handlers, this.options.sender.isReliable(target.protocol) ? this.clientDeps.reliable : this.clientDeps.unreliable);
    this.clients.set(key, tx);
    tx.start();
    return tx;
  }

  /** Stops every transaction and its timers; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.clients.values(), ...this.servers.values()];
    this.clients.clear();
    this.servers.clear();
    this.absorber.close();
    this.serverRemnants.close();
    this.clientRemnants.close();
    for (const tx of all) tx.close();
  }

  private receiveResponse(res: SipResponse, inbound: InboundMessage): void {
    const key = responseKey(res);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx) {
      tx.receiveResponse(res);
      return;
    }
    if (key !== undefined && this.clientRemnants.get(key) !== undefined) return;
    this.logger.debug({ status: res.status }, 'response matches no client transaction');
    this.options.onStrayResponse?.(res, inbound);
  }

  private receiveRequest(req: SipRequest, inbound: InboundMessage): void {
    const key = requestKey(req);
    if (key === undefined) {
      // Without a Via or CSeq there is nowhere to send a response (the parser's checks should stop this earlier).
      this.logger.debug({ method: req.method }, 'request without Via or CSeq dropped');
      return;
    }
    const existing = this.servers.get(key);
    if (req.method === 'ACK') {
      // 17.2.3: an ACK matches the INVITE transaction; a 2xx ACK (new branch) matches none and is the TU's.
      // A Confirmed remnant absorbs ACK retransmissions; past Accepted a 2xx ACK is the TU's as ever.
      if (existing) existing.receiveAck(inbound);
      else if (this.serverRemnants.get(key) !== 'Confirmed') this.options.onRequest(req, undefined, inbound);
      return;
    }
    if (existing) {
      existing.receiveRetransmission();
      return;
    }
    // What is left of an ended transaction: an INVITE is swallowed, a non-INVITE gets its final again.
    if (req.method === 'INVITE') {
      if (this.serverRemnants.get(key) !== undefined) return;
    } else if (this.absorber.absorb(key)) {
      return;
    }
    const tx = new ServerTransaction(key, req, inbound, this.options.sender.isReliable(inbound.source.protocol) ? this.serverDeps.reliable : this.serverDeps.unreliable);
    this.servers.set(key, tx);
    tx.start();
    let cancelled: ServerTransaction | undefined;
    if (req.method === 'CANCEL') {
      // 9.2: the CANCEL matches the INVITE with the same branch and sent-by.
      const inviteKey = requestKey(req, 'INVITE');
      cancelled = inviteKey === undefined ? undefined : this.servers.get(inviteKey);
    }
    this.options.onRequest(req, tx, inbound, cancelled);
  }

  /** What client and server transactions alike get from the layer. */
  private commonDeps(reliable: boolean): Pick<ClientTransactionDeps, 'clock' | 'sender' | 'ctx' | 'logger'> {
    return { clock: this.options.clock, sender: this.options.sender, ctx: { reliable, timers: this.timers }, logger: this.logger };
  }

  private makeClientDeps(reliable: boolean): ClientTransactionDeps {
    return {
      ...this.commonDeps(reliable),
      onTerminated: (t) => forget(this.clients, t),
      remnant: (key, forMs) => this.clientRemnants.set(key, true, forMs),
      sendCancel: (cancel, cancelTarget, cancelHandlers) => {
        if (!this.closed) this.sendRequest(cancel, cancelTarget, cancelHandlers);
      },
    };
  }

  private makeServerDeps(reliable: boolean): ServerTransactionDeps {
    return {
      ...this.commonDeps(reliable),
      onTerminated: (t) => forget(this.servers, t),
      passAck: (ack, ackInbound) => this.options.onRequest(ack, undefined, ackInbound),
      absorb: (key, response) => this.absorber.add(key, response),
      remnant: (key, state, forMs) => this.serverRemnants.set(key, state, forMs),
    };
  }

  /** Returns the top Via's branch, adding one (or a whole Via) when missing. */
  private ensureBranch(req: SipRequest, protocol: TransportProtocol, toward: string): string {
    const via = topVia(req);
    if (via === undefined) {
      if (getHeaderValues(req, 'Via').length > 0) throw new Error('the top Via of the request does not parse');
      const sentBy = this.options.viaSentBy?.(protocol, toward);
      if (sentBy === undefined) throw new Error('request has no Via and no viaSentBy option is set');
      const branch = newBranch(this.random);
      const host = sentBy.host.includes(':') && !sentBy.host.startsWith('[') ? `[${sentBy.host}]` : sentBy.host;
      addHeader(req, 'Via', `SIP/2.0/${viaTransport(protocol)} ${host}:${sentBy.port};branch=${branch};rport`, 'top');
      return branch;
    }
    const existing = via.params['branch'];
    if (typeof existing === 'string' && existing !== '') return existing;
    const branch = newBranch(this.random);
    this.replaceTopVia(req, formatVia({ ...via, params: { ...via.params, branch } }));
    return branch;
  }

  /** Rewrites the first Via value, keeping the others (comma-joined ones become their own fields). */
  private replaceTopVia(req: SipRequest, value: string): void {
    const rest = getHeaderValues(req, 'Via').slice(1);
    const first = req.headers.findIndex((h) => h.name.toLowerCase() === 'via' || h.name === 'v');
    req.headers = req.headers.filter((h) => !(h.name.toLowerCase() === 'via' || h.name === 'v'));
    req.headers.splice(first, 0, { name: 'Via', value }, ...rest.map((v) => ({ name: 'Via', value: v })));
  }
}
