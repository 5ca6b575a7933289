// What an endpoint hands on: the kind of each accepted packet, and the two seams other parts
// plug into (a relay forwards the packets, a tap sees them first to record, mix or echo).
import type { JitterBufferStats } from '../jitter/index.js';
import type { RtpHeaderView } from '../rtp/index.js';

/** What an accepted packet carries. */
export const PacketKind = { Audio: 0, TelephoneEvent: 1, ComfortNoise: 2 } as const;
export type PacketKind = (typeof PacketKind)[keyof typeof PacketKind];

/** RFC 3551 static payload type of comfort noise (RFC 3389). */
export const COMFORT_NOISE_PT = 13;

/** Takes the packets an endpoint accepted (a relay); owns `packet` from then on. */
export interface RtpForwarder {
  forward(packet: Buffer, view: RtpHeaderView, kind: PacketKind, nowMs: number): void;
  /** The endpoint's remote description changed (codec, payload types, ptime). */
  remoteChanged(): void;
}

/**
 * Sees every accepted packet before the forwarder (recording, mixing, echo). It must not
 * modify or keep `packet`: the forwarder owns it next.
 */
export interface RtpTap {
  receive(packet: Buffer, view: RtpHeaderView, kind: PacketKind, nowMs: number): void;
  /** The jitter buffer the tap decodes through, if any (reported in stats). */
  readonly jitterBufferStats?: JitterBufferStats | undefined;
}
