// Cost of in-band DTMF detection per 20 ms frame per endpoint (not a test):
// `npx tsx bench/media/inband-dtmf-cost.ts`. Decoding is measured apart from detection
// because a recorded or mixed endpoint decodes anyway; the detection is what in-band DTMF adds.
// Each figure is the best of 5 runs (the machine is shared). Allocation: heap growth per frame
// of decode+detect over speech only (no digit found), in a run short enough that no collection
// happens (checked); each digit found allocates its event, which is per key press, not per frame.
import { PerformanceObserver } from 'node:perf_hooks';
import { createDecoder, createEncoder, type CodecName } from '../../src/media/codec/index.js';
import type { RtpEndpoint } from '../../src/media/endpoint/index.js';
import { speechLike, toPcm } from '../../src/media/dtmf/synthetic-audio.js';
import { ToneGenerator, dtmfTones } from '../../src/media/tone/index.js';
import { InbandDtmfSink } from '../../src/media/graph/inband-dtmf-sink.js';

const FRAMES = 50_000;
const SHORT = 2_000;
let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });

/** 20 ms payloads of `codec` carrying speech-like audio, with a few key presses after it. */
function payloads(codec: CodecName, keys: boolean): Uint8Array[] {
  const encoder = createEncoder(codec);
  const rate = encoder.sampleRate;
  const speech = toPcm(speechLike(2, rate));
  const tones = new Int16Array(keys ? rate : 0);
  new ToneGenerator(dtmfTones('12345'), rate).fill(tones);
  const pcm = new Int16Array(speech.length + tones.length);
  pcm.set(speech);
  pcm.set(tones, speech.length);
  const out: Uint8Array[] = [];
  for (let i = 0; i + rate / 50 <= pcm.length; i += rate / 50) out.push(Uint8Array.from(encoder.encode(pcm.subarray(i, i + rate / 50))));
  encoder.close();
  return out;
}

async function measure(codec: CodecName): Promise<void> {
  const speech = payloads(codec, false);
  const keyed = payloads(codec, true);
  let input = speech;
  let digits = 0;
  // Only receiveInbandDigit is called on the endpoint.
  const endpoint = { receiveInbandDigit: () => void digits++ } as unknown as RtpEndpoint;
  const decoder = createDecoder(codec);
  const sink = new InbandDtmfSink(endpoint);
  const runFor = (frames: number, detect = true): void => {
    for (let i = 0; i < frames; i++) {
      const pcm = decoder.decode(input[i % input.length]!);
      if (detect) sink.audio(pcm, decoder.sampleRate, i * 20);
    }
  };
  const run = (detect: boolean): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < FRAMES; i++) {
      const pcm = decoder.decode(input[i % input.length]!);
      if (detect) sink.audio(pcm, decoder.sampleRate, i * 20);
    }
    return Number(process.hrtime.bigint() - t0) / FRAMES / 1000;
  };
  const settle = (): Promise<unknown> => new Promise((r) => setTimeout(r, 50)); // lets the GC observer report
  run(true); // warm up
  runFor(SHORT);
  runFor(SHORT, false);
  await settle();
  const b0 = process.memoryUsage().heapUsed;
  runFor(SHORT, false);
  const decodeGrown = process.memoryUsage().heapUsed - b0;
  gcs = 0;
  const before = process.memoryUsage().heapUsed;
  runFor(SHORT);
  const grown = process.memoryUsage().heapUsed - before;
  await settle();
  // The decoders return a fresh subarray view per call (codec/); what detection adds is the rest.
  const bytesPerFrame = gcs === 0 ? ((grown - decodeGrown) / SHORT).toFixed(1) : 'n/a (a GC ran)';
  const speechDigits = digits;
  input = keyed;
  digits = 0;
  gcs = 0;
  let both = Infinity;
  let decodeOnly = Infinity;
  for (let k = 0; k < 5; k++) {
    both = Math.min(both, run(true));
    decodeOnly = Math.min(decodeOnly, run(false));
  }
  await settle();
  console.log(
    `${codec.padEnd(5)} decode ${decodeOnly.toFixed(1).padStart(5)}  decode+detect ${both.toFixed(1).padStart(5)}`
      + `  detection ${(both - decodeOnly).toFixed(1).padStart(4)} us/frame | speech: ${speechDigits} digits,`
      + ` detection allocates ${bytesPerFrame} B/frame (decode ${(decodeGrown / SHORT).toFixed(0)}) | keys: ${digits} digits found in ${5 * FRAMES} frames`,
  );
  decoder.close();
}

for (const codec of ['PCMU', 'PCMA', 'G722', 'opus'] as CodecName[]) await measure(codec);
