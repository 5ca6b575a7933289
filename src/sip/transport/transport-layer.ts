/**
 * The SIP transport layer (RFC 3261 18): UDP, TCP, TLS, WS and WSS behind one MessageSender.
 * Receives and frames messages, stamps received/rport, answers unparseable requests, reuses
 * connections, and routes responses per Via.
 */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Server, Socket } from 'node:net';
import { systemClock, type Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { cryptoRandom, type RandomSource } from '../../core/random.js';
import { serializeMessage, type SipMessage } from '../message/index.js';
import { ConnectionTable, type Connection } from './connection-table.js';
import { readInbound, rejectionForBrokenStream } from './inbound-message.js';
import { addressFamilyOf } from './address-family.js';
import { advertisedHost, expandWildcard, servesFamily } from './local-addresses.js';
import { prepareResponse, unbracketHost } from './response-routing.js';
import { closeBrokenStream, type ConnectionEvents } from './stream-connection.js';
import { ConnectionDialer } from './connection-dialer.js';
import { listenTcp, type StreamContext } from './tcp-transport.js';
import { listenTls, type TlsClientOptions, type TlsServerCredentials } from './tls-transport.js';
import { TransportError } from './transport-error.js';
import { sendResponseWith } from './send-response.js';
import {
  isReliableProtocol,
  type InboundMessage,
  type MessageSender,
  type PreparedResponse,
  type RawInbound,
  type SendTarget,
  type TransportAddress,
  type TransportProtocol,
  type TransportStats,
} from './types.js';
import { isUdpKeepAlive, pickUdpEndpoint, UdpEndpoint } from './udp-transport.js';
import { WebSocketEndpoint, type WebSocketMountOptions } from './websocket-transport.js';

export interface TransportLayerOptions {
  /** Every message that parsed, requests with received/rport already stamped. */
  onMessage(inbound: InboundMessage): void | Promise<void>;
  /**
   * Sees each admitted message before it is parsed and may take it (true): the registrar's
   * thread takes REGISTERs this way, parses them there and sends back what to send.
   */
  divert?(raw: RawInbound): boolean;
  /** Admission before parsing (SBC bans, flood limits): false drops the datagram or destroys the connection. */
  acceptSource?(source: TransportAddress): boolean;
  /** A stream connection closed (a registered flow failed, RFC 5626). */
  onConnectionClosed?(connectionId: string): void;
  clock?: Clock;
  random?: RandomSource;
  logger?: Logger;
  /** Host advertised in Via sent-by instead of the bound address (NAT'd server, DNS name). */
  publicHost?: string;
  /** Largest message accepted on any transport. Default 65535. */
  maxMessageBytes?: number;
  /** Stream connections with no traffic are closed after this long unless kept. Default 10 minutes. */
  idleTimeoutMs?: number;
  /** Outgoing TCP/TLS connect (and handshake) timeout. Default 10 s. */
  connectTimeoutMs?: number;
  tlsClient?: TlsClientOptions;
}

interface StreamListener {
  protocol: 'tcp' | 'tls';
  server: Server;
  address: TransportAddress;
}

export class TransportLayer implements MessageSender {
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly logger: Logger;
  /** The largest message taken in (bytes); whoever parses a diverted message applies it too. */
  readonly maxMessageBytes: number;
  private readonly table: ConnectionTable;
  private readonly udp: UdpEndpoint[] = [];
  private readonly streamListeners: StreamListener[] = [];
  private readonly websockets: WebSocketEndpoint[] = [];
  private readonly streamContext: StreamContext;
  private readonly dialer: ConnectionDialer;
  private readonly counters = { received: 0, parseErrors: 0, dropped: 0, sent: 0, sendErrors: 0 };
  private closed = false;

  private readonly warningHosts = new Map<TransportProtocol, string>();
  private readonly sentBy = new Map<string, { host: string; port: number }>();

  constructor(private readonly options: TransportLayerOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? cryptoRandom;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'sip-transport' });
    this.maxMessageBytes = options.maxMessageBytes ?? 65_535;
    this.table = new ConnectionTable(this.clock, options.idleTimeoutMs ?? 600_000);
    const events: ConnectionEvents = {
      onActivity: (c) => this.table.touch(c.id),
      onMessage: (c, data) => this.deliver(data, c.remote, c.local, c),
      onFramingError: (c, reason, head) => this.onFramingError(c, reason, head),
      onClose: (c) => this.onConnectionClose(c),
    };
    this.streamContext = {
      newConnectionId: (protocol) => `${protocol}-${this.random.token(9)}`,
      acceptSource: (source) => this.admit(source),
      adopt: (c) => this.adopt(c),
      events,
      limits: { maxMessageBytes: this.maxMessageBytes },
      logger: this.logger,
      clock: this.clock,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      connecting: new Set<Socket>(),
    };
    this.dialer = new ConnectionDialer(this.table, this.streamContext, options.tlsClient ?? {});
  }

  get stats(): TransportStats {
    return { ...this.counters, connections: this.table.size };
  }

  /** Binds a UDP socket; resolves with the bound address. */
  async listenUdp(host: string, port: number): Promise<TransportAddress> {
    this.assertOpen();
    const endpoint = await UdpEndpoint.bind(host, port, (data, source, local) => this.onDatagram(data, source, local), this.logger);
    if (this.closed) {
      endpoint.close();
      throw new TransportError('Transport layer closed');
    }
    this.udp.push(endpoint);
    this.warningHosts.clear();
    this.sentBy.clear();
    return endpoint.local;
  }

  async listenTcp(host: string, port: number): Promise<TransportAddress> {
    this.assertOpen();
    const { server, address } = await listenTcp(host, port, this.streamContext);
    return this.addStreamListener('tcp', server, address);
  }

  async listenTls(host: string, port: number, credentials: TlsServerCredentials): Promise<TransportAddress> {
    this.assertOpen();
    const { server, address } = await listenTls(host, port, credentials, this.streamContext);
    return this.addStreamListener('tls', server, address);
  }

  /** Serves SIP over WebSocket (RFC 7118) at `options.path` of an HTTP(S) server owned by the caller. */
  attachWebSocket(server: HttpServer | HttpsServer, options: WebSocketMountOptions): void {
    this.assertOpen();
    this.warningHosts.clear();
    this.sentBy.clear();
    this.websockets.push(
      new WebSocketEndpoint(server, options, {
        newConnectionId: this.streamContext.newConnectionId,
        acceptSource: (source) => this.admit(source),
        adopt: (c) => this.adopt(c),
        events: this.streamContext.events,
        maxMessageBytes: this.maxMessageBytes,
        logger: this.logger,
      }),
    );
  }

  isReliable(protocol: TransportProtocol): boolean {
    return isReliableProtocol(protocol);
  }

  /** Keeps a connection open while idle (a registered flow) until `untilMs` clock time, or for good. */
  keepConnection(connectionId: string, untilMs?: number): boolean {
    return this.table.keep(connectionId, untilMs);
  }

  isConnectionOpen(connectionId: string): boolean {
    return this.table.get(connectionId) !== undefined;
  }

  /**
   * Host and port for Via sent-by (and our Contact) on `protocol` (IPv6 hosts bracketed), for a
   * message going `toward` that address: an IPv6 peer gets an IPv6 host, an IPv4 one (mapped
   * or not) an IPv4 host. Throws if not listening on the protocol.
   */
  viaSentBy(protocol: TransportProtocol, toward?: string): { host: string; port: number } {
    const family = toward === undefined ? undefined : addressFamilyOf(toward);
    // Asked for every request we send (Via, Contact): cached until the listeners change.
    const key = family === undefined ? protocol : `${protocol}/${family}`;
    const cached = this.sentBy.get(key);
    if (cached !== undefined) return { host: cached.host, port: cached.port };
    const candidates = this.boundAddresses().filter((a) => a.protocol === protocol);
    // Of several listeners, one that serves the peer's family ("::" serves both).
    const bound = (family === undefined ? undefined : candidates.find((a) => servesFamily(a.address, family))) ?? candidates[0];
    if (!bound) throw new TransportError(`Not listening on ${protocol}`);
    const sentBy = { host: advertisedHost(bound, this.options.publicHost, family), port: bound.port };
    this.sentBy.set(key, sentBy);
    return { host: sentBy.host, port: sentBy.port };
  }

  /** Every address and port we listen on, wildcard binds expanded to interface addresses. */
  localAddresses(): TransportAddress[] {
    return this.boundAddresses().flatMap(expandWildcard);
  }

  async send(message: SipMessage, target: SendTarget): Promise<void> {
    await this.sendCounted(serializeMessage(message), target);
  }

  sendResponse(message: SipMessage, inbound?: InboundMessage): Promise<void> {
    return sendResponseWith(this, message, inbound);
  }

  prepareResponse(message: SipMessage, inbound?: InboundMessage): PreparedResponse | TransportError {
    const prepared = prepareResponse(message, inbound);
    if (typeof prepared !== 'string') return prepared;
    this.counters.sendErrors++;
    return new TransportError(prepared);
  }

  async sendPrepared(prepared: PreparedResponse): Promise<void> {
    await this.sendCounted(prepared.bytes, prepared.target, prepared.local, prepared.bulk === true);
  }

  /** Closes every socket, server and connection and clears every timer; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const endpoint of this.udp) endpoint.close();
    for (const { server } of this.streamListeners) server.close();
    for (const ws of this.websockets) ws.close();
    for (const socket of this.streamContext.connecting) socket.destroy();
    const connections = this.table.all();
    this.table.clear();
    for (const c of connections) c.destroy();
    this.udp.length = 0;
    this.streamListeners.length = 0;
    this.websockets.length = 0;
  }

  private assertOpen(): void {
    if (this.closed) throw new TransportError('Transport layer closed');
  }

  private addStreamListener(protocol: 'tcp' | 'tls', server: Server, address: TransportAddress): TransportAddress {
    if (this.closed) {
      server.close();
      throw new TransportError('Transport layer closed');
    }
    this.streamListeners.push({ protocol, server, address });
    this.warningHosts.clear();
    this.sentBy.clear();
    return address;
  }

  private boundAddresses(): TransportAddress[] {
    const ws = this.websockets.flatMap((w) => w.localAddress() ?? []);
    return [...this.udp.map((u) => u.local), ...this.streamListeners.map((l) => l.address), ...ws];
  }

  /** Host named in Warning headers; cached because it is needed for every inbound message. */
  private warningHost(protocol: TransportProtocol): string {
    let host = this.warningHosts.get(protocol);
    if (host === undefined) {
      try {
        host = this.viaSentBy(protocol).host;
      } catch {
        host = this.options.publicHost ?? 'atende';
      }
      this.warningHosts.set(protocol, host);
    }
    return host;
  }

  private admit(source: TransportAddress): boolean {
    if (this.closed) return false;
    const accept = this.options.acceptSource;
    if (!accept) return true;
    try {
      if (accept(source)) return true;
    } catch (err) {
      this.logger.error({ err }, 'acceptSource threw; refusing');
    }
    this.counters.dropped++;
    return false;
  }

  private adopt(connection: Connection): void {
    if (this.closed) {
      connection.destroy();
      return;
    }
    this.table.add(connection);
    this.logger.debug({ connectionId: connection.id, remote: connection.remote }, 'SIP connection open');
  }

  private onConnectionClose(connection: Connection): void {
    const known = this.table.has(connection.id);
    this.table.remove(connection.id);
    if (!known || this.closed) return;
    this.logger.debug({ connectionId: connection.id }, 'SIP connection closed');
    try {
      this.options.onConnectionClosed?.(connection.id);
    } catch (err) {
      this.logger.error({ err }, 'onConnectionClosed threw');
    }
  }

  private onDatagram(data: Buffer, source: TransportAddress, local: TransportAddress): void {
    if (!this.admit(source)) return;
    if (isUdpKeepAlive(data)) return;
    this.deliver(data, source, local);
  }

  /** Parses and hands up one message; a broken request is answered to its source. */
  private deliver(data: Buffer, source: TransportAddress, local: TransportAddress, connection?: Connection): void {
    if (this.closed) return;
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ source, sip: data.toString('utf8') }, 'SIP in');
    if (this.options.divert !== undefined && this.offerDiverted(data, source, local, connection)) return;
    const result = readInbound(data, source, this.warningHost(local.protocol), { maxMessageBytes: this.maxMessageBytes });
    if (result.kind === 'rejected') {
      this.counters.parseErrors++;
      this.logger.debug({ source, reason: result.reason }, 'SIP message rejected');
      if (!result.response) {
        this.counters.dropped++;
        return;
      }
      const target: SendTarget = { ...source };
      if (connection) target.connectionId = connection.id;
      this.sendCounted(serializeMessage(result.response), target, local).catch((err: unknown) =>
        this.logger.debug({ err }, 'Could not answer a broken request'),
      );
      return;
    }
    this.counters.received++;
    const inbound: InboundMessage = { message: result.message, source, local, receivedAt: this.clock.now() };
    if (connection) inbound.connectionId = connection.id;
    try {
      const pending = this.options.onMessage(inbound);
      if (pending instanceof Promise) pending.catch((err: unknown) => this.logger.error({ err }, 'onMessage rejected'));
    } catch (err) {
      this.logger.error({ err }, 'onMessage threw');
    }
  }

  /** True when the divert hook took the message (counted as received: SIP is not idle). */
  private offerDiverted(data: Buffer, source: TransportAddress, local: TransportAddress, connection?: Connection): boolean {
    const raw: RawInbound = { data, source, local, warningHost: this.warningHost(local.protocol) };
    if (connection) raw.connectionId = connection.id;
    try {
      if (this.options.divert?.(raw) !== true) return false;
    } catch (err) {
      this.logger.error({ err }, 'divert threw');
      return false;
    }
    this.counters.received++;
    return true;
  }

  /** A diverted message its taker could not parse: a parse error (dropped if unanswered), not received. */
  countDivertedRejection(answered: boolean): void {
    this.counters.received--;
    this.counters.parseErrors++;
    if (!answered) this.counters.dropped++;
  }

  private onFramingError(connection: Connection, reason: string, head?: Buffer): void {
    this.counters.parseErrors++;
    this.logger.debug({ connectionId: connection.id, reason }, 'SIP stream framing error');
    const response = rejectionForBrokenStream(head, reason, this.warningHost(connection.protocol));
    if (!response) this.counters.dropped++;
    closeBrokenStream(connection, response && serializeMessage(response), this.counters);
  }

  private async sendCounted(data: Buffer, target: SendTarget, localHint?: TransportAddress, bulk = false): Promise<void> {
    try {
      if (this.closed) throw new TransportError('Transport layer closed');
      await this.sendBytes(data, target, localHint, bulk);
      this.counters.sent++;
      if (this.logger.isLevelEnabled('trace')) this.logger.trace({ target, sip: data.toString('utf8') }, 'SIP out');
    } catch (err) {
      this.counters.sendErrors++;
      throw err instanceof TransportError ? err : new TransportError(`Send failed: ${String(err)}`, { cause: err });
    }
  }

  private async sendBytes(data: Buffer, target: SendTarget, localHint?: TransportAddress, bulk = false): Promise<void> {
    if (target.protocol === 'udp') {
      const address = unbracketHost(target.address);
      const endpoint = pickUdpEndpoint(this.udp, address, localHint);
      if (!endpoint) throw new TransportError('Not listening on udp');
      await endpoint.send(data, address, target.port, bulk);
      return;
    }
    const connection = await this.dialer.connectionFor(target);
    await connection.write(data);
    this.table.touch(connection.id);
  }
}
