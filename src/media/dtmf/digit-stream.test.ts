import { describe, expect, it } from 'vitest';
import type { DtmfDigit } from './dtmf-event.js';
import { DigitStream, type DigitSource, type SourcedDigit } from './digit-stream.js';

const d = (digit: DtmfDigit, source: DigitSource, atMs: number): SourcedDigit => ({ digit, source, atMs });
const show = (xs: readonly SourcedDigit[]): string => xs.map((x) => `${x.digit}/${x.source}`).join(' ');

describe('DigitStream', () => {
  it('passes single-source digits straight through, repeats included', () => {
    const s = new DigitStream();
    const out = [d('1', 'rfc4733', 0), d('1', 'rfc4733', 150), d('2', 'rfc4733', 300)].flatMap((x) => [...s.push(x)]);
    expect(show(out)).toBe('1/rfc4733 1/rfc4733 2/rfc4733');
    const inband = new DigitStream();
    expect(show([d('5', 'inband', 0), d('5', 'inband', 100)].flatMap((x) => [...inband.push(x)]))).toBe('5/inband 5/inband');
  });

  it('one key press arriving as RFC 4733 and in-band counts once', () => {
    const s = new DigitStream();
    expect(show(s.push(d('7', 'rfc4733', 1000)))).toBe('7/rfc4733');
    expect(s.push(d('7', 'inband', 1080))).toEqual([]);
    expect(s.duplicates).toBe(1);
    // A different digit is not a duplicate, even close in time.
    expect(show([...s.push(d('8', 'inband', 1100)), ...s.poll(2000)])).toBe('8/inband');
  });

  it('pairs duplicates one-to-one: "55" typed fast and sent both ways is two digits', () => {
    const s = new DigitStream();
    const out = [
      d('5', 'rfc4733', 0),
      d('5', 'inband', 70),
      d('5', 'rfc4733', 140),
      d('5', 'inband', 210),
    ].flatMap((x) => [...s.push(x)]);
    expect(show([...out, ...s.poll(1000)])).toBe('5/rfc4733 5/rfc4733');
  });

  it('prefers RFC 4733: an in-band digit arriving first is held and replaced', () => {
    const s = new DigitStream({ inbandHoldMs: 120 });
    s.push(d('1', 'rfc4733', 0)); // the peer uses RFC 4733
    expect(s.push(d('4', 'inband', 5000))).toEqual([]);
    expect(s.nextDeadlineMs()).toBe(5120);
    expect(show(s.push(d('4', 'rfc4733', 5040)))).toBe('4/rfc4733');
    expect(s.poll(6000)).toEqual([]);
  });

  it('releases a held in-band digit when no RFC 4733 copy comes, in order', () => {
    const s = new DigitStream({ inbandHoldMs: 120 });
    s.push(d('1', 'rfc4733', 0));
    expect(s.push(d('4', 'inband', 5000))).toEqual([]);
    expect(s.poll(5119)).toEqual([]);
    expect(show(s.poll(5120))).toBe('4/inband');
    // A late RFC 4733 copy within the window is still a duplicate.
    expect(s.push(d('4', 'rfc4733', 5200))).toEqual([]);
    // Held digits come out before a later digit pushed after their deadline.
    s.push(d('6', 'inband', 6000));
    expect(show(s.push(d('9', 'rfc4733', 6500)))).toBe('6/inband 9/rfc4733');
  });

  it('does not hold in-band digits from a peer that never sent RFC 4733', () => {
    const s = new DigitStream();
    expect(show(s.push(d('3', 'inband', 0)))).toBe('3/inband');
  });

  it('dedupes SIP INFO against RFC 4733 too, but not outside the window', () => {
    const s = new DigitStream({ duplicateWindowMs: 300 });
    expect(show(s.push(d('#', 'info', 0)))).toBe('#/info');
    expect(s.push(d('#', 'rfc4733', 200))).toEqual([]);
    expect(show(s.push(d('#', 'rfc4733', 2000)))).toBe('#/rfc4733');
  });
});
