/**
 * Asterisk indications.conf tone lists, the notation operators already know:
 *   element  = [!]freq[+freq2...][/duration_ms]   (freq 0 = silence, no duration = forever)
 *   tonelist = element[,element]*
 * e.g. Brazilian busy "425/250,0/250". Amplitude modulation ("f1*f2") is not supported.
 */
import type { ToneSegment, ToneSpec } from './tone-generator.js';

export interface ToneListError {
  readonly type: 'parse-error';
  readonly reason: string;
}

/** Parses a tone list into a looping ToneSpec (elements marked "!" play only once). */
export function parseToneList(text: string, levelDbm0?: number): ToneSpec | ToneListError {
  const segments: ToneSegment[] = [];
  const elements = text.split(',').map((e) => e.trim());
  for (const element of elements) {
    const m = /^(!?)(\d+(?:\.\d+)?(?:\+\d+(?:\.\d+)?)*)(?:\/(\d+))?$/.exec(element);
    if (!m) return { type: 'parse-error', reason: `bad tone element ${JSON.stringify(element.slice(0, 40))}` };
    const frequencies = (m[2] as string).split('+').map(Number).filter((f) => f > 0);
    const durationMs = m[3] === undefined ? Infinity : Number(m[3]);
    segments.push(m[1] === '!' ? { frequencies, durationMs, once: true } : { frequencies, durationMs });
  }
  return levelDbm0 === undefined ? { segments } : { segments, levelDbm0 };
}
