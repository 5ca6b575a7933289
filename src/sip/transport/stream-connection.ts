/**
 * A TCP or TLS socket as a SIP connection: frames the byte stream, answers CRLF pings
 * with a pong (RFC 5626 3.5.1), reports messages and framing errors to its owner.
 */
import type { Socket } from 'node:net';
import type { Logger } from '../../core/logger.js';
import type { Connection } from './connection-table.js';
import { StreamFramer, type StreamFramerLimits } from './stream-framer.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress, TransportProtocol } from './types.js';

export interface ConnectionEvents {
  /** Any bytes arrived (keeps the connection from idling out). */
  onActivity(connection: Connection): void;
  /** One whole SIP message. */
  onMessage(connection: Connection, data: Buffer): void;
  /** The stream broke framing; the owner may answer 400 and must close the connection. */
  onFramingError(connection: Connection, reason: string, head?: Buffer): void;
  onClose(connection: Connection): void;
}

const PONG = Buffer.from('\r\n');

/** "::ffff:127.0.0.1" -> "127.0.0.1", so IPv4 peers on dual-stack sockets look the same everywhere. */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** The remote and local addresses of a connected socket, or undefined if it is already gone. */
export function socketAddresses(
  socket: Socket,
  protocol: TransportProtocol,
): { remote: TransportAddress; local: TransportAddress } | undefined {
  const { remoteAddress, remotePort, localAddress, localPort } = socket;
  if (remoteAddress === undefined || remotePort === undefined) return undefined;
  return {
    remote: { protocol, address: normalizeAddress(remoteAddress), port: remotePort },
    local: { protocol, address: normalizeAddress(localAddress ?? ''), port: localPort ?? 0 },
  };
}

/** A stream socket wrapped as a Connection; events start flowing at once. */
export class SocketConnection implements Connection {
  private readonly framer: StreamFramer;
  private closed = false;

  constructor(
    readonly id: string,
    readonly protocol: TransportProtocol,
    readonly remote: TransportAddress,
    readonly local: TransportAddress,
    readonly inbound: boolean,
    private readonly socket: Socket,
    private readonly events: ConnectionEvents,
    limits: Partial<StreamFramerLimits>,
    private readonly logger: Logger,
  ) {
    this.framer = new StreamFramer(limits);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.logger.debug({ err, connectionId: id }, 'SIP connection error'));
    socket.on('close', () => {
      this.closed = true;
      this.events.onClose(this);
    });
  }

  isOpen(): boolean {
    return !this.closed && !this.socket.destroyed && this.socket.writable;
  }

  write(data: Buffer): Promise<void> {
    if (!this.isOpen()) return Promise.reject(new TransportError(`Connection ${this.id} is closed`));
    return new Promise((resolve, reject) => {
      this.socket.write(data, (err) => {
        if (err) reject(new TransportError(`Write on ${this.id} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  end(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.events.onActivity(this);
    for (const frame of this.framer.push(chunk)) {
      switch (frame.type) {
        case 'ping':
          // A failed pong surfaces as a socket error/close; nothing else to do here.
          this.write(PONG).catch(() => undefined);
          break;
        case 'message':
          this.events.onMessage(this, frame.data);
          break;
        case 'error':
          // The framer ignores everything after an error; reading on lets the close handshake finish.
          this.events.onFramingError(this, frame.reason, frame.head);
          break;
      }
    }
  }
}

/**
 * A stream that broke framing cannot be read further: it is closed, after the 400 its header
 * block deserves when it held a request, else at once.
 */
export function closeBrokenStream(connection: Connection, rejection: Buffer | undefined, counters: { sent: number; sendErrors: number }): void {
  if (!rejection) {
    connection.destroy();
    return;
  }
  connection
    .write(rejection)
    .then(() => {
      counters.sent++;
      connection.end();
    })
    .catch(() => {
      counters.sendErrors++;
      connection.destroy();
    });
}
