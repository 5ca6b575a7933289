/**
 * RTP/RTCP socket pairs a media worker bound ahead of need (the `reserve` command), on ports
 * the main thread allocated. A `createEndpoint` naming one of these ports takes its pair
 * synchronously: the main thread could answer with the binding at once, and the call's offer
 * goes out without waiting for this thread (bench/RESULTS.md, SIP run 10).
 */
import type { Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { BindError, bindUdpSocket } from '../endpoint/index.js';

interface SocketPair {
  localAddress: string;
  rtp: Socket;
  rtcp: Socket;
}

export class SpareSockets {
  private readonly pairs = new Map<number, SocketPair>();
  private closed = false;

  get size(): number {
    return this.pairs.size;
  }

  /** Binds `port` and `port + 1` on `localAddress`; rejects with BindError (EADDRINUSE...). */
  async reserve(localAddress: string, port: number): Promise<void> {
    const family = isIP(localAddress);
    if (family === 0) throw new BindError('invalid_argument', `local address ${localAddress} is not an IP address`);
    if (this.pairs.has(port)) throw new BindError('endpoint_exists', `port ${port} is already reserved`);
    const type = family === 6 ? 'udp6' : 'udp4';
    const rtp = await bindUdpSocket(type, localAddress, port);
    let rtcp: Socket;
    try {
      rtcp = await bindUdpSocket(type, localAddress, port + 1);
    } catch (err) {
      rtp.close();
      throw err;
    }
    if (this.closed) {
      rtp.close();
      rtcp.close();
      return;
    }
    this.pairs.set(port, { localAddress, rtp, rtcp });
  }

  /** The pair reserved on `port` for `localAddress`, now the caller's; undefined when there is none. */
  take(localAddress: string, port: number): { rtp: Socket; rtcp: Socket } | undefined {
    const pair = this.pairs.get(port);
    if (pair === undefined || pair.localAddress !== localAddress) return undefined;
    this.pairs.delete(port);
    return pair;
  }

  /** Closes every pair not taken; later reservations close at once. */
  close(): void {
    this.closed = true;
    for (const { rtp, rtcp } of this.pairs.values()) {
      rtp.close();
      rtcp.close();
    }
    this.pairs.clear();
  }
}
