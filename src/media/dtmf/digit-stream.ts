/**
 * One digit stream per call leg, whichever way digits arrive: RFC 4733 events, in-band tones or
 * SIP INFO. A device that sends a key press both as RFC 4733 and as audio (gateways that do not
 * strip the tone) must yield one digit, so a digit from one source is a duplicate of the same digit
 * from another source within `duplicateWindowMs`. Pairing is one-to-one and in order, so "55"
 * typed quickly and arriving twice by both routes is still two digits.
 *
 * RFC 4733 is preferred: once the peer has sent RFC 4733 digits, an in-band digit is held for
 * `inbandHoldMs` and dropped if the same digit arrives as RFC 4733 meanwhile (it usually comes
 * first anyway, the in-band path adding jitter buffer and detection delay). Held digits are
 * released by the next push() or by poll(now), which the owner calls from its media tick.
 * Time is passed in (ms, any monotonic base).
 */
import type { DtmfDigit } from './dtmf-event.js';

export type DigitSource = 'rfc4733' | 'inband' | 'info';

export interface SourcedDigit {
  readonly digit: DtmfDigit;
  readonly source: DigitSource;
  /** When the digit arrived (or began, for in-band), in the caller's ms time base. */
  readonly atMs: number;
  readonly durationMs?: number;
}

export interface DigitStreamOptions {
  duplicateWindowMs?: number;
  inbandHoldMs?: number;
  /** In-band digits are held only while RFC 4733 has been seen within this long. */
  rfc4733ActiveMs?: number;
}

interface Emitted {
  readonly digit: DtmfDigit;
  readonly source: DigitSource;
  readonly atMs: number;
  matched: number; // bit per source that already paired with this digit
}

const BIT: Record<DigitSource, number> = { rfc4733: 1, inband: 2, info: 4 };
const NONE: readonly SourcedDigit[] = Object.freeze([]);

export class DigitStream {
  private readonly windowMs: number;
  private readonly holdMs: number;
  private readonly activeMs: number;
  private recent: Emitted[] = [];
  private held: { digit: SourcedDigit; releaseAtMs: number }[] = [];
  private lastRfc4733Ms = -Infinity;
  /** Digits dropped as duplicates, for stats. */
  duplicates = 0;

  constructor(opts: DigitStreamOptions = {}) {
    this.windowMs = opts.duplicateWindowMs ?? 300;
    this.holdMs = opts.inbandHoldMs ?? 120;
    this.activeMs = opts.rfc4733ActiveMs ?? 30_000;
  }

  /** Offers a digit from one source; returns the digits to deliver now, in order. */
  push(input: SourcedDigit): readonly SourcedDigit[] {
    const out = this.release(input.atMs);
    if (input.source === 'rfc4733') {
      this.lastRfc4733Ms = input.atMs;
      const h = this.held.findIndex((x) => x.digit.digit === input.digit && Math.abs(input.atMs - x.digit.atMs) <= this.windowMs);
      if (h >= 0) {
        // The in-band copy we were holding for exactly this case: RFC 4733 wins.
        this.held.splice(h, 1);
        this.duplicates++;
        this.emit(input, out, BIT.inband);
        return out;
      }
    }
    const dup = this.recent.find(
      (r) =>
        r.digit === input.digit &&
        r.source !== input.source &&
        (r.matched & BIT[input.source]) === 0 &&
        Math.abs(input.atMs - r.atMs) <= this.windowMs,
    );
    if (dup) {
      dup.matched |= BIT[input.source];
      this.duplicates++;
      return out;
    }
    if (input.source === 'inband' && this.holdMs > 0 && input.atMs - this.lastRfc4733Ms <= this.activeMs) {
      this.held.push({ digit: input, releaseAtMs: input.atMs + this.holdMs });
      return out;
    }
    this.emit(input, out, 0);
    return out;
  }

  /** Releases held in-band digits whose hold has expired. */
  poll(nowMs: number): readonly SourcedDigit[] {
    return this.held.length === 0 ? NONE : this.release(nowMs);
  }

  /** When poll() has something to release, or undefined. */
  nextDeadlineMs(): number | undefined {
    return this.held[0]?.releaseAtMs;
  }

  reset(): void {
    this.recent = [];
    this.held = [];
    this.lastRfc4733Ms = -Infinity;
  }

  private release(nowMs: number): SourcedDigit[] {
    const out: SourcedDigit[] = [];
    while (this.held.length > 0 && (this.held[0] as { releaseAtMs: number }).releaseAtMs <= nowMs) {
      const h = this.held.shift() as { digit: SourcedDigit };
      this.emit(h.digit, out, 0);
    }
    return out;
  }

  private emit(d: SourcedDigit, out: SourcedDigit[], matched: number): void {
    out.push(d);
    this.recent = this.recent.filter((r) => d.atMs - r.atMs <= this.windowMs);
    this.recent.push({ digit: d.digit, source: d.source, atMs: d.atMs, matched });
  }
}
