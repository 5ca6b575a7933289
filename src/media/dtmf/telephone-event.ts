/**
 * RFC 4733 section 2.3 telephone-event payload: one or more 4-byte blocks
 *
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     event     |E|R| volume    |          duration             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Several blocks in one payload are consecutive events packed together (section 2.5.1.5):
 * block i starts at the packet timestamp plus the durations of blocks 0..i-1.
 */
import { dtmfParseError, type DtmfParseError } from './parse-error.js';

/** One 4-byte telephone-event block. */
export interface TelephoneEvent {
  /** Event code 0..255 (0-15 DTMF, 16 flash). */
  event: number;
  /** E bit: this is the end of the event. */
  end: boolean;
  /** Power level in -dBm0, 0..63 (section 2.3.4). */
  volume: number;
  /** Duration so far, in RTP timestamp units, 0..65535. */
  duration: number;
}

export const TELEPHONE_EVENT_BLOCK_BYTES = 4;
/** The largest duration one block can carry (section 2.5.1.3: longer events are segmented). */
export const MAX_EVENT_DURATION = 0xffff;

/** Number of whole blocks in a payload, or a ParseError when the length is not 4n with n >= 1. */
export function telephoneEventCount(payload: Uint8Array): number | DtmfParseError {
  if (payload.length < TELEPHONE_EVENT_BLOCK_BYTES) return dtmfParseError('telephone-event payload shorter than 4 bytes');
  if (payload.length % TELEPHONE_EVENT_BLOCK_BYTES !== 0) {
    return dtmfParseError(`telephone-event payload length ${payload.length} is not a multiple of 4`);
  }
  return payload.length / TELEPHONE_EVENT_BLOCK_BYTES;
}

/** Reads block `index` into `out` without allocating; the caller has checked the length. */
export function readTelephoneEvent(payload: Uint8Array, index: number, out: TelephoneEvent): TelephoneEvent {
  const o = index * TELEPHONE_EVENT_BLOCK_BYTES;
  const flags = payload[o + 1] as number;
  out.event = payload[o] as number;
  out.end = (flags & 0x80) !== 0;
  out.volume = flags & 0x3f; // the R bit (0x40) is ignored on receipt
  out.duration = ((payload[o + 2] as number) << 8) | (payload[o + 3] as number);
  return out;
}

/** Parses every block of a telephone-event payload. */
export function parseTelephoneEvents(payload: Uint8Array): TelephoneEvent[] | DtmfParseError {
  const n = telephoneEventCount(payload);
  if (typeof n !== 'number') return n;
  const events: TelephoneEvent[] = [];
  for (let i = 0; i < n; i++) events.push(readTelephoneEvent(payload, i, { event: 0, end: false, volume: 0, duration: 0 }));
  return events;
}

/** Writes one block at byte `offset` of `out`. Throws RangeError on values that do not fit (our own bug). */
export function writeTelephoneEvent(out: Uint8Array, offset: number, ev: TelephoneEvent): void {
  if (!(ev.event >= 0 && ev.event <= 255 && Number.isInteger(ev.event))) throw new RangeError(`event ${ev.event}`);
  if (!(ev.volume >= 0 && ev.volume <= 63 && Number.isInteger(ev.volume))) throw new RangeError(`volume ${ev.volume}`);
  if (!(ev.duration >= 0 && ev.duration <= MAX_EVENT_DURATION && Number.isInteger(ev.duration))) {
    throw new RangeError(`duration ${ev.duration}`);
  }
  out[offset] = ev.event;
  out[offset + 1] = (ev.end ? 0x80 : 0) | ev.volume;
  out[offset + 2] = ev.duration >>> 8;
  out[offset + 3] = ev.duration & 0xff;
}

/** Serializes blocks into a new payload (4 bytes per block). */
export function serializeTelephoneEvents(events: readonly TelephoneEvent[]): Uint8Array {
  const out = new Uint8Array(events.length * TELEPHONE_EVENT_BLOCK_BYTES);
  events.forEach((ev, i) => writeTelephoneEvent(out, i * TELEPHONE_EVENT_BLOCK_BYTES, ev));
  return out;
}
