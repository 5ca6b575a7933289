/**
 * Symmetric RTP latching (RFC 4961, "comedia"): a phone behind NAT sends from another
 * address than the one its SDP signalled, so the first packets may move the remote to
 * where they really come from. To keep media from being hijacked later, latching is
 * allowed only from the signalled address family, only once, and only in a window of the
 * first packets/ms after the remote was (re)signalled; afterwards foreign packets are dropped.
 * Only a packet of the right kind may latch (the transport says: RTP on an RTP port): a stray
 * RTCP report from someone else's stream must not take the call's media. And the signalled
 * source itself is always taken back: it came from the call's own signalling, so a packet from
 * it undoes a latch onto a wrong source (an RTCP or RTP packet that arrived first by mistake).
 */

export type LatchDecision = 'accept' | 'latched' | 'drop';

export interface RtpLatchOptions {
  windowMs: number;
  windowPackets: number;
}

export class RtpLatch {
  /** Where packets are accepted from (and sent to) now. */
  address = '';
  port = 0;
  private family = 0;
  private openUntilMs = -1;
  private packetsLeft = 0;
  private moved = false;
  private signalledAddress = '';
  private signalledPort = 0;

  constructor(private readonly options: RtpLatchOptions) {}

  /** True once the remote moved to a learnt source. */
  get latched(): boolean {
    return this.moved;
  }

  /** True while a source may still be learnt. */
  isOpen(nowMs: number): boolean {
    return !this.moved && this.packetsLeft > 0 && nowMs <= this.openUntilMs;
  }

  /**
   * The signalled remote. A change of address or port (a new call or a re-INVITE) reopens
   * the window; repeating the same remote (e.g. a direction change) keeps what was learnt.
   */
  signal(address: string, port: number, family: 4 | 6, nowMs: number): void {
    if (this.openUntilMs >= 0 && address === this.signalledAddress && port === this.signalledPort) return;
    this.signalledAddress = address;
    this.signalledPort = port;
    this.address = address;
    this.port = port;
    this.family = family;
    this.moved = false;
    this.openUntilMs = nowMs + this.options.windowMs;
    this.packetsLeft = this.options.windowPackets;
  }

  /** Decides about one packet from `address:port` (family 4 or 6) arriving at `nowMs`. */
  check(address: string, port: number, family: number, nowMs: number, mayLatch = true): LatchDecision {
    const decision = this.peek(address, port, family, nowMs, mayLatch);
    if (decision !== 'drop') this.commit(address, port, decision);
    return decision;
  }

  /**
   * The decision `check` would take, without acting on it: secure transports peek, then
   * authenticate the packet, and commit only if it passed, so a forged packet neither moves
   * the remote nor uses up the window.
   */
  peek(address: string, port: number, family: number, nowMs: number, mayLatch = true): LatchDecision {
    if (port === this.port && address === this.address) return 'accept';
    if (port === this.signalledPort && address === this.signalledAddress) return 'latched';
    if (!mayLatch || family !== this.family || !this.isOpen(nowMs)) return 'drop';
    return 'latched';
  }

  /** Acts on a peeked 'accept' or 'latched' decision for a packet that proved genuine. */
  commit(address: string, port: number, decision: 'accept' | 'latched'): void {
    if (decision === 'latched') {
      this.address = address;
      this.port = port;
      this.moved = address !== this.signalledAddress || port !== this.signalledPort;
    }
    if (this.packetsLeft > 0) this.packetsLeft--;
  }
}
