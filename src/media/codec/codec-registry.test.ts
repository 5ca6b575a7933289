import { describe, expect, it } from 'vitest';
import { createDecoder, createEncoder } from './codec-factory.js';
import {
  CODECS, CODEC_NAMES, codecOfStaticPayloadType, findCodec, needsTranscoding, samplesPerPacket, timestampTicks,
} from './codec-registry.js';
import { fitTone, sineWave } from './tone-measure.js';

describe('codec registry', () => {
  it('knows the RTP facts of each codec (RFC 3551, RFC 7587)', () => {
    expect(CODECS.PCMU).toMatchObject({ clockRate: 8000, sampleRate: 8000, staticPayloadType: 0, frameSize: 160, timestampStep: 160 });
    expect(CODECS.PCMA).toMatchObject({ clockRate: 8000, sampleRate: 8000, staticPayloadType: 8, frameSize: 160 });
    // G.722: 16 kHz audio but an 8 kHz RTP clock, so 20 ms advance the timestamp by 160.
    expect(CODECS.G722).toMatchObject({ clockRate: 8000, sampleRate: 16000, staticPayloadType: 9, frameSize: 320, timestampStep: 160 });
    expect(CODECS.opus).toMatchObject({ clockRate: 48000, sampleRate: 48000, channels: 2, staticPayloadType: null, frameSize: 960, timestampStep: 960 });
    expect(CODECS.opus.defaultPayloadType).toBeGreaterThanOrEqual(96);
    for (const name of CODEC_NAMES) expect(CODECS[name].defaultPtime).toBe(20);
  });

  it('finds codecs by rtpmap name and clock, case-insensitively, and by static payload type', () => {
    expect(findCodec('pcmu', 8000)).toBe('PCMU');
    expect(findCodec('OPUS', 48000)).toBe('opus');
    expect(findCodec('G722', 8000)).toBe('G722');
    expect(findCodec('G722', 16000)).toBeUndefined();
    expect(findCodec('telephone-event', 8000)).toBeUndefined();
    expect(codecOfStaticPayloadType(8)).toBe('PCMA');
    expect(codecOfStaticPayloadType(18)).toBeUndefined();
  });

  it('computes packet sizes for other ptimes', () => {
    expect(samplesPerPacket('PCMA', 30)).toBe(240);
    expect(samplesPerPacket('G722', 10)).toBe(160);
    expect(timestampTicks('G722', 30)).toBe(240);
    expect(timestampTicks('opus', 60)).toBe(2880);
  });

  it('asks for transcoding only between different codecs', () => {
    for (const a of CODEC_NAMES) for (const b of CODEC_NAMES) expect(needsTranscoding(a, b)).toBe(a !== b);
  });
});

describe('createEncoder / createDecoder', () => {
  for (const name of CODEC_NAMES) {
    it(`${name}: 20 ms of a 1 kHz tone survives encode and decode at the codec's rate`, () => {
      const { sampleRate, frameSize } = CODECS[name];
      const encoder = createEncoder(name);
      const decoder = createDecoder(name);
      expect(encoder.sampleRate).toBe(sampleRate);
      expect(decoder.sampleRate).toBe(sampleRate);
      const input = sineWave(1000, sampleRate, sampleRate, 10000);
      const out = new Int16Array(input.length);
      for (let at = 0; at < input.length; at += frameSize) {
        const payload = encoder.encode(input.subarray(at, at + frameSize));
        if (name === 'PCMU' || name === 'PCMA') expect(payload.length).toBe(160);
        if (name === 'G722') expect(payload.length).toBe(160);
        const pcm = decoder.decode(payload);
        expect(pcm.length).toBe(frameSize);
        out.set(pcm, at);
      }
      expect(fitTone(out, sampleRate, 1000, sampleRate / 5).snrDb).toBeGreaterThan(name === 'opus' ? 12 : 25);
      expect(decoder.conceal(frameSize).length).toBe(frameSize);
      encoder.close();
      encoder.close();
      decoder.close();
      decoder.close();
    });
  }

  it('G.711 and G.722 conceal with silence', () => {
    for (const name of ['PCMU', 'PCMA', 'G722'] as const) {
      const decoder = createDecoder(name);
      decoder.decode(Uint8Array.from({ length: 160 }, (_, i) => i));
      expect(decoder.conceal(160).every((v) => v === 0)).toBe(true);
    }
  });
});
