/**
 * What the media graph (players, echo, recorders, mixers inside one worker) is asked to do and
 * what it reports. The worker protocol re-exports these, so both sides of the seam share them.
 * Everything is structured-clone friendly.
 */

/** Built-in tones: Brazilian call progress (425 Hz cadences) and the 1 kHz test tone at -10 dBm0. */
export type ToneName = 'ringback' | 'busy' | 'congestion' | 'dial' | 'callWaiting' | 'test';

/** One thing to play, as named over the seam. */
export type PlaySourceSpec =
  | { kind: 'file'; path: string }
  /** Without durationMs a tone plays until stopped (cadences repeat). */
  | { kind: 'tone'; tone: ToneName; durationMs?: number }
  | { kind: 'silence'; durationMs: number }
  /** Music on hold: the folder's .wav files, looping until stopped. */
  | { kind: 'folder'; path: string; order?: 'name' | 'shuffle' };

export interface PlaySpec {
  playId: string;
  sources: PlaySourceSpec[];
  /** Start over after the last source until stopped. */
  loop?: boolean;
  /** An incoming digit (RFC 4733 or in-band) ends the play with reason 'bargeIn'. */
  bargeIn?: boolean;
}

export type PlayDoneReason = 'finished' | 'stopped' | 'bargeIn' | 'error';

export interface RecordSpec {
  recId: string;
  path: string;
  /** One endpoint: a mono recording of what it sends (voicemail); two: one party per channel. */
  endpoints: [string] | [string, string];
  /** Two endpoints: 'stereo' (default, A left, B right) or 'mixed' mono. */
  layout?: 'stereo' | 'mixed';
  sampleRate?: 8000 | 16000;
}

/** A finished recording. */
export interface RecordResult {
  path: string;
  durationMs: number;
  bytes: number;
}

/** A mix member: the endpoint whose incoming audio joins the mix and what it hears. */
export interface MixMemberSpec {
  endpoint: string;
  /**
   * 'all-but-self' (conference) or the endpoints it hears. An empty list means talk only: the
   * mix sends this member nothing and its relay, if any, keeps sending to it.
   */
  hears: 'all-but-self' | string[];
}

/** Events the graph raises (the runtime posts them as MediaEvents). */
export type GraphEvent =
  | { ev: 'playDone'; endpoint: string; playId: string; reason: PlayDoneReason; error?: string }
  | { ev: 'recordDone'; recId: string; path: string; durationMs: number; bytes: number; error?: string };
