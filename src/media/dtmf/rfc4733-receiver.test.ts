import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DtmfDigit } from './dtmf-event.js';
import { Rfc4733Receiver, type Rfc4733Output, type TelephoneEventPacket } from './rfc4733-receiver.js';
import { Rfc4733Sender } from './rfc4733-sender.js';
import { serializeTelephoneEvents } from './telephone-event.js';

/** The RTP packets a peer sends for `digits`, each `onMs` long, starting `gapMs` apart. */
function stream(digits: string, opts: { onMs?: number; gapMs?: number; ts0?: number; clockRate?: number } = {}): TelephoneEventPacket[][] {
  const clockRate = opts.clockRate ?? 8000;
  const sender = new Rfc4733Sender({ clockRate });
  let ts = opts.ts0 ?? 1000;
  let seq = 100;
  return [...digits].map((d) => {
    const start = ts;
    const pkts = sender.packets(d as DtmfDigit, opts.onMs ?? 120).map((p) => ({
      sequenceNumber: seq++ & 0xffff,
      timestamp: (start + p.timestampOffset) >>> 0,
      marker: p.marker,
      payload: p.payload,
    }));
    ts = (ts + ((opts.gapMs ?? 300) * clockRate) / 1000) >>> 0;
    return pkts;
  });
}

function feed(rx: Rfc4733Receiver, pkts: TelephoneEventPacket[]): Rfc4733Output[] {
  return pkts.flatMap((p) => [...rx.process(p)]);
}
const digits = (out: Rfc4733Output[]): string => out.filter((o) => o.type === 'digit').map((o) => o.digit).join('');

describe('Rfc4733Receiver', () => {
  it('emits the digit on the first packet and one end with the duration', () => {
    const rx = new Rfc4733Receiver();
    const [pkts] = stream('7', { onMs: 120 });
    const first = rx.process(pkts![0]!);
    expect(first).toEqual([{ type: 'digit', digit: '7', timestamp: 1000, volume: 10 }]);
    const rest = feed(rx, pkts!.slice(1));
    expect(rest).toEqual([{ type: 'end', digit: '7', timestamp: 1000, duration: 960, durationMs: 120 }]);
  });

  it('reads a string of digits, repeated digits included', () => {
    const rx = new Rfc4733Receiver();
    expect(digits(feed(rx, stream('1123#*0AD99').flat()))).toBe('1123#*0AD99');
    expect(rx.stats.digits).toBe(11);
  });

  it('tolerates lost start packets: the first update or even only an end packet starts the digit', () => {
    const rx = new Rfc4733Receiver();
    const [a, b] = stream('45');
    const outA = feed(rx, a!.slice(2)); // marker packet and first update lost
    expect(digits(outA)).toBe('4');
    const outB = feed(rx, b!.filter((p) => p.payload[1]! & 0x80).slice(1)); // only the 2nd and 3rd end
    expect(outB.map((o) => o.type)).toEqual(['digit', 'end']);
    expect(digits(outB)).toBe('5');
  });

  it('counts end retransmissions, duplicates and reordering within an event once', () => {
    const rx = new Rfc4733Receiver();
    const [pkts] = stream('9', { onMs: 160 }); // 4 updates + 3 ends
    const shuffled = [pkts![3]!, pkts![0]!, pkts![5]!, pkts![1]!, pkts![5]!, pkts![2]!, pkts![4]!, pkts![6]!, pkts![0]!];
    const out = feed(rx, shuffled);
    expect(out.filter((o) => o.type === 'digit')).toHaveLength(1);
    expect(out.filter((o) => o.type === 'end')).toHaveLength(1);
  });

  it('a new event without an end packet ends the previous one (lost end packets)', () => {
    const rx = new Rfc4733Receiver();
    const [a, b] = stream('12');
    const out = feed(rx, [...a!.filter((p) => !(p.payload[1]! & 0x80)), ...b!]);
    expect(out.map((o) => `${o.type}:${o.digit}`)).toEqual(['digit:1', 'end:1', 'digit:2', 'end:2']);
  });

  it('drops late packets of an older event it never saw (no digit out of order)', () => {
    const rx = new Rfc4733Receiver();
    const [a, b] = stream('12');
    expect(digits(feed(rx, b!.slice(0, 2)))).toBe('2');
    expect(feed(rx, a!)).toEqual([]);
    expect(rx.stats.stale).toBe(a!.length);
  });

  it('late packets of an event already seen only update it', () => {
    const rx = new Rfc4733Receiver();
    const [a, b] = stream('12');
    feed(rx, a!.slice(0, 2));
    feed(rx, b!.slice(0, 2));
    expect(feed(rx, a!.slice(2))).toEqual([]);
  });

  it('uses packed blocks: a redundant copy of the previous event plus the new one', () => {
    const rx = new Rfc4733Receiver();
    // Event '3' at ts 8000 lasting 800 units, then '4' starting right after at ts 8800.
    const packed = (d4: number, end4: boolean) =>
      serializeTelephoneEvents([
        { event: 3, end: true, volume: 10, duration: 800 },
        { event: 4, end: end4, volume: 10, duration: d4 },
      ]);
    const out = [
      ...rx.process({ sequenceNumber: 1, timestamp: 8000, marker: false, payload: packed(160, false) }),
      ...rx.process({ sequenceNumber: 2, timestamp: 8000, marker: false, payload: packed(480, false) }),
      ...rx.process({ sequenceNumber: 3, timestamp: 8000, marker: false, payload: packed(800, true) }),
    ];
    expect(out.map((o) => `${o.type}:${o.digit}@${o.timestamp}`)).toEqual(['digit:3@8000', 'end:3@8000', 'digit:4@8800', 'end:4@8800']);
  });

  it('keeps a long segmented event (RFC 4733 2.5.1.3) as one digit with the total duration', () => {
    const rx = new Rfc4733Receiver({ clockRate: 48000 });
    const out = feed(rx, stream('6', { onMs: 3000, clockRate: 48000 }).flat());
    expect(digits(out)).toBe('6');
    expect(out.filter((o) => o.type === 'end')).toEqual([
      { type: 'end', digit: '6', timestamp: 1000, duration: 144000, durationMs: 3000 },
    ]);
  });

  it('handles RTP timestamp wrap-around', () => {
    const rx = new Rfc4733Receiver();
    expect(digits(feed(rx, stream('123', { ts0: 0xffffffff - 1000 }).flat()))).toBe('123');
  });

  it('ignores non-digit events and malformed payloads without throwing', () => {
    const rx = new Rfc4733Receiver();
    expect(rx.process({ sequenceNumber: 1, timestamp: 5, marker: true, payload: serializeTelephoneEvents([{ event: 16, end: true, volume: 10, duration: 800 }]) })).toEqual([]);
    expect(rx.process({ sequenceNumber: 2, timestamp: 9, marker: true, payload: new Uint8Array([1, 2, 3]) })).toEqual([]);
    expect(rx.stats).toMatchObject({ ignored: 1, invalid: 1, digits: 0 });
  });

  it('reset() starts over for a new stream whose timestamps go backwards', () => {
    const rx = new Rfc4733Receiver();
    feed(rx, stream('1', { ts0: 50_000 }).flat());
    expect(digits(feed(rx, stream('2', { ts0: 49_000 }).flat()))).toBe(''); // looks stale
    rx.reset();
    expect(digits(feed(rx, stream('2', { ts0: 49_000 }).flat()))).toBe('2');
  });

  it('any loss/duplication/reordering of each key press yields each digit at most once, in order', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9*#]{1,6}$/),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (s, fate, ts0) => {
          const rx = new Rfc4733Receiver();
          let k = 0;
          const sent: TelephoneEventPacket[] = [];
          const presses = stream(s, { ts0 });
          for (const press of presses) {
            const mine: TelephoneEventPacket[] = [];
            for (const p of press) {
              const f = fate[k++ % fate.length]!;
              if (f === 1) continue; // lost
              mine.push(p);
              if (f === 2) mine.push(p); // duplicated
            }
            if (fate[k % fate.length] === 3 && mine.length > 1) mine.reverse(); // reordered within the press
            sent.push(...mine);
          }
          const got = digits(feed(rx, sent));
          // Every press that kept at least one packet is reported, once, in order.
          const expected = presses
            .map((press, i) => (sent.some((p) => press.includes(p)) ? s[i] : ''))
            .join('');
          expect(got).toBe(expected);
        },
      ),
    );
  });
});
