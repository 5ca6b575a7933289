/**
 * SIP over WebSocket (RFC 7118): subprotocol "sip", one SIP message per WebSocket message,
 * in text or binary frames. Mounted on an HTTP(S) server the app owns, at one path.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../../core/logger.js';
import type { Connection } from './connection-table.js';
import { normalizeAddress, type ConnectionEvents } from './stream-connection.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress, TransportProtocol } from './types.js';

export interface WebSocketMountOptions {
  /** Request path the SIP endpoint answers on, e.g. "/sip". */
  path: string;
  /** True on an HTTPS server: connections are WSS. */
  secure: boolean;
}

export interface WebSocketContext {
  newConnectionId(protocol: TransportProtocol): string;
  acceptSource(source: TransportAddress): boolean;
  adopt(connection: Connection): void;
  events: ConnectionEvents;
  maxMessageBytes: number;
  logger: Logger;
}

const PING = '\r\n\r\n';
const PONG = Buffer.from('\r\n');

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Whether the client's Sec-WebSocket-Protocol offers "sip" (RFC 7118 section 4.1 requires it). */
function offersSip(req: IncomingMessage): boolean {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((p) => p.trim().toLowerCase() === 'sip');
}

class WebSocketConnection implements Connection {
  readonly inbound = true;

  constructor(
    readonly id: string,
    readonly protocol: TransportProtocol,
    readonly remote: TransportAddress,
    readonly local: TransportAddress,
    private readonly ws: WebSocket,
    events: ConnectionEvents,
    logger: Logger,
  ) {
    ws.on('message', (raw: RawData) => {
      events.onActivity(this);
      const data = toBuffer(raw);
      // Keep-alives: SIP.js and others send a CRLF ping over WS too; answer with a pong, skip lone CRLFs.
      if (/^(\r\n)+$/.test(data.toString('latin1'))) {
        if (data.toString('latin1') === PING) this.write(PONG).catch(() => undefined);
        return;
      }
      events.onMessage(this, data);
    });
    ws.on('error', (err) => logger.debug({ err, connectionId: id }, 'WebSocket error'));
    ws.on('close', () => events.onClose(this));
  }

  isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  write(data: Buffer): Promise<void> {
    if (!this.isOpen()) return Promise.reject(new TransportError(`Connection ${this.id} is closed`));
    return new Promise((resolve, reject) => {
      // Text frames for UTF-8 messages (what browsers expect); binary when a body is not UTF-8.
      this.ws.send(data, { binary: !isUtf8(data) }, (err) => {
        if (err) reject(new TransportError(`Write on ${this.id} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  end(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }

  destroy(): void {
    this.ws.terminate();
  }
}

/** A SIP WebSocket endpoint on one HTTP(S) server; `close()` detaches it and drops its connections. */
export class WebSocketEndpoint {
  private readonly wss: WebSocketServer;
  private readonly onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  private closed = false;
  readonly protocol: TransportProtocol;

  constructor(
    readonly server: HttpServer | HttpsServer,
    readonly options: WebSocketMountOptions,
    ctx: WebSocketContext,
  ) {
    const protocol: TransportProtocol = options.secure ? 'wss' : 'ws';
    this.protocol = protocol;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: ctx.maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    this.onUpgrade = (req, socket, head) => {
      const pathname = (req.url ?? '').split('?')[0];
      // Other paths belong to other listeners (the API's event stream, for one).
      if (pathname !== options.path) return;
      socket.on('error', (err) => ctx.logger.debug({ err }, 'WebSocket upgrade socket error'));
      const address = req.socket.remoteAddress;
      const port = req.socket.remotePort;
      if (this.closed || address === undefined || port === undefined) {
        socket.destroy();
        return;
      }
      const remote: TransportAddress = { protocol, address: normalizeAddress(address), port };
      let accepted = false;
      try {
        accepted = ctx.acceptSource(remote);
      } catch (err) {
        ctx.logger.error({ err }, 'acceptSource threw; refusing the connection');
      }
      if (!accepted) {
        socket.destroy();
        return;
      }
      if (!offersSip(req)) {
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const local: TransportAddress = {
        protocol,
        address: normalizeAddress(req.socket.localAddress ?? ''),
        port: req.socket.localPort ?? 0,
      };
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        ctx.adopt(new WebSocketConnection(ctx.newConnectionId(protocol), protocol, remote, local, ws, ctx.events, ctx.logger));
      });
    };
    server.on('upgrade', this.onUpgrade);
  }

  /** The port the HTTP(S) server listens on, once it listens. */
  localAddress(): TransportAddress | undefined {
    const bound = this.server.address();
    if (bound === null || typeof bound === 'string') return undefined;
    return { protocol: this.protocol, address: normalizeAddress(bound.address), port: bound.port };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.off('upgrade', this.onUpgrade);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
