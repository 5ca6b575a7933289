import { describe, expect, it } from 'vitest';
import { OpusCodec } from './opus-codec.js';
import { opusHeapBytes, opusNative } from './opus-native.js';
import { fitTone, goertzelPower, sineWave } from './tone-measure.js';

const FRAME = 960; // 20 ms at 48 kHz

function run(codec: OpusCodec, input: Int16Array): Int16Array {
  const out = new Int16Array(input.length);
  for (let at = 0; at + FRAME <= input.length; at += FRAME) {
    const packet = Buffer.from(codec.encode(input.subarray(at, at + FRAME)));
    out.set(codec.decode(packet), at);
  }
  return out;
}

describe('OpusCodec', () => {
  it('round-trips a 1 kHz tone at 48 kHz keeping its frequency and level', () => {
    const codec = new OpusCodec();
    try {
      const input = sineWave(1000, 48000, 48000, 10000);
      const out = run(codec, input);
      const fit = fitTone(out, 48000, 1000, 9600);
      expect(fit.snrDb).toBeGreaterThan(20);
      expect(fit.amplitude).toBeGreaterThan(7000);
      expect(fit.amplitude).toBeLessThan(13000);
    } finally {
      codec.close();
    }
  });

  it('encodes 20 ms into a compact packet and rejects invalid frame sizes', () => {
    const codec = new OpusCodec({ bitrate: 24000 });
    const packet = codec.encode(sineWave(440, 48000, FRAME));
    expect(packet.length).toBeGreaterThan(10);
    expect(packet.length).toBeLessThan(200);
    expect(() => codec.encode(new Int16Array(1000))).toThrow(RangeError);
    codec.close();
  });

  it('writes into passed buffers', () => {
    const codec = new OpusCodec();
    const packetBuffer = new Uint8Array(1500);
    const packet = codec.encode(sineWave(440, 48000, FRAME), packetBuffer);
    expect(packet.buffer).toBe(packetBuffer.buffer);
    const pcm = new Int16Array(FRAME);
    const decoded = codec.decode(packet, pcm);
    expect(decoded.buffer).toBe(pcm.buffer);
    expect(decoded.length).toBe(FRAME);
    codec.close();
  });

  it('decodes a stereo packet (fmtp stereo=1) to mono', () => {
    const native = opusNative();
    const stereo = new native.OpusScriptHandler(48000, 2, 2049);
    const pcmPtr = native._malloc(FRAME * 8);
    const outPtr = native._malloc(4000);
    const codec = new OpusCodec();
    try {
      const tone = sineWave(1000, 48000, 48000, 8000);
      const interleaved = new Int16Array(FRAME * 2);
      const out = new Int16Array(tone.length);
      for (let at = 0; at < tone.length; at += FRAME) {
        for (let i = 0; i < FRAME; i++) interleaved[2 * i] = interleaved[2 * i + 1] = tone[at + i]!;
        for (let i = 0; i < interleaved.length; i++) {
          native.HEAPU16[(pcmPtr >> 1) + 2 * i] = interleaved[i]! & 0xff;
          native.HEAPU16[(pcmPtr >> 1) + 2 * i + 1] = (interleaved[i]! >> 8) & 0xff;
        }
        const length = stereo._encode(pcmPtr, FRAME * 4, outPtr, FRAME);
        expect(length).toBeGreaterThan(0);
        const decoded = codec.decode(native.HEAPU8.slice(outPtr, outPtr + length));
        expect(decoded.length).toBe(FRAME);
        out.set(decoded, at);
      }
      const fit = fitTone(out, 48000, 1000, 9600);
      expect(fit.snrDb).toBeGreaterThan(20);
      expect(fit.amplitude).toBeGreaterThan(5000);
    } finally {
      native.OpusScriptHandler.destroy_handler(stereo);
      native._free(pcmPtr);
      native._free(outPtr);
      codec.close();
    }
  });

  it('conceals lost packets with audio continuing the tone rather than silence', () => {
    const codec = new OpusCodec();
    const input = sineWave(1000, 48000, 48000, 10000);
    run(codec, input.subarray(0, FRAME * 20));
    const concealed = Int16Array.from(codec.conceal(FRAME));
    expect(concealed.length).toBe(FRAME);
    expect(goertzelPower(concealed, 48000, 1000)).toBeGreaterThan(1e5); // amplitude > ~630
    // A second loss continues from the same concealment, then a real packet decodes normally.
    expect(codec.conceal(FRAME).length).toBe(FRAME);
    const next = codec.decode(Buffer.from(codec.encode(input.subarray(FRAME * 22, FRAME * 23))));
    expect(next.length).toBe(FRAME);
    // Garbage or empty payloads from the wire are concealed, never thrown.
    expect(codec.decode(new Uint8Array(0)).length).toBe(FRAME);
    expect(codec.decode(Uint8Array.from([0xff, 0xff, 0xff])).length).toBeGreaterThan(0);
    codec.close();
  });

  it('close() is safe twice and use after close throws', () => {
    const codec = new OpusCodec();
    codec.close();
    codec.close();
    expect(codec.closed).toBe(true);
    expect(() => codec.encode(new Int16Array(FRAME))).toThrow(/after close/);
  });

  it('keeps working after the wasm heap grows (opusscript instances would detach)', () => {
    const first = new OpusCodec();
    const before = opusHeapBytes();
    const many: OpusCodec[] = [];
    while (opusHeapBytes() === before && many.length < 5000) many.push(new OpusCodec());
    expect(opusHeapBytes()).toBeGreaterThan(before);
    const out = run(first, sineWave(1000, 48000, 19200, 10000));
    expect(fitTone(out, 48000, 1000, 9600).snrDb).toBeGreaterThan(20);
    for (const codec of many) codec.close();
    first.close();
  });
});
