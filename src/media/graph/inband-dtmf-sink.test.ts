import { describe, expect, it } from 'vitest';
import { createDecoder, createEncoder, type CodecName } from '../codec/index.js';
import type { DtmfDigit } from '../dtmf/index.js';
import type { RtpEndpoint } from '../endpoint/index.js';
import { ToneGenerator, dtmfTones } from '../tone/index.js';
import { InbandDtmfSink } from './inband-dtmf-sink.js';

/** A sink over a stand-in endpoint that records the digits handed to it. */
function sinkWithDigits(): { sink: InbandDtmfSink; digits: { digit: DtmfDigit; atMs: number }[] } {
  const digits: { digit: DtmfDigit; atMs: number }[] = [];
  const endpoint = { receiveInbandDigit: (digit: DtmfDigit, atMs: number) => digits.push({ digit, atMs }) };
  return { sink: new InbandDtmfSink(endpoint as unknown as RtpEndpoint), digits };
}

/** Encodes `digits` as keypad tones with `codec`, decodes them and feeds the sink 20 ms at a time. */
function feedThroughCodec(codec: CodecName, digits: string, sink: InbandDtmfSink, t0 = 1000): void {
  const encoder = createEncoder(codec);
  const decoder = createDecoder(codec);
  const rate = encoder.sampleRate;
  const frame = rate / 50;
  const pcm = new Int16Array((digits.length * 200 * rate) / 1000 + 2 * frame);
  new ToneGenerator(dtmfTones(digits, { onMs: 80, offMs: 120 }), rate).fill(pcm);
  for (let i = 0; i + frame <= pcm.length; i += frame) {
    const out = decoder.decode(encoder.encode(pcm.subarray(i, i + frame)));
    sink.audio(out, decoder.sampleRate, t0 + (i * 1000) / rate);
  }
  encoder.close();
  decoder.close();
}

describe('InbandDtmfSink', () => {
  for (const codec of ['PCMU', 'G722', 'opus'] as CodecName[]) {
    it(`finds key presses in ${codec} audio, timed from the tone's start`, () => {
      const { sink, digits } = sinkWithDigits();
      feedThroughCodec(codec, '19#A', sink);
      expect(digits.map((d) => d.digit).join('')).toBe('19#A');
      expect(sink.detected).toBe(4);
      // Each digit starts 200 ms after the previous one (opus adds its look-ahead delay).
      digits.forEach((d, k) => expect(Math.abs(d.atMs - (1000 + k * 200))).toBeLessThan(codec === 'opus' ? 30 : 15));
    });
  }

  it('takes two presses of one key around a silent gap (DTX) for two digits, but bridges a lost packet', () => {
    const { sink, digits } = sinkWithDigits();
    const tone = new Int16Array(800); // 100 ms of '5'
    new ToneGenerator(dtmfTones('5', { onMs: 100, offMs: 0 }), 8000).fill(tone);
    const feed = (from: number, at: number) => sink.audio(tone.subarray(from, from + 160), 8000, at);
    // 100 ms of tone with the 3rd packet lost: one digit.
    for (const k of [0, 1, 3, 4]) feed(k * 160, k * 20);
    expect(digits.map((d) => d.digit)).toEqual(['5']);
    // No packets for 300 ms, then the tone again: a second press.
    for (let k = 0; k < 5; k++) feed(k * 160, 400 + k * 20);
    expect(digits.map((d) => d.digit)).toEqual(['5', '5']);
  });
});
