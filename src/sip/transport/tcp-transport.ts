/** SIP over TCP (RFC 3261 18): a listening server and outgoing client connections. */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Connection } from './connection-table.js';
import { normalizeAddress, socketAddresses, SocketConnection, type ConnectionEvents } from './stream-connection.js';
import type { StreamFramerLimits } from './stream-framer.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress, TransportProtocol } from './types.js';

/** What the stream transports need from the layer that owns them. */
export interface StreamContext {
  newConnectionId(protocol: TransportProtocol): string;
  /** The SBC's admission hook; false destroys the connection before anything is read. */
  acceptSource(source: TransportAddress): boolean;
  /** Registers a new connection (inbound or outbound) with the layer. */
  adopt(connection: Connection): void;
  events: ConnectionEvents;
  limits: Partial<StreamFramerLimits>;
  logger: Logger;
  clock: Clock;
  connectTimeoutMs: number;
  /** Sockets still connecting, so closing the layer can abort them. */
  connecting: Set<Socket>;
}

/** Wraps a connected socket; undefined (and the socket destroyed) when refused or already gone. */
export function adoptSocket(
  socket: Socket,
  protocol: TransportProtocol,
  inbound: boolean,
  ctx: StreamContext,
): Connection | undefined {
  const addresses = socketAddresses(socket, protocol);
  if (!addresses) {
    socket.destroy();
    return undefined;
  }
  const connection = new SocketConnection(
    ctx.newConnectionId(protocol),
    protocol,
    addresses.remote,
    addresses.local,
    inbound,
    socket,
    ctx.events,
    ctx.limits,
    ctx.logger,
  );
  ctx.adopt(connection);
  return connection;
}

/** Checks acceptSource for a new inbound socket; refused sockets are destroyed silently. */
export function admitSocket(socket: Socket, protocol: TransportProtocol, ctx: StreamContext): boolean {
  const address = socket.remoteAddress;
  const port = socket.remotePort;
  if (address === undefined || port === undefined) {
    socket.destroy();
    return false;
  }
  let accepted = false;
  try {
    accepted = ctx.acceptSource({ protocol, address: normalizeAddress(address), port });
  } catch (err) {
    ctx.logger.error({ err }, 'acceptSource threw; refusing the connection');
  }
  if (!accepted) socket.destroy();
  return accepted;
}

/** Binds a server; resolves with the bound address (port 0 picks one). */
export function listenServer(server: Server, host: string, port: number, protocol: TransportProtocol): Promise<TransportAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(new TransportError(`Cannot listen on ${protocol} ${host}:${port}: ${err.message}`, { cause: err }));
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      const bound = server.address();
      if (bound === null || typeof bound === 'string') {
        reject(new TransportError(`No address for ${protocol} listener`));
        return;
      }
      resolve({ protocol, address: normalizeAddress(bound.address), port: bound.port });
    });
  });
}

/** A TCP listener whose accepted sockets become inbound connections. */
export async function listenTcp(host: string, port: number, ctx: StreamContext): Promise<{ server: Server; address: TransportAddress }> {
  const server = createServer((socket) => {
    socket.on('error', (err) => ctx.logger.debug({ err }, 'TCP socket error'));
    if (!admitSocket(socket, 'tcp', ctx)) return;
    adoptSocket(socket, 'tcp', true, ctx);
  });
  server.on('error', (err) => ctx.logger.error({ err }, 'TCP listener error'));
  const address = await listenServer(server, host, port, 'tcp');
  return { server, address };
}

/**
 * Runs a socket's connect with a Clock timeout; resolves once `readyEvent` fires. The socket
 * is destroyed on failure.
 */
export function awaitConnect(
  socket: Socket,
  readyEvent: 'connect' | 'secureConnect',
  label: string,
  ctx: StreamContext,
  check?: () => Error | undefined,
): Promise<Socket> {
  ctx.connecting.add(socket);
  const connected = new Promise<Socket>((resolve, reject) => {
    const timer = ctx.clock.setTimer(ctx.connectTimeoutMs, () => {
      socket.destroy();
      reject(new TransportError(`Connecting to ${label} timed out`));
    });
    const onError = (err: Error): void => {
      ctx.clock.clearTimer(timer);
      socket.destroy();
      reject(new TransportError(`Cannot connect to ${label}: ${err.message}`, { cause: err }));
    };
    // destroy() without an error (the layer closing) emits only 'close'.
    const onClose = (): void => onError(new Error('closed before connecting'));
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.once(readyEvent, () => {
      ctx.clock.clearTimer(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      const failure = check?.();
      if (failure) {
        socket.destroy();
        reject(new TransportError(`Cannot connect to ${label}: ${failure.message}`, { cause: failure }));
        return;
      }
      resolve(socket);
    });
  });
  return connected.finally(() => ctx.connecting.delete(socket));
}

/** Opens a TCP connection to a peer. */
export async function connectTcp(address: string, port: number, ctx: StreamContext): Promise<Connection> {
  const socket = createConnection({ host: address, port });
  // Errors after the connect phase are logged; the close event does the cleanup.
  socket.on('error', (err) => ctx.logger.debug({ err }, 'TCP socket error'));
  await awaitConnect(socket, 'connect', `tcp ${address}:${port}`, ctx);
  const connection = adoptSocket(socket, 'tcp', false, ctx);
  if (!connection) throw new TransportError(`Connection to tcp ${address}:${port} closed at once`);
  return connection;
}
