// Converts one RTP stream's payloads from one codec to another: decode, resample to the target
// codec's rate, re-packetize to the target ptime and encode. Used only when the legs' codecs
// differ (needsTranscoding); otherwise relays copy packets untouched.
import { createDecoder, createEncoder, maxPayloadBytes, type CodecDecoder, type CodecEncoder, type CodecOptions } from './codec-factory.js';
import { CODECS, samplesPerPacket, timestampTicks, type CodecName } from './codec-registry.js';
import { Resampler } from './resampler.js';

/** Transcoder settings. */
export interface TranscoderOptions extends CodecOptions {
  /** Packetization of the output in ms (the far leg's a=ptime); default the codec's (20). */
  ptime?: number;
}

/** One direction of a transcoded call: payloads of `from` in, payloads of `to` out. */
export class Transcoder {
  /** PCM samples (at the target's sample rate) in each output payload. */
  readonly frameSamples: number;
  /** RTP timestamp increase per output payload, in the target's clock. */
  readonly timestampStep: number;
  private readonly decoder: CodecDecoder;
  private readonly encoder: CodecEncoder;
  private readonly resampler: Resampler;
  private pending: Int16Array;
  private pendingLength = 0;
  private readonly outputs: Buffer[] = [];
  private readonly payloadBytes: number;
  private readonly produced: Buffer[] = [];
  // Samples (at the source rate) the last payload held: the size of a concealed loss.
  private lastInputSamples: number;
  private closed = false;

  constructor(readonly from: CodecName, readonly to: CodecName, options: TranscoderOptions = {}) {
    const ptime = options.ptime ?? CODECS[to].defaultPtime;
    this.frameSamples = samplesPerPacket(to, ptime);
    const opusFrame = [120, 240, 480, 960, 1920, 2880].includes(this.frameSamples);
    if (!Number.isInteger(this.frameSamples) || this.frameSamples <= 0 || (to === 'opus' && !opusFrame) || (to === 'G722' && this.frameSamples % 2 !== 0)) {
      throw new RangeError(`ptime ${ptime} ms does not fit ${to}`);
    }
    this.timestampStep = timestampTicks(to, ptime);
    this.decoder = createDecoder(from, options);
    this.encoder = createEncoder(to, options);
    this.resampler = new Resampler(CODECS[from].sampleRate, CODECS[to].sampleRate);
    this.payloadBytes = maxPayloadBytes(to, this.frameSamples);
    this.pending = new Int16Array(this.frameSamples * 8);
    this.lastInputSamples = CODECS[from].frameSize;
  }

  /**
   * Feeds one received payload, or null for a lost packet (concealed: Opus PLC, else silence),
   * and returns the output payloads now complete, in order: none while a shorter ptime is
   * being buffered, several when a longer one arrives. The payloads and the array are reused
   * by the next call: send or copy them first.
   */
  process(payload: Uint8Array | null): readonly Buffer[] {
    if (this.closed) throw new Error('Transcoder used after close()');
    let pcm: Int16Array;
    if (payload === null) pcm = this.decoder.conceal(this.lastInputSamples);
    else {
      pcm = this.decoder.decode(payload);
      if (pcm.length > 0) this.lastInputSamples = pcm.length;
    }
    this.append(this.resampler.process(pcm));
    const produced = this.produced;
    produced.length = 0;
    let offset = 0;
    while (this.pendingLength - offset >= this.frameSamples) {
      const index = produced.length;
      if (this.outputs.length <= index) this.outputs.push(Buffer.allocUnsafe(this.payloadBytes));
      produced.push(this.encoder.encode(this.pending.subarray(offset, offset + this.frameSamples), this.outputs[index]));
      offset += this.frameSamples;
    }
    if (offset > 0) {
      this.pending.copyWithin(0, offset, this.pendingLength);
      this.pendingLength -= offset;
    }
    return produced;
  }

  /** Frees the codecs' native state; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.decoder.close();
    this.encoder.close();
  }

  private append(samples: Int16Array): void {
    const needed = this.pendingLength + samples.length;
    if (this.pending.length < needed) {
      const grown = new Int16Array(Math.max(needed, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingLength);
    this.pendingLength = needed;
  }
}
