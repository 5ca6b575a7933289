/**
 * Turns received RFC 4733 telephone-event packets into one 'digit' per key press.
 *
 * An event is identified by its RTP timestamp (section 2.5.1.1: every packet of one event,
 * updates and the three end packets alike, carries the timestamp of the event's start), so:
 * - the digit is emitted on the FIRST packet seen for a new timestamp, whether or not it has
 *   the marker bit (the start packet may be lost); an IVR reacts at once instead of waiting for
 *   the key to be released, and a lost end packet cannot swallow the digit;
 * - a separate 'end' output carries the final duration once, when the first end packet arrives
 *   (or when the next event starts without one); consumers that only want digits ignore it;
 * - updates, end retransmissions and late/reordered packets of an event already seen change no
 *   digit; packets older than the newest event are dropped (serial-number arithmetic);
 * - long events split into segments (section 2.5.1.3, new timestamp = old + 0xFFFF) stay one digit;
 * - packed blocks (section 2.5.1.5) are read in order, block i starting at timestamp + the
 *   durations of blocks before it, so redundant copies of an earlier event are recognized.
 * A new SSRC is a new stream: the caller calls reset().
 */
import { dtmfDigitOfEvent, type DtmfDigit } from './dtmf-event.js';
import {
  MAX_EVENT_DURATION,
  readTelephoneEvent,
  telephoneEventCount,
  type TelephoneEvent,
} from './telephone-event.js';

/** What the receiver is given for each telephone-event RTP packet. */
export interface TelephoneEventPacket {
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
}

export type Rfc4733Output =
  | { readonly type: 'digit'; readonly digit: DtmfDigit; readonly timestamp: number; readonly volume: number }
  | {
      readonly type: 'end';
      readonly digit: DtmfDigit;
      readonly timestamp: number;
      /** Total duration in RTP timestamp units (segments added up). */
      readonly duration: number;
      readonly durationMs: number;
    };

export interface Rfc4733ReceiverOptions {
  /** RTP clock rate of the telephone-event payload type (8000 unless the SDP says otherwise). */
  clockRate?: number;
  /** Packets further back than this are taken as a restarted timestamp, not as late packets. */
  staleWindowMs?: number;
}

export interface Rfc4733ReceiverStats {
  packets: number;
  invalid: number;
  digits: number;
  /** Late packets of events older than the newest one. */
  stale: number;
  /** Events that are not digits (flash, tones, modem events). */
  ignored: number;
}

const HISTORY = 8;
const NO_OUTPUT: readonly Rfc4733Output[] = Object.freeze([]);

export class Rfc4733Receiver {
  private readonly clockRate: number;
  private readonly staleWindow: number;
  // Ring of recent events, typed arrays so a packet allocates nothing.
  private readonly segTs = new Uint32Array(HISTORY); // timestamp of the current segment
  private readonly startTs = new Uint32Array(HISTORY); // timestamp of the first segment
  private readonly code = new Int16Array(HISTORY);
  private readonly baseDuration = new Float64Array(HISTORY); // durations of finished segments
  private readonly duration = new Uint16Array(HISTORY); // duration within the current segment
  private readonly ended = new Uint8Array(HISTORY);
  private count = 0;
  private newest = -1;
  private readonly block: TelephoneEvent = { event: 0, end: false, volume: 0, duration: 0 };
  readonly stats: Rfc4733ReceiverStats = { packets: 0, invalid: 0, digits: 0, stale: 0, ignored: 0 };

  constructor(opts: Rfc4733ReceiverOptions = {}) {
    this.clockRate = opts.clockRate ?? 8000;
    this.staleWindow = Math.round(((opts.staleWindowMs ?? 10_000) * this.clockRate) / 1000);
  }

  /** Feeds one packet; returns the digits (and ends) it produced, usually none. */
  process(packet: TelephoneEventPacket): readonly Rfc4733Output[] {
    this.stats.packets++;
    const n = telephoneEventCount(packet.payload);
    if (typeof n !== 'number') {
      this.stats.invalid++;
      return NO_OUTPUT;
    }
    let out: Rfc4733Output[] | undefined;
    let ts = packet.timestamp >>> 0;
    for (let i = 0; i < n; i++) {
      const b = readTelephoneEvent(packet.payload, i, this.block);
      out = this.onBlock(ts, b, out);
      ts = (ts + b.duration) >>> 0;
    }
    return out ?? NO_OUTPUT;
  }

  /** Forgets every event (new SSRC, or a re-INVITE that restarts the stream). */
  reset(): void {
    this.count = 0;
    this.newest = -1;
  }

  private onBlock(ts: number, b: TelephoneEvent, out: Rfc4733Output[] | undefined): Rfc4733Output[] | undefined {
    const known = this.find(ts, b.event);
    if (known >= 0) return this.update(known, b, out);

    const cont = this.findSegmentOf(ts, b.event);
    if (cont >= 0) {
      // Section 2.5.1.3: the next segment of a long event; the digit was already reported.
      this.baseDuration[cont] = (this.baseDuration[cont] as number) + MAX_EVENT_DURATION;
      this.segTs[cont] = ts;
      this.duration[cont] = 0;
      return this.update(cont, b, out);
    }

    if (this.newest >= 0) {
      const behind = ((this.segTs[this.newest] as number) - ts) | 0;
      if (behind > 0 && behind < this.staleWindow) {
        this.stats.stale++;
        return out;
      }
      // The previous event never sent an end packet we saw: a new one starting ends it.
      if (this.ended[this.newest] === 0) out = this.finish(this.newest, out);
    }

    const slot = (this.newest + 1) % HISTORY;
    this.newest = slot;
    if (this.count < HISTORY) this.count++;
    this.segTs[slot] = ts;
    this.startTs[slot] = ts;
    this.code[slot] = b.event;
    this.baseDuration[slot] = 0;
    this.duration[slot] = b.duration;
    this.ended[slot] = 0;

    const digit = dtmfDigitOfEvent(b.event);
    if (digit === undefined) {
      this.stats.ignored++;
      this.ended[slot] = b.end ? 1 : 0;
      return out;
    }
    this.stats.digits++;
    (out ??= []).push({ type: 'digit', digit, timestamp: ts, volume: b.volume });
    return b.end ? this.finish(slot, out) : out;
  }

  private update(slot: number, b: TelephoneEvent, out: Rfc4733Output[] | undefined): Rfc4733Output[] | undefined {
    if (b.duration > (this.duration[slot] as number)) this.duration[slot] = b.duration;
    if (b.end && this.ended[slot] === 0) return this.finish(slot, out);
    return out;
  }

  private finish(slot: number, out: Rfc4733Output[] | undefined): Rfc4733Output[] | undefined {
    this.ended[slot] = 1;
    const digit = dtmfDigitOfEvent(this.code[slot] as number);
    if (digit === undefined) return out;
    const duration = (this.baseDuration[slot] as number) + (this.duration[slot] as number);
    (out ??= []).push({
      type: 'end',
      digit,
      timestamp: this.startTs[slot] as number,
      duration,
      durationMs: (duration * 1000) / this.clockRate,
    });
    return out;
  }

  private find(ts: number, event: number): number {
    for (let k = 0, s = this.newest; k < this.count; k++, s = (s - 1 + HISTORY) % HISTORY) {
      if (this.segTs[s] === ts && this.code[s] === event) return s;
    }
    return -1;
  }

  private findSegmentOf(ts: number, event: number): number {
    const s = this.newest;
    if (s < 0 || this.code[s] !== event) return -1;
    // Some senders set the E bit on a full segment; a full segment still continues.
    if (this.ended[s] !== 0 && this.duration[s] !== MAX_EVENT_DURATION) return -1;
    if (((ts - (this.segTs[s] as number)) >>> 0) !== MAX_EVENT_DURATION) return -1;
    this.ended[s] = 0;
    return s;
  }
}
