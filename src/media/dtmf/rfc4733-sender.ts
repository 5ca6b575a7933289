/**
 * The RFC 4733 packet sequence for sending one digit, as data the caller paces and stamps.
 *
 * Section 2.5.1: the first packet has the marker bit; updates every `updateIntervalMs` carry the
 * same RTP timestamp (the event start) and the duration so far; the end packet (E bit, final
 * duration) is sent three times (section 2.5.1.4). Events longer than 0xFFFF timestamp units
 * (8.2 s at 8 kHz, 1.37 s at 48 kHz) are split into segments whose timestamp advances by 0xFFFF
 * (section 2.5.1.3). The caller adds `timestampOffset` to the event's start timestamp, gives each
 * packet its own RTP sequence number, and sends it `sendAtMs` after the key press began.
 */
import { dtmfEventOfDigit, type DtmfDigit } from './dtmf-event.js';
import { MAX_EVENT_DURATION, serializeTelephoneEvents } from './telephone-event.js';

export interface Rfc4733SenderOptions {
  /** RTP clock rate of the negotiated telephone-event payload type. */
  clockRate?: number;
  /** Interval between update packets (and between the end retransmissions). */
  updateIntervalMs?: number;
  /** How many times the end packet is sent. */
  endPackets?: number;
  /** Level in -dBm0 written in the volume field (0..63). */
  volume?: number;
}

export interface TelephoneEventSendPacket {
  readonly payload: Uint8Array;
  readonly marker: boolean;
  /** Added to the event's start RTP timestamp; non-zero only for later segments of long events. */
  readonly timestampOffset: number;
  /** When to send, in ms from the start of the key press. */
  readonly sendAtMs: number;
  readonly end: boolean;
  /** Duration field of this packet, in timestamp units. */
  readonly duration: number;
}

export class Rfc4733Sender {
  private readonly clockRate: number;
  private readonly intervalMs: number;
  private readonly endPackets: number;
  private readonly volume: number;

  constructor(opts: Rfc4733SenderOptions = {}) {
    this.clockRate = opts.clockRate ?? 8000;
    this.intervalMs = opts.updateIntervalMs ?? 50;
    this.endPackets = opts.endPackets ?? 3;
    this.volume = opts.volume ?? 10;
    if (!(this.intervalMs > 0)) throw new RangeError('updateIntervalMs must be positive');
    if (!(this.endPackets >= 1)) throw new RangeError('endPackets must be at least 1');
  }

  /** The packets for one key press of `durationMs` (a digit, or a raw event code such as 16, flash). */
  packets(digit: DtmfDigit | number, durationMs: number): TelephoneEventSendPacket[] {
    const event = typeof digit === 'number' ? digit : dtmfEventOfDigit(digit);
    if (event === undefined) throw new RangeError(`not a DTMF digit: ${String(digit)}`);
    const total = Math.max(0, Math.round((durationMs * this.clockRate) / 1000));
    const out: TelephoneEventSendPacket[] = [];
    let segment = 0; // timestamp offset of the current segment
    for (let t = 0; t < durationMs; t += this.intervalMs) {
      let elapsed = Math.round((t * this.clockRate) / 1000);
      while (elapsed - segment > MAX_EVENT_DURATION) {
        // Close the full segment, then continue in a new one without the marker bit.
        out.push(this.packet(event, false, segment, t, false, MAX_EVENT_DURATION));
        segment += MAX_EVENT_DURATION;
      }
      elapsed -= segment;
      out.push(this.packet(event, t === 0, segment, t, false, elapsed));
    }
    while (total - segment > MAX_EVENT_DURATION) {
      out.push(this.packet(event, out.length === 0, segment, durationMs, false, MAX_EVENT_DURATION));
      segment += MAX_EVENT_DURATION;
    }
    for (let i = 0; i < this.endPackets; i++) {
      out.push(this.packet(event, out.length === 0, segment, durationMs + i * this.intervalMs, true, total - segment));
    }
    return out;
  }

  private packet(
    event: number,
    marker: boolean,
    timestampOffset: number,
    sendAtMs: number,
    end: boolean,
    duration: number,
  ): TelephoneEventSendPacket {
    const payload = serializeTelephoneEvents([{ event, end, volume: this.volume, duration }]);
    return { payload, marker, timestampOffset, sendAtMs, end, duration };
  }
}
