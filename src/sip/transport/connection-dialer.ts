/** Finds or opens the stream connection a message to a target goes on (RFC 3261 18, connection reuse). */
import type { Connection, ConnectionTable } from './connection-table.js';
import { unbracketHost } from './response-routing.js';
import { connectTcp, type StreamContext } from './tcp-transport.js';
import { connectTls, type TlsClientOptions } from './tls-transport.js';
import { TransportError } from './transport-error.js';
import type { SendTarget } from './types.js';

export class ConnectionDialer {
  /** Connects in progress, so concurrent sends to one peer share a connection. */
  private readonly pendingConnects = new Map<string, Promise<Connection>>();

  constructor(
    private readonly table: ConnectionTable,
    private readonly ctx: StreamContext,
    private readonly tlsClient: TlsClientOptions,
  ) {}

  /** The given connection if open, an open one to that address, or a new TCP/TLS one. */
  async connectionFor(target: SendTarget): Promise<Connection> {
    if (target.connectionId !== undefined) {
      const byId = this.table.get(target.connectionId);
      if (byId) return byId;
    }
    const { protocol, port } = target;
    const address = unbracketHost(target.address);
    const existing = this.table.findByRemote(protocol, address, port);
    if (existing) return existing;
    if (protocol !== 'tcp' && protocol !== 'tls') {
      throw new TransportError(`No open ${protocol} connection to ${address}:${port}`);
    }
    const key = `${protocol}|${address}|${port}`;
    let pending = this.pendingConnects.get(key);
    if (!pending) {
      const opening =
        protocol === 'tcp'
          ? connectTcp(address, port, this.ctx)
          : connectTls(address, port, this.tlsClient, this.ctx);
      pending = opening
        .then((c) => {
          // Later sends to the name we were given find this connection too.
          this.table.alias(c.id, protocol, address, port);
          return c;
        })
        .finally(() => this.pendingConnects.delete(key));
      this.pendingConnects.set(key, pending);
    }
    return pending;
  }
}
