import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDtmfParseError } from './parse-error.js';
import { parseTelephoneEvents, serializeTelephoneEvents } from './telephone-event.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('RFC 4733 telephone-event payload', () => {
  it('reads known byte vectors', () => {
    // Digit 5 update: event 5, E=0, volume 10, duration 160 (20 ms at 8 kHz).
    expect(parseTelephoneEvents(hex('05 0a 00 a0'))).toEqual([{ event: 5, end: false, volume: 10, duration: 160 }]);
    // '#' (11) end packet: E=1, volume 10, duration 800 (100 ms).
    expect(parseTelephoneEvents(hex('0b 8a 03 20'))).toEqual([{ event: 11, end: true, volume: 10, duration: 800 }]);
    // 'D' (15), volume 63, max duration; the R bit (0x40) is ignored.
    expect(parseTelephoneEvents(hex('0f ff ff ff'))).toEqual([{ event: 15, end: true, volume: 63, duration: 65535 }]);
    // Flash (16), two packed blocks.
    expect(parseTelephoneEvents(hex('01 8a 03 20 10 07 01 40'))).toEqual([
      { event: 1, end: true, volume: 10, duration: 800 },
      { event: 16, end: false, volume: 7, duration: 320 },
    ]);
  });

  it('writes the same bytes', () => {
    expect(Buffer.from(serializeTelephoneEvents([{ event: 5, end: false, volume: 10, duration: 160 }])).toString('hex')).toBe('050a00a0');
    expect(
      Buffer.from(
        serializeTelephoneEvents([
          { event: 1, end: true, volume: 10, duration: 800 },
          { event: 11, end: true, volume: 10, duration: 800 },
        ]),
      ).toString('hex'),
    ).toBe('018a03200b8a0320');
  });

  it('returns a ParseError for lengths that are not 4n, n >= 1', () => {
    for (const s of ['', '05', '050a00', '050a00a000']) expect(isDtmfParseError(parseTelephoneEvents(hex(s)))).toBe(true);
  });

  it('refuses to write out-of-range fields', () => {
    expect(() => serializeTelephoneEvents([{ event: 256, end: false, volume: 0, duration: 0 }])).toThrow(RangeError);
    expect(() => serializeTelephoneEvents([{ event: 1, end: false, volume: 64, duration: 0 }])).toThrow(RangeError);
    expect(() => serializeTelephoneEvents([{ event: 1, end: false, volume: 0, duration: 65536 }])).toThrow(RangeError);
  });

  it('round-trips any valid blocks and never throws on any bytes', () => {
    const block = fc.record({
      event: fc.integer({ min: 0, max: 255 }),
      end: fc.boolean(),
      volume: fc.integer({ min: 0, max: 63 }),
      duration: fc.integer({ min: 0, max: 65535 }),
    });
    fc.assert(fc.property(fc.array(block, { minLength: 1, maxLength: 5 }), (evs) => {
      expect(parseTelephoneEvents(serializeTelephoneEvents(evs))).toEqual(evs);
    }));
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      parseTelephoneEvents(bytes);
    }));
  });
});
