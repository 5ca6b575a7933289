// The libopus build shipped in the opusscript package, loaded directly. opusscript's own
// wrapper keeps typed-array views of the wasm heap taken at construction; once the heap grows
// (a few hundred codecs in one worker) those views are detached and every older instance
// throws. We keep one module per worker and read the heap views at call time instead.
// The binding's PCM convention: one byte of little-endian 16-bit PCM per 16-bit heap element
// (so 4 heap bytes per sample), at the pointer passed; lengths are in PCM bytes.
import { createRequire } from 'node:module';

/** The emscripten-bound handler: one libopus encoder and decoder pair. */
export interface OpusNativeHandler {
  /** opus_encode of frameSize samples per channel at pcmPtr into outPtr; bytes or error < 0. */
  _encode(pcmPtr: number, pcmBytes: number, outPtr: number, frameSize: number): number;
  /** opus_decode of len bytes at dataPtr into pcmPtr (len 0: concealment); samples or error. */
  _decode(dataPtr: number, len: number, pcmPtr: number): number;
  _encoder_ctl(ctl: number, arg: number): number;
  _decoder_ctl(ctl: number, arg: number): number;
}

/** The parts of the emscripten module we use. */
export interface OpusNativeModule {
  OpusScriptHandler: {
    new (sampleRate: number, channels: number, application: number): OpusNativeHandler;
    destroy_handler(handler: OpusNativeHandler): void;
  };
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
}

let loaded: OpusNativeModule | undefined;

/** The worker's libopus module, instantiated (synchronously) on first use. */
export function opusNative(): OpusNativeModule {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    // The build is an emscripten factory (CommonJS); in Node it instantiates synchronously.
    const factory = require('opusscript/build/opusscript_native_wasm.js') as () => OpusNativeModule;
    loaded = factory();
  }
  return loaded;
}

/** Bytes of wasm heap in use by libopus in this worker (grows, never shrinks). */
export function opusHeapBytes(): number {
  return loaded ? loaded.HEAPU8.length : 0;
}

/** libopus CTL request numbers (opus_defines.h). */
export const OPUS_SET_BITRATE = 4002;
export const OPUS_SET_COMPLEXITY = 4010;
export const OPUS_SET_INBAND_FEC = 4012;
export const OPUS_SET_PACKET_LOSS_PERC = 4014;
export const OPUS_SET_DTX = 4016;
export const OPUS_SET_SIGNAL = 4024;
export const OPUS_SIGNAL_VOICE = 3001;
export const OPUS_APPLICATION_VOIP = 2048;
export const OPUS_APPLICATION_AUDIO = 2049;
