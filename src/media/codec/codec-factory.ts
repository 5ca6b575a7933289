// Stateful per-stream encoders and decoders behind one interface, so the transcoder, players
// and recorders need not know which codec a leg negotiated.
import type { CodecName } from './codec-registry.js';
import { decodeALaw, decodeMuLaw, encodeALaw, encodeMuLaw } from './g711.js';
import { G722Decoder } from './g722-decoder.js';
import { G722Encoder } from './g722-encoder.js';
import { OpusCodec, type OpusOptions } from './opus-codec.js';
import type { SampleRate } from './resampler.js';

/** Decodes one stream's payloads to PCM at `sampleRate`. */
export interface CodecDecoder {
  readonly codec: CodecName;
  readonly sampleRate: SampleRate;
  /**
   * PCM of one payload. Written to `out` (large enough) when given; otherwise a view of a
   * buffer reused by the next call: copy it to keep it. Never throws on bad payloads.
   */
  decode(payload: Uint8Array, out?: Int16Array): Int16Array;
  /** PCM standing in for `samples` lost samples: Opus conceals (PLC), the others give silence. */
  conceal(samples: number, out?: Int16Array): Int16Array;
  /** Frees native state (Opus); safe to call twice. */
  close(): void;
}

/** Encodes one stream's PCM (at `sampleRate`, one packet's worth per call) to payloads. */
export interface CodecEncoder {
  readonly codec: CodecName;
  readonly sampleRate: SampleRate;
  /** The payload for pcm; in `out` when given, else in a buffer reused by the next call. */
  encode(pcm: Int16Array, out?: Uint8Array): Buffer;
  close(): void;
}

/** Options for createEncoder / createDecoder. */
export interface CodecOptions {
  opus?: OpusOptions;
}

/** Scratch buffers grown on demand and then reused. */
class Scratch {
  private pcm = new Int16Array(960);
  private bytes = Buffer.allocUnsafe(960);

  samples(n: number): Int16Array {
    if (this.pcm.length < n) this.pcm = new Int16Array(n);
    return this.pcm;
  }

  payload(n: number): Buffer {
    if (this.bytes.length < n) this.bytes = Buffer.allocUnsafe(n);
    return this.bytes;
  }
}

function silence(target: Int16Array, samples: number): Int16Array {
  const view = target.subarray(0, samples);
  view.fill(0);
  return view;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

class G711Decoder implements CodecDecoder {
  readonly sampleRate = 8000 as const;
  private readonly scratch = new Scratch();
  constructor(readonly codec: 'PCMU' | 'PCMA') {}
  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    const target = out ?? this.scratch.samples(payload.length);
    return this.codec === 'PCMU' ? decodeMuLaw(payload, target) : decodeALaw(payload, target);
  }
  conceal(samples: number, out?: Int16Array): Int16Array {
    return silence(out ?? this.scratch.samples(samples), samples);
  }
  close(): void {}
}

class G711Encoder implements CodecEncoder {
  readonly sampleRate = 8000 as const;
  private readonly scratch = new Scratch();
  constructor(readonly codec: 'PCMU' | 'PCMA') {}
  encode(pcm: Int16Array, out?: Uint8Array): Buffer {
    const target = out ?? this.scratch.payload(pcm.length);
    return asBuffer(this.codec === 'PCMU' ? encodeMuLaw(pcm, target) : encodeALaw(pcm, target));
  }
  close(): void {}
}

class G722StreamDecoder implements CodecDecoder {
  readonly codec = 'G722' as const;
  readonly sampleRate = 16000 as const;
  private readonly decoder = new G722Decoder();
  private readonly scratch = new Scratch();
  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    return this.decoder.decode(payload, out ?? this.scratch.samples(payload.length * 2));
  }
  conceal(samples: number, out?: Int16Array): Int16Array {
    return silence(out ?? this.scratch.samples(samples), samples);
  }
  close(): void {}
}

class G722StreamEncoder implements CodecEncoder {
  readonly codec = 'G722' as const;
  readonly sampleRate = 16000 as const;
  private readonly encoder = new G722Encoder();
  private readonly scratch = new Scratch();
  encode(pcm: Int16Array, out?: Uint8Array): Buffer {
    return asBuffer(this.encoder.encode(pcm, out ?? this.scratch.payload(pcm.length >> 1)));
  }
  close(): void {}
}

class OpusStreamDecoder implements CodecDecoder {
  readonly codec = 'opus' as const;
  readonly sampleRate = 48000 as const;
  private readonly opus: OpusCodec;
  constructor(options?: OpusOptions) {
    this.opus = new OpusCodec(options);
  }
  decode(payload: Uint8Array, out?: Int16Array): Int16Array {
    return this.opus.decode(payload, out);
  }
  conceal(samples: number, out?: Int16Array): Int16Array {
    return this.opus.conceal(samples, out);
  }
  close(): void {
    this.opus.close();
  }
}

class OpusStreamEncoder implements CodecEncoder {
  readonly codec = 'opus' as const;
  readonly sampleRate = 48000 as const;
  private readonly opus: OpusCodec;
  constructor(options?: OpusOptions) {
    this.opus = new OpusCodec(options);
  }
  encode(pcm: Int16Array, out?: Uint8Array): Buffer {
    return this.opus.encode(pcm, out);
  }
  close(): void {
    this.opus.close();
  }
}

/** A new decoder for one received stream of `name`. */
export function createDecoder(name: CodecName, options: CodecOptions = {}): CodecDecoder {
  switch (name) {
    case 'PCMU':
    case 'PCMA':
      return new G711Decoder(name);
    case 'G722':
      return new G722StreamDecoder();
    case 'opus':
      return new OpusStreamDecoder(options.opus);
  }
}

/** A new encoder for one sent stream of `name`. */
export function createEncoder(name: CodecName, options: CodecOptions = {}): CodecEncoder {
  switch (name) {
    case 'PCMU':
    case 'PCMA':
      return new G711Encoder(name);
    case 'G722':
      return new G722StreamEncoder();
    case 'opus':
      return new OpusStreamEncoder(options.opus);
  }
}

/** Largest payload `name` can produce for `samples` PCM samples. */
export function maxPayloadBytes(name: CodecName, samples: number): number {
  if (name === 'opus') return 1275 * Math.max(1, Math.ceil(samples / 960));
  return name === 'G722' ? samples >> 1 : samples;
}
