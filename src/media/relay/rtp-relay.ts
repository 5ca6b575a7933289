/**
 * Connects two endpoints of one worker both ways (a back-to-back call's media). Each
 * endpoint's accepted packets go through its RelayPath to the other; a re-INVITE on either
 * side (setRemote) re-decides copy or transcode for both directions.
 */
import type { RandomSource } from '../../core/index.js';
import type { PacketKind, RtpEndpoint, RtpForwarder } from '../endpoint/index.js';
import type { RtpHeaderView } from '../rtp/index.js';
import { RelayPath, type RelayCounters, type RelayMode, type RelayTicker } from './relay-path.js';

/** The forwarder installed on one endpoint: its packets take `path`. */
class RelayInlet implements RtpForwarder {
  constructor(
    private readonly path: RelayPath,
    private readonly relay: RtpRelay,
  ) {}
  forward(packet: Buffer, view: RtpHeaderView, kind: PacketKind, nowMs: number): void {
    this.path.forward(packet, view, kind, nowMs);
  }
  remoteChanged(): void {
    this.relay.reconfigure();
  }
}

export class RtpRelay {
  private readonly aToB: RelayPath;
  private readonly bToA: RelayPath;
  private closed = false;

  /**
   * Installs itself on both endpoints; throws if either is already relayed. `ticker` (the
   * worker's media clock) drives a transcoding direction's jitter buffer.
   */
  constructor(
    readonly a: RtpEndpoint,
    readonly b: RtpEndpoint,
    random: RandomSource,
    ticker: RelayTicker,
  ) {
    if (a === b) throw new RangeError('cannot relay an endpoint to itself');
    if (a.forwarder || b.forwarder) throw new RangeError('endpoint already connected');
    this.aToB = new RelayPath(a, b, random, ticker);
    this.bToA = new RelayPath(b, a, random, ticker);
    a.forwarder = new RelayInlet(this.aToB, this);
    b.forwarder = new RelayInlet(this.bToA, this);
    this.reconfigure();
  }

  /** True when either direction decodes and re-encodes. */
  get transcoding(): boolean {
    return this.aToB.mode === 'transcode' || this.bToA.mode === 'transcode';
  }

  get modes(): { aToB: RelayMode; bToA: RelayMode } {
    return { aToB: this.aToB.mode, bToA: this.bToA.mode };
  }

  get counters(): { aToB: Readonly<RelayCounters>; bToA: Readonly<RelayCounters> } {
    return { aToB: this.aToB.counters, bToA: this.bToA.counters };
  }

  /** The other endpoint of the relay. */
  peerOf(endpoint: RtpEndpoint): RtpEndpoint | undefined {
    return endpoint === this.a ? this.b : endpoint === this.b ? this.a : undefined;
  }

  /** Re-decides both directions from the current remote descriptions. */
  reconfigure(): void {
    if (this.closed) return;
    this.aToB.configure();
    this.bToA.configure();
  }

  /** Detaches from both endpoints and frees transcoders; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.a.forwarder instanceof RelayInlet) this.a.forwarder = undefined;
    if (this.b.forwarder instanceof RelayInlet) this.b.forwarder = undefined;
    this.aToB.close();
    this.bToA.close();
  }
}
