/**
 * Call progress tones. Brazil (ANATEL, as listed in ITU-T E.180 Supplement 2 and Asterisk's
 * [br] indications): everything at 425 Hz; dial continuous; ringback 1 s on, 4 s off; busy
 * 250 ms on, 250 ms off; congestion 250 on, 250 off, 750 on, 250 off; call waiting a 50 ms beep
 * every second.
 */
import { dtmfFrequencies, type DtmfDigit } from '../dtmf/index.js';
import { parseToneList } from './tone-list.js';
import type { ToneSegment, ToneSpec } from './tone-generator.js';

export type CallProgressTone = 'dial' | 'ringback' | 'busy' | 'congestion' | 'callWaiting';

/** Brazilian cadences in tone-list notation. */
export const BRAZIL_CALL_PROGRESS: Readonly<Record<CallProgressTone, string>> = {
  dial: '425',
  ringback: '425/1000,0/4000',
  busy: '425/250,0/250',
  congestion: '425/250,0/250,425/750,0/250',
  callWaiting: '425/50,0/1000',
};

/** A Brazilian call progress tone at `levelDbm0` (default -13 dBm0). */
export function brazilianTone(tone: CallProgressTone, levelDbm0?: number): ToneSpec {
  const spec = parseToneList(BRAZIL_CALL_PROGRESS[tone], levelDbm0);
  // The table above is ours and parses; a failure here is a bug in it.
  if ('type' in spec) throw new Error(`bad built-in tone ${tone}: ${spec.reason}`);
  return spec;
}

/** A continuous test tone (the *44 service): 1 kHz at -10 dBm0 unless told otherwise. */
export function testTone(hz = 1000, levelDbm0 = -10): ToneSpec {
  return { segments: [{ frequencies: [hz], durationMs: Infinity }], levelDbm0 };
}

export interface DtmfToneOptions {
  /** Tone on time per digit (default 100 ms). */
  onMs?: number;
  /** Silence after each digit (default 100 ms). */
  offMs?: number;
  /** Low-group (row) level in dBm0 (default -8). */
  lowLevelDbm0?: number;
  /** High-group level minus low-group level, in dB (default +2, the usual pre-emphasis). */
  twistDb?: number;
}

/** The DTMF signal for a string of digits, played once. */
export function dtmfTones(digits: readonly DtmfDigit[] | string, opts: DtmfToneOptions = {}): ToneSpec {
  const onMs = opts.onMs ?? 100;
  const offMs = opts.offMs ?? 100;
  const low = opts.lowLevelDbm0 ?? -8;
  const high = low + (opts.twistDb ?? 2);
  const segments: ToneSegment[] = [];
  for (const d of digits) {
    segments.push({ frequencies: dtmfFrequencies(d as DtmfDigit), durationMs: onMs, levelDbm0: [low, high] });
    if (offMs > 0) segments.push({ frequencies: [], durationMs: offMs });
  }
  return { segments, repeat: false };
}
