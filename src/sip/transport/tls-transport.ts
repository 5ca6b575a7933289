/** SIP over TLS (RFC 3261 26.2): a listening server and outgoing client connections. */
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect, createServer, type Server, type TLSSocket } from 'node:tls';
import type { Connection } from './connection-table.js';
import { admitSocket, adoptSocket, awaitConnect, listenServer, type StreamContext } from './tcp-transport.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress } from './types.js';

export interface TlsServerCredentials {
  key: string | Buffer;
  cert: string | Buffer;
}

export interface TlsClientOptions {
  /** Accept peers whose certificate is self-signed (a lab or a phone's own certificate). Default false. */
  allowSelfSigned?: boolean;
  /** Extra trusted CA certificates (PEM). */
  ca?: string | string[];
}

/** OpenSSL verification codes that mean "self-signed", the only failures allowSelfSigned forgives. */
const selfSignedErrors = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

/** A TLS listener; the source check runs on the raw TCP connection, before the handshake. */
export async function listenTls(
  host: string,
  port: number,
  credentials: TlsServerCredentials,
  ctx: StreamContext,
): Promise<{ server: Server; address: TransportAddress }> {
  const server = createServer({ key: credentials.key, cert: credentials.cert }, (socket: TLSSocket) => {
    socket.on('error', (err) => ctx.logger.debug({ err }, 'TLS socket error'));
    adoptSocket(socket, 'tls', true, ctx);
  });
  server.on('connection', (socket: Socket) => {
    socket.on('error', (err: Error) => ctx.logger.debug({ err }, 'TLS raw socket error'));
    admitSocket(socket, 'tls', ctx);
  });
  server.on('tlsClientError', (err: Error) => ctx.logger.debug({ err }, 'TLS handshake failed'));
  server.on('error', (err) => ctx.logger.error({ err }, 'TLS listener error'));
  const address = await listenServer(server, host, port, 'tls');
  return { server, address };
}

/** Opens a TLS connection; the peer's certificate must verify unless allowSelfSigned forgives self-signing. */
export async function connectTls(
  address: string,
  port: number,
  options: TlsClientOptions,
  ctx: StreamContext,
): Promise<Connection> {
  const socket = tlsConnect({
    host: address,
    port,
    // SNI takes host names only.
    ...(isIP(address) === 0 ? { servername: address } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    // Verification is decided below so that only self-signed failures can be forgiven.
    rejectUnauthorized: false,
  });
  // Errors after the connect phase are logged; the close event does the cleanup.
  socket.on('error', (err) => ctx.logger.debug({ err }, 'TLS socket error'));
  await awaitConnect(socket, 'secureConnect', `tls ${address}:${port}`, ctx, () => {
    if (socket.authorized) return undefined;
    const reason = String(socket.authorizationError ?? 'certificate not verified');
    if (options.allowSelfSigned && selfSignedErrors.has(reason)) return undefined;
    return new Error(`certificate rejected: ${reason}`);
  });
  const connection = adoptSocket(socket, 'tls', false, ctx);
  if (!connection) throw new TransportError(`Connection to tls ${address}:${port} closed at once`);
  return connection;
}
