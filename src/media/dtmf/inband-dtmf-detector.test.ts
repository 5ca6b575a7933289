import { describe, expect, it } from 'vitest';
import { ToneGenerator, brazilianTone, dtmfTones, testTone, type ToneSpec } from '../tone/index.js';
import { dtmfFrequencies, type DtmfDigit } from './dtmf-event.js';
import { InbandDtmfDetector, type InbandDigit, type InbandDtmfDetectorOptions } from './inband-dtmf-detector.js';
import { musicLike, speechLike, toPcm, whiteNoise } from './synthetic-audio.js';

const ALL: DtmfDigit[] = ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

function render(spec: ToneSpec, seconds: number, rate: number): Int16Array {
  const out = new Int16Array(Math.round(seconds * rate));
  new ToneGenerator(spec, rate).fill(out);
  return out;
}

/** Feeds `pcm` in 20 ms frames (ms time base starting at 0) and collects digits. */
function detect(pcm: Int16Array, rate: number, opts: Partial<InbandDtmfDetectorOptions> = {}): InbandDigit[] {
  const det = new InbandDtmfDetector({ sampleRate: rate, ...opts });
  const frame = rate / 50;
  const found: InbandDigit[] = [];
  for (let i = 0; i < pcm.length; i += frame) {
    found.push(...det.process(pcm.subarray(i, i + frame), (i * 1000) / rate));
  }
  return found;
}

const digitsOf = (found: InbandDigit[]): string => found.map((d) => d.digit).join('');

/** Silence, then `digit` for onMs at (row, column) levels and frequency scale, then silence. */
function singleDigit(digit: DtmfDigit, rate: number, o: { onMs?: number; low?: number; high?: number; scale?: number } = {}) {
  const [r, c] = dtmfFrequencies(digit);
  const s = o.scale ?? 1;
  const spec: ToneSpec = {
    segments: [
      { frequencies: [], durationMs: 103 },
      { frequencies: [r * s, c * s], durationMs: o.onMs ?? 100, levelDbm0: [o.low ?? -8, o.high ?? -6] },
      { frequencies: [], durationMs: 200 },
    ],
    repeat: false,
  };
  return render(spec, 0.5, rate);
}

describe('InbandDtmfDetector', () => {
  for (const rate of [8000, 16000]) {
    it(`detects each of the 16 digits once at ${rate} Hz, with its start time`, () => {
      for (const d of ALL) {
        const found = detect(singleDigit(d, rate), rate);
        expect(digitsOf(found)).toBe(d);
        // The tone starts at 103 ms; the first hit block starts within one block (12.75 ms) after.
        expect(found[0]?.startMs).toBeGreaterThanOrEqual(103 - 13);
        expect(found[0]?.startMs).toBeLessThanOrEqual(103 + 13);
      }
    });

    it(`reads a fast dialled string (50 ms on / 50 ms off) at ${rate} Hz`, () => {
      const s = '0123456789*#ABCD';
      const pcm = render(dtmfTones(s, { onMs: 50, offMs: 50 }), 1.7, rate);
      expect(digitsOf(detect(pcm, rate))).toBe(s);
    });
  }

  it('accepts 40 ms tones with 40 ms pauses (ITU-T Q.24) at every alignment, repeated digits included', () => {
    for (let lead = 0; lead < 13; lead += 2) {
      const spec = dtmfTones('55595', { onMs: 40, offMs: 40 });
      const pcm = render({ segments: [{ frequencies: [], durationMs: lead }, ...spec.segments], repeat: false }, 0.5, 8000);
      expect(digitsOf(detect(pcm, 8000)), `lead ${lead} ms`).toBe('55595');
    }
  });

  it('rejects tones shorter than about 20 ms', () => {
    for (let lead = 0; lead < 13; lead += 1) {
      const spec = dtmfTones('7', { onMs: 20, offMs: 100 });
      const pcm = render({ segments: [{ frequencies: [], durationMs: lead }, ...spec.segments], repeat: false }, 0.2, 8000);
      expect(digitsOf(detect(pcm, 8000)), `lead ${lead} ms`).toBe('');
    }
  });

  it('does not split a key press on a 10 ms drop-out', () => {
    const [r, c] = dtmfFrequencies('8');
    const on = { frequencies: [r, c], levelDbm0: -8 };
    const pcm = render(
      { segments: [{ ...on, durationMs: 80 }, { frequencies: [], durationMs: 10 }, { ...on, durationMs: 80 }], repeat: false },
      0.3,
      8000,
    );
    expect(digitsOf(detect(pcm, 8000))).toBe('8');
  });

  it('checks twist: normal (row louder) up to 8 dB, reverse (column louder) up to 4 dB', () => {
    expect(digitsOf(detect(singleDigit('5', 8000, { low: -6, high: -13 }), 8000))).toBe('5'); // normal 7 dB
    expect(digitsOf(detect(singleDigit('5', 8000, { low: -6, high: -16 }), 8000))).toBe(''); // normal 10 dB
    expect(digitsOf(detect(singleDigit('5', 8000, { low: -9, high: -6 }), 8000))).toBe('5'); // reverse 3 dB
    expect(digitsOf(detect(singleDigit('5', 8000, { low: -12, high: -6 }), 8000))).toBe(''); // reverse 6 dB
  });

  it('has a level threshold', () => {
    expect(digitsOf(detect(singleDigit('9', 8000, { low: -28, high: -28 }), 8000))).toBe('9');
    expect(digitsOf(detect(singleDigit('9', 8000, { low: -40, high: -40 }), 8000))).toBe('');
  });

  it('accepts a 1.5% frequency offset', () => {
    for (const scale of [0.985, 1.015]) expect(digitsOf(detect(singleDigit('0', 8000, { scale }), 8000))).toBe('0');
  });

  it('detects digits under white noise at 15 dB SNR', () => {
    const rate = 8000;
    const tones = render(dtmfTones('147*2580369#', { onMs: 60, offMs: 60, lowLevelDbm0: -12 }), 1.6, rate);
    // Tone power: two tones at -12 and -10 dBm0, about -7.9 dBm0 together; noise 15 dB below.
    const pcm = toPcm(tones, whiteNoise(tones.length, -23, 3));
    expect(digitsOf(detect(pcm, rate))).toBe('147*2580369#');
  });

  it('detects digits on top of speech (a caller pressing keys while talking)', () => {
    const rate = 8000;
    const tones = render(dtmfTones('123', { onMs: 100, offMs: 200, lowLevelDbm0: -6 }), 1, rate);
    const speech = speechLike(1, rate, 5).map((x) => x * 0.15);
    expect(digitsOf(detect(toPcm(tones, speech), rate))).toBe('123');
  });

  it('single tones and call progress tones are not digits', () => {
    for (const spec of [testTone(697, -5), testTone(1209, -5), testTone(1000, 0), brazilianTone('dial', -5), brazilianTone('busy')]) {
      expect(digitsOf(detect(render(spec, 2, 8000), 8000))).toBe('');
    }
  });

  // 60 s at 8 kHz, 20 s at 16 kHz (the synthesis, not the detector, is the slow part).
  for (const [rate, seeds] of [[8000, [1, 2, 3]], [16000, [9]]] as const) {
    it(`no false digits in ${seeds.length * 20} s of speech-like audio at ${rate} Hz (talk-off)`, () => {
      for (const seed of seeds) expect(digitsOf(detect(toPcm(speechLike(20, rate, seed)), rate))).toBe('');
    });

    it(`no false digits in ${seeds.length * 20} s of music-like audio at ${rate} Hz`, () => {
      for (const seed of seeds) expect(digitsOf(detect(toPcm(musicLike(20, rate, seed + 3)), rate))).toBe('');
    });
  }

  it('no false digits in white noise at any level', () => {
    for (const level of [-50, -30, -15, -5]) expect(digitsOf(detect(toPcm(whiteNoise(8000 * 10, level, level + 100)), 8000))).toBe('');
  });

  it('keeps state across frames of any size', () => {
    const pcm = render(dtmfTones('69', { onMs: 70, offMs: 70 }), 0.4, 8000);
    const det = new InbandDtmfDetector({ sampleRate: 8000 });
    const found: InbandDigit[] = [];
    for (let i = 0, n = 1; i < pcm.length; i += n, n = (n * 7) % 97 + 1) found.push(...det.process(pcm.subarray(i, i + n), (i * 1000) / 8000));
    expect(digitsOf(found)).toBe('69');
  });

  it('refuses other sample rates', () => {
    expect(() => new InbandDtmfDetector({ sampleRate: 48000 })).toThrow(RangeError);
  });
});
