/**
 * One endpoint's received digits, whichever way they arrived: RFC 4733 events (from the
 * endpoint's receiver) and in-band tones (from the media graph's detector on the decoded audio)
 * meet in one DigitStream, so a key press that arrives both ways is reported once, RFC 4733
 * preferred. In-band digits the stream holds back (waiting for an RFC 4733 copy) are released
 * by poll(now), which the media clock calls while `pending`. Times are monotonic ms.
 */
import { DigitStream, type DtmfDigit, type SourcedDigit } from '../dtmf/index.js';
import type { DtmfSource, InbandDtmfMode, RemoteDescription } from './endpoint-types.js';

const MODES: readonly InbandDtmfMode[] = ['auto', 'on', 'off'];

/** The mode an option asks for; throws RangeError on anything else. */
export function checkInbandDtmfMode(mode: unknown): InbandDtmfMode {
  if (mode === undefined) return 'auto';
  if (!MODES.includes(mode as InbandDtmfMode)) throw new RangeError(`inbandDtmf ${String(mode)} is not auto, on or off`);
  return mode as InbandDtmfMode;
}

/** True when `mode` wants in-band detection for a peer that signalled `remote`. */
export function inbandDtmfWanted(mode: InbandDtmfMode, remote: Readonly<RemoteDescription> | undefined): boolean {
  if (mode === 'off' || !remote) return false;
  return mode === 'on' || remote.telephoneEventPayloadType === undefined;
}

export class EndpointDigits {
  private readonly stream = new DigitStream();
  /** Digits reported. */
  reported = 0;

  constructor(private readonly deliver: (digit: DtmfDigit, source: DtmfSource) => void) {}

  /** Digits dropped as the second copy of one key press. */
  get duplicates(): number {
    return this.stream.duplicates;
  }

  /** True while an in-band digit waits for its hold to end (poll() has work). */
  get pending(): boolean {
    return this.stream.nextDeadlineMs() !== undefined;
  }

  push(digit: DtmfDigit, source: DtmfSource, atMs: number): void {
    this.report(this.stream.push({ digit, source, atMs }));
  }

  poll(nowMs: number): void {
    this.report(this.stream.poll(nowMs));
  }

  private report(digits: readonly SourcedDigit[]): void {
    for (let i = 0; i < digits.length; i++) {
      const d = digits[i]!;
      this.reported++;
      // The stream also carries SIP INFO digits elsewhere; this one only ever holds ours.
      this.deliver(d.digit, d.source as DtmfSource);
    }
  }
}
