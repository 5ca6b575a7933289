/**
 * In-band DTMF detection on an endpoint's decoded incoming audio: G.711 at 8 kHz and G.722 at
 * 16 kHz go to the detector as they are; Opus (48 kHz) is decimated to 8 kHz first, with a
 * short filter (48 taps: a quarter of the default's cost), plenty for tones under 1.7 kHz.
 * Digits go to the endpoint, whose digit stream drops the in-band copy of a key press also sent
 * as RFC 4733. A gap in the audio longer than a few lost packets (DTX, a restarted sender) starts
 * detection over, so two presses of one key around a silent gap are not taken for one.
 * Per frame it allocates nothing: the detector and the resampler reuse their buffers. Shaped
 * like an AudioSink, without naming it (endpoint-node imports this file).
 */
import { Resampler, type SampleRate } from '../codec/index.js';
import { InbandDtmfDetector } from '../dtmf/index.js';
import type { RtpEndpoint } from '../endpoint/index.js';

/** Missing audio bridged as packet loss; a longer gap resets the detector. */
const MAX_BRIDGED_GAP_MS = 100;

export class InbandDtmfSink {
  private detector: InbandDtmfDetector | undefined;
  private resampler: Resampler | undefined;
  private rate = 0;
  private expectedMs = Number.NaN;
  /** Digits the detector found (duplicates the digit stream later dropped included). */
  detected = 0;
  /** True once a digit was handed to the endpoint during the last audio() call. */
  found = false;

  constructor(private readonly endpoint: RtpEndpoint) {}

  audio(pcm: Int16Array, rate: SampleRate, mediaTimeMs: number): void {
    if (rate !== this.rate) this.configure(rate);
    const detector = this.detector!;
    if (mediaTimeMs - this.expectedMs > MAX_BRIDGED_GAP_MS) {
      detector.reset();
      this.resampler?.reset();
    }
    this.expectedMs = mediaTimeMs + (pcm.length * 1000) / rate;
    const samples = this.resampler ? this.resampler.process(pcm) : pcm;
    const digits = detector.process(samples, mediaTimeMs);
    this.found = digits.length > 0;
    for (let i = 0; i < digits.length; i++) {
      const d = digits[i]!;
      this.detected++;
      this.endpoint.receiveInbandDigit(d.digit, d.startMs);
    }
  }

  /** Forgets any tone in progress (detection switched off and on again). */
  reset(): void {
    this.detector?.reset();
    this.resampler?.reset();
    this.expectedMs = Number.NaN;
  }

  private configure(rate: SampleRate): void {
    this.rate = rate;
    const detectorRate = rate === 16000 ? 16000 : 8000;
    this.resampler = rate === detectorRate ? undefined : new Resampler(rate, detectorRate, { tapsPerPhase: 8 });
    this.detector = new InbandDtmfDetector({ sampleRate: detectorRate });
    this.expectedMs = Number.NaN;
  }
}
