/** SIP over UDP (RFC 3261 18): one datagram carries one message. */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';
import type { Logger } from '../../core/logger.js';
import { literalLookup } from '../../core/literal-lookup.js';
import { forEachBatched, MessageBatch } from '../../core/message-batch.js';
import { normalizeAddress } from './stream-connection.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress } from './types.js';

/** Largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP). */
export const maxUdpPayload = 65_507;

/** True for datagrams that are only keep-alive padding (CRLFs) or STUN (RFC 5626 4.4.2), never SIP. */
export function isUdpKeepAlive(data: Buffer): boolean {
  if (data.every((b) => b === 0x0d || b === 0x0a || b === 0x00)) return true;
  // STUN: first two bits zero and the magic cookie 0x2112A442 (RFC 5389 6).
  return data.length >= 20 && (data[0]! & 0xc0) === 0 && data.readUInt32BE(4) === 0x2112a442;
}

/** One bound UDP socket. */
const UDP_BUFFER_BYTES = 4 * 1024 * 1024;

interface OutgoingDatagram {
  data: Buffer;
  /** As the socket needs it (IPv4-mapped on a dual-stack socket). */
  to: string;
  address: string;
  port: number;
  resolve(): void;
  reject(err: TransportError): void;
}

export class UdpEndpoint {
  private closed = false;
  /**
   * Bulk datagrams (answers to REGISTER) leave together at the end of the loop turn that
   * produced them. A datagram to a peer that sleeps costs its wake-up inside our send; one
   * turn's answers sent as a burst wake it once. At 4,000 REGISTER/s from SIPp that took the main
   * thread from ~254 to ~149 µs per registration (SIP run 14). Everything else goes at once: held
   * to the turn's end, the several hops of a call setup each waited for the rest of their turn,
   * and INVITE->200 p95 at 250 calls/s rose from ~3.7 to ~5.9 ms.
   */
  private readonly outbox = new MessageBatch<OutgoingDatagram>((batch) => forEachBatched(batch, (d) => this.transmit(d)));

  private constructor(
    private readonly socket: Socket,
    readonly local: TransportAddress,
  ) {}

  /** Binds host:port (port 0 picks one); each datagram goes to `onDatagram`. */
  static bind(
    host: string,
    port: number,
    onDatagram: (data: Buffer, source: TransportAddress, local: TransportAddress) => void,
    logger: Logger,
  ): Promise<UdpEndpoint> {
    // A large receive buffer absorbs bursts (a phone fleet re-registering after an outage);
    // the kernel caps it at net.core.rmem_max.
    // The cast: @types/node types the lookup options as an object, dgram passes the family number.
    const socket = createSocket({
      type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false, recvBufferSize: UDP_BUFFER_BYTES, sendBufferSize: UDP_BUFFER_BYTES,
      lookup: literalLookup as never,
    });
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.close();
        reject(new TransportError(`Cannot bind udp ${host}:${port}: ${err.message}`, { cause: err }));
      };
      socket.once('error', onError);
      socket.bind({ address: host, port }, () => {
        socket.off('error', onError);
        const bound = socket.address();
        const endpoint = new UdpEndpoint(socket, { protocol: 'udp', address: normalizeAddress(bound.address), port: bound.port });
        socket.on('error', (err) => logger.warn({ err }, 'UDP socket error'));
        socket.on('message', (data, rinfo) => {
          onDatagram(data, { protocol: 'udp', address: normalizeAddress(rinfo.address), port: rinfo.port }, endpoint.local);
        });
        resolve(endpoint);
      });
    });
  }

  get isIPv6(): boolean {
    return isIPv6(this.local.address);
  }

  /** Bound to "::": IPv6 and, on Linux, IPv4 peers too (mapped). */
  private get dualStack(): boolean {
    return this.local.address === '::';
  }

  /** Sends one datagram, `bulk` ones at the turn's end; rejects with TransportError (too large, unreachable, closed). */
  send(data: Buffer, address: string, port: number, bulk = false): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError('UDP socket is closed'));
    if (data.length > maxUdpPayload) {
      return Promise.reject(new TransportError(`Message of ${data.length} bytes is too large for UDP`));
    }
    // A dual-stack "::" socket reaches IPv4 peers only by their mapped address (IPv4 peers
    // are known by their plain address everywhere else: normalizeAddress).
    const to = this.dualStack && isIPv4(address) ? `::ffff:${address}` : address;
    return new Promise((resolve, reject) => {
      const datagram: OutgoingDatagram = { data, to, address, port, resolve, reject };
      if (bulk) {
        this.outbox.add(datagram);
        return;
      }
      // What was queued before it goes first: datagrams leave in the order they were sent.
      this.outbox.flush();
      this.transmit(datagram);
    });
  }

  private transmit(d: OutgoingDatagram): void {
    if (this.closed) {
      d.reject(new TransportError('UDP socket is closed'));
      return;
    }
    try {
      this.socket.send(d.data, d.port, d.to, (err) => {
        if (err) d.reject(new TransportError(`UDP send to ${d.address}:${d.port} failed: ${err.message}`, { cause: err }));
        else d.resolve();
      });
    } catch (err) {
      // dgram throws synchronously on a bad port or a closed socket.
      d.reject(new TransportError(`UDP send to ${d.address}:${d.port} failed: ${String(err)}`, { cause: err }));
    }
  }

  /** Sends the bulk datagrams still queued (answers to REGISTER), then closes. */
  close(): void {
    if (this.closed) return;
    this.outbox.flush();
    this.closed = true;
    this.socket.close();
  }
}

/** The socket the request came in on (symmetric response, RFC 3581), else one of the right family. */
export function pickUdpEndpoint(endpoints: readonly UdpEndpoint[], address: string, localHint?: TransportAddress): UdpEndpoint | undefined {
  if (localHint?.protocol === 'udp') {
    const same = endpoints.find((u) => u.local.port === localHint.port && u.local.address === localHint.address);
    if (same) return same;
  }
  const ipv6 = isIPv6(address);
  return endpoints.find((u) => u.isIPv6 === ipv6) ?? endpoints[0];
}
