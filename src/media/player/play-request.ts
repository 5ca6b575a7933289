/** What a Player is asked to play and what it reports back. */
import type { ToneSpec } from '../tone/index.js';
import type { PromptError } from './prompt-error.js';

/** One thing to play. Tones and silence are generated; files go through the prompt cache. */
export type PlaySource =
  | { readonly kind: 'file'; readonly path: string }
  /** A tone spec; a repeating cadence plays until `durationMs` (or forever without it). */
  | { readonly kind: 'tone'; readonly tone: ToneSpec; readonly durationMs?: number }
  | { readonly kind: 'silence'; readonly durationMs: number }
  /** Music on hold: every .wav in the folder, in name order or shuffled each pass, forever. */
  | { readonly kind: 'folder'; readonly path: string; readonly order?: 'name' | 'shuffle' }
  /** Audio already at the player's rate (e.g. synthesized); not copied, so do not change it. */
  | { readonly kind: 'samples'; readonly samples: Int16Array };

export interface PlayRequest {
  readonly playId: string;
  readonly sources: readonly PlaySource[];
  /** Start over after the last source until stopped. */
  readonly loop?: boolean;
  /** A DTMF digit (Player.bargeIn) ends this play. */
  readonly bargeIn?: boolean;
}

export type PlayEndReason = 'finished' | 'stopped' | 'bargeIn' | 'error';

/** Sent once per play when it ends, whatever ended it. */
export interface PlayEvent {
  readonly playId: string;
  readonly reason: PlayEndReason;
  /** Why, when reason is 'error'. */
  readonly error?: PromptError;
}
