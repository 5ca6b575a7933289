/**
 * RTP/RTCP socket pairs a media worker bound ahead of need (the `reserve` command), on ports
 * the main thread allocated. A `createEndpoint` naming one of these ports takes its pair
 * synchronously: the main thread could answer with the binding at once, and the call's offer
 * goes out without waiting for this thread (bench/RESULTS.md, SIP run 10).
 */
import type { Socket } from 'node:dgram';
import { bindRtpSockets } from '../endpoint/index.js';

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

  /**
   * Binds a pair (`port`, `port + 1`) on `localAddress` for each of `ports`; resolves with the
   * ports it bound. The others failed (a port another program holds, say): the main thread
   * frees them and draws others later.
   */
  async reserve(localAddress: string, ports: readonly number[]): Promise<number[]> {
    const bound: number[] = [];
    for (const port of ports) {
      if (this.closed || this.pairs.has(port)) continue;
      try {
        const { rtp, rtcp } = await bindRtpSockets(localAddress, port, false);
        if (this.closed || rtcp === undefined) {
          rtp.close();
          rtcp?.close();
          continue;
        }
        this.pairs.set(port, { localAddress, rtp, rtcp });
        bound.push(port);
      } catch {
        // Not bound: left out of the answer.
      }
    }
    return bound;
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
