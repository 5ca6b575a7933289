/**
 * RTP over plain UDP: one socket for RTP and, without rtcp-mux, one for RTCP on port + 1.
 * Symmetric RTP: we send from the port we receive on, to the signalled remote or to the
 * source latched during the first packets (RtpLatch). With rtcp-mux, RTCP is told from RTP
 * by its packet type (RFC 5761 4).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { literalLookup, type Clock } from '../../core/index.js';
import { isRtcp } from '../rtcp/index.js';
import { RtpLatch, type RtpLatchOptions } from './rtp-latch.js';
import type { DatagramGuard, RtpTransport, RtpTransportReceiver, TransportRemote } from './rtp-transport.js';

export interface UdpRtpTransportOptions {
  localAddress: string;
  port: number;
  rtcpMux: boolean;
  clock: Clock;
  latch: RtpLatchOptions;
}

/** A bind failure, with the errno code (EADDRINUSE lets the caller try another port). */
export class BindError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Binds one UDP socket (exclusive, IP literals resolved synchronously); rejects with BindError. */
export function bindUdpSocket(type: 'udp4' | 'udp6', address: string, port: number): Promise<Socket> {
  // The cast: @types/node types the lookup options as an object, dgram passes the family number.
  const socket = createSocket({ type, lookup: literalLookup as never });
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.close();
      reject(new BindError(err.code ?? 'bind_failed', `cannot bind ${address}:${port}: ${err.message}`));
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * Binds an RTP socket on `port` of `localAddress` and, unless rtcpMux, its RTCP socket on
 * port + 1 (the RTP one is closed again if that fails); rejects with BindError.
 */
export async function bindRtpSockets(localAddress: string, port: number, rtcpMux: boolean): Promise<{ rtp: Socket; rtcp: Socket | undefined }> {
  const family = isIP(localAddress);
  if (family === 0) throw new BindError('invalid_argument', `local address ${localAddress} is not an IP address`);
  const type = family === 6 ? 'udp6' : 'udp4';
  const rtp = await bindUdpSocket(type, localAddress, port);
  if (rtcpMux) return { rtp, rtcp: undefined };
  try {
    return { rtp, rtcp: await bindUdpSocket(type, localAddress, rtp.address().port + 1) };
  } catch (err) {
    rtp.close();
    throw err;
  }
}

export class UdpRtpTransport implements RtpTransport {
  receiver: RtpTransportReceiver | undefined;
  /** Authenticates and opens datagrams before latching and delivery (SRTP); none for plain RTP. */
  guard: DatagramGuard | undefined;
  readonly localAddress: string;
  readonly port: number;
  readonly rtcpPort: number | undefined;
  private droppedCount = 0;
  private sendErrors = 0;
  private readonly rtpLatch: RtpLatch;
  private readonly rtcpLatch: RtpLatch;
  private hasRemote = false;
  /** The RTP socket is connected to the remote (see connectSettled). */
  private connectedRtp = false;
  /** connect() failed for this remote: sends keep the address (tried again after setRemote). */
  private connectFailed = false;
  private rtcpMux: boolean;
  private closed = false;
  private readonly onRtpMessage = (msg: Buffer, rinfo: RemoteInfo): void => this.receiveRtpSocket(msg, rinfo);
  private readonly onRtcpMessage = (msg: Buffer, rinfo: RemoteInfo): void => this.receiveRtcpSocket(msg, rinfo);
  private readonly onSocketError = (): void => {
    // Send failures (unreachable networks) surface here; they do not end the endpoint.
    this.sendErrors++;
  };

  private constructor(
    private readonly clock: Clock,
    private readonly rtpSocket: Socket,
    private rtcpSocket: Socket | undefined,
    latch: RtpLatchOptions,
    localAddress: string,
  ) {
    this.localAddress = localAddress;
    this.port = rtpSocket.address().port;
    this.rtcpPort = rtcpSocket?.address().port;
    this.rtcpMux = rtcpSocket === undefined;
    this.rtpLatch = new RtpLatch(latch);
    this.rtcpLatch = new RtpLatch(latch);
    rtpSocket.on('message', this.onRtpMessage);
    rtpSocket.on('error', this.onSocketError);
    rtcpSocket?.on('message', this.onRtcpMessage);
    rtcpSocket?.on('error', this.onSocketError);
  }

  /** Binds the RTP socket (and the RTCP one on port + 1 unless rtcpMux); rejects with BindError. */
  static async open(options: UdpRtpTransportOptions): Promise<UdpRtpTransport> {
    const { rtp, rtcp } = await bindRtpSockets(options.localAddress, options.port, options.rtcpMux);
    return new UdpRtpTransport(options.clock, rtp, rtcp, options.latch, options.localAddress);
  }

  /**
   * A transport on sockets bound earlier (a reserved pair, see media/worker/spare-sockets.ts),
   * made synchronously. With rtcpMux the RTCP socket is closed: its port stays allocated with
   * the pair.
   */
  static adopt(options: Omit<UdpRtpTransportOptions, 'port'>, rtp: Socket, rtcp: Socket): UdpRtpTransport {
    if (options.rtcpMux) rtcp.close();
    return new UdpRtpTransport(options.clock, rtp, options.rtcpMux ? undefined : rtcp, options.latch, options.localAddress);
  }

  get remoteAddress(): string | undefined {
    return this.hasRemote ? this.rtpLatch.address : undefined;
  }
  get remotePort(): number | undefined {
    return this.hasRemote ? this.rtpLatch.port : undefined;
  }
  get latched(): boolean {
    return this.rtpLatch.latched;
  }
  get dropped(): number {
    return this.droppedCount;
  }
  get sendFailures(): number {
    return this.sendErrors;
  }
  /** True once the RTP socket is connected to its settled remote. */
  get connected(): boolean {
    return this.connectedRtp;
  }

  setRemote(remote: TransportRemote, nowMs: number): void {
    const family = isIP(remote.address) === 6 ? 6 : 4;
    if (this.connectedRtp && (remote.address !== this.rtpLatch.address || remote.port !== this.rtpLatch.port)) {
      // A new remote (re-INVITE): receive from anyone again while the latch window reopens.
      this.rtpSocket.disconnect();
      this.connectedRtp = false;
    }
    this.connectFailed = false;
    this.rtpLatch.signal(remote.address, remote.port, family, nowMs);
    this.rtcpLatch.signal(remote.address, remote.rtcpPort, family, nowMs);
    this.hasRemote = true;
    if (remote.rtcpMux && !this.rtcpMux) {
      // The answer accepted rtcp-mux: the RTCP socket is no longer needed (RFC 5761 5.1.1).
      this.rtcpMux = true;
      this.rtcpSocket?.close();
      this.rtcpSocket = undefined;
    }
  }

  sendRtp(packet: Uint8Array, length = packet.length): void {
    if (!this.hasRemote || this.closed) return;
    if (this.connectedRtp || this.connectSettled()) this.rtpSocket.send(packet, 0, length);
    else this.rtpSocket.send(packet, 0, length, this.rtpLatch.port, this.rtpLatch.address);
  }

  sendRtcp(packet: Uint8Array): void {
    if (!this.hasRemote || this.closed) return;
    if (this.rtcpMux || !this.rtcpSocket) {
      if (this.connectedRtp) this.rtpSocket.send(packet);
      else this.rtpSocket.send(packet, this.rtpLatch.port, this.rtpLatch.address);
    } else {
      this.rtcpSocket.send(packet, this.rtcpLatch.port, this.rtcpLatch.address);
    }
  }

  /**
   * Connects the RTP socket once its remote can no longer change by itself: plain RTP (no
   * guard), the latch window closed, and the remote still the signalled one (a learnt source
   * stays unconnected, so the signalled one can still take it back). Each send then skips
   * dgram's address handling and the kernel's route lookup (~1 µs of ~4.5 µs a packet), and the
   * kernel drops packets from anyone else, as the latch would.
   */
  private connectSettled(): boolean {
    if (this.connectFailed || this.guard !== undefined || this.rtpLatch.latched || this.rtpLatch.isOpen(this.clock.monotonic())) return false;
    try {
      // IP literals resolve synchronously (literalLookup), so the socket is connected on return.
      this.rtpSocket.connect(this.rtpLatch.port, this.rtpLatch.address);
      this.rtpSocket.remoteAddress();
      this.connectedRtp = true;
    } catch {
      this.connectFailed = true;
    }
    return this.connectedRtp;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rtpSocket.close();
    this.rtcpSocket?.close();
    this.rtcpSocket = undefined;
  }

  private receiveRtpSocket(msg: Buffer, rinfo: RemoteInfo): void {
    const receiver = this.receiver;
    if (!this.hasRemote || !receiver || msg.length < 8) {
      this.droppedCount++;
      return;
    }
    const now = this.clock.monotonic();
    const looksRtcp = isRtcp(msg);
    // Only RTP may latch the RTP port (never an RTCP report, muxed or stray).
    const mayLatch = (msg[0]! & 0xc0) === 0x80 && !looksRtcp;
    const decision = this.rtpLatch.peek(rinfo.address, rinfo.port, rinfo.family === 'IPv6' ? 6 : 4, now, mayLatch);
    if (decision === 'drop') {
      this.droppedCount++;
      return;
    }
    const rtcp = this.rtcpMux && looksRtcp;
    const packet = this.guard ? this.guard.admit(msg, rtcp) : msg;
    if (packet === undefined) return;
    this.rtpLatch.commit(rinfo.address, rinfo.port, decision);
    if (decision === 'latched') receiver.onLatched(rinfo.address, rinfo.port, false);
    if (rtcp) receiver.onRtcp(packet, now);
    else receiver.onRtp(packet, now);
  }

  private receiveRtcpSocket(msg: Buffer, rinfo: RemoteInfo): void {
    const receiver = this.receiver;
    if (!this.hasRemote || !receiver || msg.length < 8) {
      this.droppedCount++;
      return;
    }
    const now = this.clock.monotonic();
    const mayLatch = (msg[0]! & 0xc0) === 0x80 && isRtcp(msg);
    const decision = this.rtcpLatch.peek(rinfo.address, rinfo.port, rinfo.family === 'IPv6' ? 6 : 4, now, mayLatch);
    if (decision === 'drop') {
      this.droppedCount++;
      return;
    }
    const packet = this.guard ? this.guard.admit(msg, true) : msg;
    if (packet === undefined) return;
    this.rtcpLatch.commit(rinfo.address, rinfo.port, decision);
    if (decision === 'latched') receiver.onLatched(rinfo.address, rinfo.port, true);
    receiver.onRtcp(packet, now);
  }
}
