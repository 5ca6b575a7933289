import { describe, expect, it } from 'vitest';
import { createDecoder, createEncoder } from './codec-factory.js';
import { CODECS, CODEC_NAMES, type CodecName } from './codec-registry.js';
import { MU_TO_A_LAW, encodeMuLaw } from './g711.js';
import { fitTone, goertzelPower, sineWave } from './tone-measure.js';
import { Transcoder } from './transcoder.js';

/** One second of a tone as `from` payloads of `ptime` ms. */
function payloads(from: CodecName, frequency: number, ptime = 20): Buffer[] {
  const { sampleRate } = CODECS[from];
  const frame = (sampleRate * ptime) / 1000;
  const encoder = createEncoder(from);
  const tone = sineWave(frequency, sampleRate, sampleRate, 10000);
  const out: Buffer[] = [];
  for (let at = 0; at < tone.length; at += frame) out.push(Buffer.from(encoder.encode(tone.subarray(at, at + frame))));
  encoder.close();
  return out;
}

/** Decodes `to` payloads back to PCM. */
function decodeAll(to: CodecName, list: Buffer[]): Int16Array {
  const decoder = createDecoder(to);
  const parts = list.map((p) => Int16Array.from(decoder.decode(p)));
  decoder.close();
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function transcodeAll(transcoder: Transcoder, input: (Buffer | null)[]): Buffer[] {
  const out: Buffer[] = [];
  for (const payload of input) for (const produced of transcoder.process(payload)) out.push(Buffer.from(produced));
  return out;
}

describe('Transcoder', () => {
  for (const from of CODEC_NAMES) {
    for (const to of CODEC_NAMES) {
      if (from === to) continue;
      it(`${from} -> ${to} carries a 1 kHz tone, one 20 ms packet per packet`, () => {
        const transcoder = new Transcoder(from, to);
        const output = transcodeAll(transcoder, payloads(from, 1000));
        transcoder.close();
        expect(output).toHaveLength(50);
        expect(transcoder.timestampStep).toBe(CODECS[to].timestampStep);
        const rate = CODECS[to].sampleRate;
        const audio = decodeAll(to, output);
        const fit = fitTone(audio, rate, 1000, rate / 5, audio.length - rate / 10);
        expect(fit.snrDb).toBeGreaterThan(from === 'opus' || to === 'opus' ? 10 : 20);
        expect(fit.amplitude).toBeGreaterThan(7000);
        expect(fit.amplitude).toBeLessThan(13000);
      });
    }
  }

  it('PCMU -> PCMA gives the same bytes as the direct G.711 mapping', () => {
    const mu = encodeMuLaw(sineWave(1000, 8000, 160, 12000));
    const [a] = new Transcoder('PCMU', 'PCMA').process(mu);
    expect(Array.from(a!)).toEqual(Array.from(mu, (c) => MU_TO_A_LAW[c]!));
  });

  it('re-packetizes 20 ms input to a 30 ms ptime, buffering the remainder', () => {
    const transcoder = new Transcoder('PCMU', 'G722', { ptime: 30 });
    expect(transcoder.frameSamples).toBe(480);
    expect(transcoder.timestampStep).toBe(240);
    const input = payloads('PCMU', 1000);
    const counts = input.slice(0, 6).map((p) => transcoder.process(p).length);
    expect(counts).toEqual([0, 1, 1, 0, 1, 1]);
    for (const p of input.slice(6, 9)) for (const out of transcoder.process(p)) expect(out.length).toBe(240);
  });

  it('splits 60 ms Opus packets into 20 ms PCMA packets', () => {
    const transcoder = new Transcoder('opus', 'PCMA');
    const input = payloads('opus', 1000, 60);
    const output = transcodeAll(transcoder, input);
    // Sixteen 60 ms packets and a last one of 40 ms: one second, fifty 20 ms packets.
    expect(input).toHaveLength(17);
    expect(output).toHaveLength(50);
    transcoder.close();
    const audio = decodeAll('PCMA', output);
    expect(fitTone(audio, 8000, 1000, 1600, 7200).snrDb).toBeGreaterThan(10);
  });

  it('conceals a lost packet with one frame: Opus PLC keeps the tone, G.711 gives silence', () => {
    const fromOpus = new Transcoder('opus', 'PCMU');
    const input = payloads('opus', 1000);
    transcodeAll(fromOpus, input.slice(0, 20));
    const concealed = fromOpus.process(null);
    expect(concealed).toHaveLength(1);
    expect(goertzelPower(decodeAll('PCMU', [Buffer.from(concealed[0]!)]), 8000, 1000)).toBeGreaterThan(1e4);
    fromOpus.close();

    const fromPcmu = new Transcoder('PCMU', 'PCMA');
    fromPcmu.process(payloads('PCMU', 1000)[0]!);
    const lost = fromPcmu.process(null);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.every((c) => c === 0xd5)).toBe(true); // A-law silence
  });

  it('rejects a ptime Opus cannot code and refuses use after close (twice safe)', () => {
    expect(() => new Transcoder('PCMU', 'opus', { ptime: 30 })).toThrow(RangeError);
    const transcoder = new Transcoder('G722', 'opus');
    transcoder.close();
    transcoder.close();
    expect(() => transcoder.process(new Uint8Array(160))).toThrow(/after close/);
  });
});
