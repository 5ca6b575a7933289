/** Turns play sources named over the seam into the Player's sources (tones by name). */
import type { PlaySource } from '../player/index.js';
import { brazilianTone, testTone, type ToneSpec } from '../tone/index.js';
import type { PlaySourceSpec, ToneName } from './graph-types.js';

const TONE_NAMES: readonly ToneName[] = ['ringback', 'busy', 'congestion', 'dial', 'callWaiting', 'test'];

/** The tone spec of a built-in tone: Brazilian cadences; 'test' is 1 kHz at -10 dBm0. */
export function toneOf(name: ToneName): ToneSpec {
  return name === 'test' ? testTone(1000, -10) : brazilianTone(name);
}

/** The Player source for `spec`; throws RangeError on a malformed one (the command fails). */
export function playSourceOf(spec: PlaySourceSpec): PlaySource {
  switch (spec?.kind) {
    case 'file':
      if (typeof spec.path !== 'string' || spec.path === '') throw new RangeError('file source needs a path');
      return { kind: 'file', path: spec.path };
    case 'folder':
      if (typeof spec.path !== 'string' || spec.path === '') throw new RangeError('folder source needs a path');
      return { kind: 'folder', path: spec.path, order: spec.order === 'shuffle' ? 'shuffle' : 'name' };
    case 'silence':
      if (!(typeof spec.durationMs === 'number' && spec.durationMs >= 0)) throw new RangeError('silence needs durationMs >= 0');
      return { kind: 'silence', durationMs: spec.durationMs };
    case 'tone': {
      if (!TONE_NAMES.includes(spec.tone)) throw new RangeError(`unknown tone ${String(spec.tone)}`);
      const d = spec.durationMs;
      if (d !== undefined && !(typeof d === 'number' && d >= 0)) throw new RangeError('tone durationMs must be >= 0');
      return d === undefined ? { kind: 'tone', tone: toneOf(spec.tone) } : { kind: 'tone', tone: toneOf(spec.tone), durationMs: d };
    }
    default:
      throw new RangeError(`unknown play source ${String((spec as { kind?: unknown } | undefined)?.kind)}`);
  }
}
