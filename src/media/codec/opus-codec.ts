// Opus (RFC 6716) for telephony over RTP (RFC 7587): 48 kHz mono, 48 kHz RTP clock. A mono
// decoder also takes stereo packets (fmtp stereo=1) and downmixes them, as libopus does.
import { AtendeError } from '../../core/index.js';
import {
  OPUS_APPLICATION_AUDIO, OPUS_APPLICATION_VOIP, OPUS_SET_BITRATE, OPUS_SET_COMPLEXITY, OPUS_SET_DTX,
  OPUS_SET_INBAND_FEC, OPUS_SET_PACKET_LOSS_PERC, OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE, opusNative,
  type OpusNativeHandler, type OpusNativeModule,
} from './opus-native.js';

/** Encoder settings; the defaults suit a voice call between a browser and a phone. */
export interface OpusOptions {
  /** Bits per second; default 32000. */
  bitrate?: number;
  /** 0 (fastest) to 10; default 5, a balance for many calls in one worker. */
  complexity?: number;
  /** In-band FEC in what we send (RFC 7587 useinbandfec); default true. */
  inbandFec?: boolean;
  /** Expected loss, which tunes FEC; default 5. */
  packetLossPercent?: number;
  /** Discontinuous transmission (usedtx); default false. */
  dtx?: boolean;
  /** 'voip' (default) favours speech intelligibility, 'audio' fidelity (music on hold). */
  application?: 'voip' | 'audio';
}

/** Opus error from libopus (negative return codes). */
export class OpusError extends AtendeError {
  constructor(readonly status: number, operation: string) {
    super('opus_failed', `opus ${operation} failed with libopus error ${status}`);
  }
}

const SAMPLE_RATE = 48000;
const MAX_FRAME = 5760; // 120 ms at 48 kHz: the longest Opus packet, and what concealment yields
const MAX_PACKET = 1276 * 3;
const VALID_FRAME_SIZES = new Set([120, 240, 480, 960, 1920, 2880]);

/** One Opus encoder and decoder pair (mono, 48 kHz) with buffers in the wasm heap. */
export class OpusCodec {
  static readonly sampleRate = SAMPLE_RATE;
  private readonly native: OpusNativeModule;
  private handler: OpusNativeHandler | undefined;
  private readonly pcmIn: number;
  private readonly packetOut: number;
  private readonly packetIn: number;
  private readonly pcmOut: number;
  private readonly encoded = Buffer.allocUnsafe(MAX_PACKET);
  private readonly decoded = new Int16Array(MAX_FRAME);
  // Concealment yields 120 ms at once; consecutive losses are served from it.
  private readonly concealed = new Int16Array(MAX_FRAME);
  private concealedUsed = MAX_FRAME;

  constructor(options: OpusOptions = {}) {
    this.native = opusNative();
    const application = options.application === 'audio' ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_VOIP;
    this.handler = new this.native.OpusScriptHandler(SAMPLE_RATE, 1, application);
    // PCM areas hold one byte per 16-bit element (see opus-native.ts): 4 bytes per sample.
    this.pcmIn = this.native._malloc(MAX_FRAME * 4);
    this.packetOut = this.native._malloc(MAX_PACKET);
    this.packetIn = this.native._malloc(MAX_PACKET);
    this.pcmOut = this.native._malloc(MAX_FRAME * 4);
    this.encoderCtl(OPUS_SET_BITRATE, options.bitrate ?? 32000);
    this.encoderCtl(OPUS_SET_COMPLEXITY, options.complexity ?? 5);
    this.encoderCtl(OPUS_SET_INBAND_FEC, options.inbandFec === false ? 0 : 1);
    this.encoderCtl(OPUS_SET_PACKET_LOSS_PERC, options.packetLossPercent ?? 5);
    this.encoderCtl(OPUS_SET_DTX, options.dtx ? 1 : 0);
    if (application === OPUS_APPLICATION_VOIP) this.encoderCtl(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE);
  }

  /** True after close(). */
  get closed(): boolean {
    return this.handler === undefined;
  }

  /**
   * Encodes one frame (120, 240, 480, 960, 1920 or 2880 samples at 48 kHz). The packet is
   * written to `out` when given, else to a buffer reused by the next call: copy it to keep it.
   */
  encode(pcm: Int16Array, out?: Uint8Array): Buffer {
    const handler = this.live();
    if (!VALID_FRAME_SIZES.has(pcm.length)) throw new RangeError(`opus frame of ${pcm.length} samples is not 2.5-60 ms at 48 kHz`);
    const native = this.native;
    writePcm(native.HEAPU16, this.pcmIn >> 1, pcm);
    const length = handler._encode(this.pcmIn, pcm.length * 2, this.packetOut, pcm.length);
    if (length < 0) throw new OpusError(length, 'encode');
    const packet = native.HEAPU8.subarray(this.packetOut, this.packetOut + length);
    const target = out ?? this.encoded;
    target.set(packet);
    return Buffer.from(target.buffer, target.byteOffset, length);
  }

  /**
   * Decodes one packet to 48 kHz mono. Returns `out` trimmed, or a view of a buffer reused by
   * the next call. An invalid packet is concealed (wire input never throws).
   */
  decode(packet: Uint8Array, out?: Int16Array): Int16Array {
    const handler = this.live();
    if (packet.length === 0 || packet.length > MAX_PACKET) return this.conceal(960, out);
    const native = this.native;
    native.HEAPU8.set(packet, this.packetIn);
    const samples = handler._decode(this.packetIn, packet.length, this.pcmOut);
    if (samples < 0) return this.conceal(960, out);
    this.concealedUsed = MAX_FRAME;
    const target = out ?? this.decoded;
    readPcm(native.HEAPU16, this.pcmOut >> 1, target, samples);
    return target.subarray(0, samples);
  }

  /**
   * Packet loss concealment for `samples` missing samples (libopus PLC). The binding offers no
   * FEC decode, so the redundancy in the next packet is not used.
   */
  conceal(samples = 960, out?: Int16Array): Int16Array {
    const handler = this.live();
    const n = Math.min(samples, MAX_FRAME);
    const target = out ?? this.decoded;
    if (this.concealedUsed + n > MAX_FRAME) {
      // libopus conceals its maximum frame (120 ms) per call; later losses reuse the rest.
      const produced = handler._decode(this.packetIn, 0, this.pcmOut);
      if (produced < 0) this.concealed.fill(0);
      else readPcm(this.native.HEAPU16, this.pcmOut >> 1, this.concealed, Math.min(produced, MAX_FRAME));
      this.concealedUsed = 0;
    }
    target.set(this.concealed.subarray(this.concealedUsed, this.concealedUsed + n));
    this.concealedUsed += n;
    return target.subarray(0, n);
  }

  /** Frees the libopus state and buffers; safe to call twice. */
  close(): void {
    const handler = this.handler;
    if (!handler) return;
    this.handler = undefined;
    this.native.OpusScriptHandler.destroy_handler(handler);
    this.native._free(this.pcmIn);
    this.native._free(this.packetOut);
    this.native._free(this.packetIn);
    this.native._free(this.pcmOut);
  }

  private live(): OpusNativeHandler {
    if (!this.handler) throw new Error('OpusCodec used after close()');
    return this.handler;
  }

  private encoderCtl(ctl: number, value: number): void {
    const result = this.live()._encoder_ctl(ctl, value);
    if (result < 0) throw new OpusError(result, `encoder ctl ${ctl}`);
  }
}

/** Spreads PCM into the binding's one-byte-per-element layout. */
function writePcm(heap: Uint16Array, index: number, pcm: Int16Array): void {
  const n = pcm.length;
  for (let i = 0; i < n; i++) {
    const s = pcm[i]!;
    heap[index + 2 * i] = s & 0xff;
    heap[index + 2 * i + 1] = (s >> 8) & 0xff;
  }
}

/** Gathers `samples` PCM samples from the binding's layout into target. */
function readPcm(heap: Uint16Array, index: number, target: Int16Array, samples: number): void {
  for (let i = 0; i < samples; i++) target[i] = (heap[index + 2 * i]! & 0xff) | (heap[index + 2 * i + 1]! << 8);
}
