/**
 * The call-control API applications are written against (CALL-CONTROL.md): a Leg is one SIP
 * dialog plus one media endpoint, with awaitable operations. A hang-up from either side aborts
 * `signal`, and every pending operation rejects with a HangupError.
 */

export type LegState = 'offered' | 'early' | 'answered' | 'held' | 'ended';

/** One end of a call as shown to people: a number, a name, the SIP URI it came from. */
export interface Party {
  uri: string;
  /** The user part when it is a dialable number (an extension, an E.164 number). */
  number?: string;
  displayName?: string;
}

/**
 * Why a leg ended, in telephony terms; mapped to SIP statuses before an answer and to Q.850
 * causes in the Reason header of a BYE (RFC 3326), as Asterisk and FreeSWITCH do.
 */
export type HangupCause =
  | 'normal'
  | 'busy'
  | 'no-answer'
  | 'rejected'
  | 'not-found'
  | 'unavailable'
  | 'cancelled'
  | 'media-timeout'
  | 'session-expired'
  | 'ack-timeout'
  | 'shutdown'
  | 'failed';

/** Something a leg can play: a prompt file, a tone, or silence. */
export type PlayItem =
  | { kind: 'file'; path: string }
  | { kind: 'tone'; tone: 'ringback' | 'busy' | 'congestion' | 'dial' | 'callWaiting' | 'test'; durationMs?: number }
  | { kind: 'silence'; durationMs: number };

export interface PlayOptions {
  /** A keypad digit stops the playback (and is kept for the next collect). */
  bargeIn?: boolean;
  loop?: boolean;
}

export interface PlayResult {
  reason: 'finished' | 'stopped' | 'bargeIn' | 'error';
}

export interface CollectOptions {
  /** Most digits to collect. */
  max: number;
  /** A digit that ends collection early and is not returned (typically '#'). */
  terminator?: string;
  /** How long to wait for the first digit (after the prompt ended). */
  firstDigitMs: number;
  /** How long to wait between digits. */
  interDigitMs: number;
  /** Played first; a digit pressed during it counts (barge-in). */
  prompt?: PlayItem | PlayItem[];
}

export type LegEvent =
  | { type: 'dtmf'; digit: string }
  | { type: 'held' }
  | { type: 'unheld' }
  | { type: 'ended'; cause: HangupCause };

/** One dialog plus one media endpoint, the unit every application works with. */
export interface Leg {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly from: Party;
  readonly to: Party;
  readonly state: LegState;
  /** Aborted when the leg ends, whoever ends it. */
  readonly signal: AbortSignal;
  /** The media endpoint's id in the media workers, once it exists. */
  readonly endpointId: string | undefined;

  ring(opts?: { earlyMedia?: boolean }): Promise<void>;
  answer(): Promise<void>;
  play(what: PlayItem | PlayItem[], opts?: PlayOptions): Promise<PlayResult>;
  collect(opts: CollectOptions): Promise<string>;
  /** Sends one RFC 4733 digit to the far end. */
  sendDigit(digit: string, durationMs?: number): Promise<void>;
  /** Plays back what the far end sends (the echo test). */
  echo(): Promise<void>;
  hangup(cause?: HangupCause): Promise<void>;
  on(listener: (event: LegEvent) => void): () => void;
}
