/**
 * The call-control API applications are written against (CALL-CONTROL.md): a Leg is one SIP
 * dialog plus one media endpoint, with awaitable operations. A hang-up from either side aborts
 * `signal`, and every pending operation rejects with a HangupError.
 */
import type { EndSignal } from './leg-end.js';

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
  | { kind: 'silence'; durationMs: number }
  /** Music on hold: the folder's .wav files in name order (with `loop`, until stopped). */
  | { kind: 'folder'; path: string };

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

/** What a leg records on its own (voicemail): the far end's audio, mono. */
export interface RecordOptions {
  /** The WAV file to write (its folder is created if missing). */
  path: string;
  /** Stop after this long (default: until stopRecording or the end of the leg). */
  maxMs?: number;
  /** Play a short 1 kHz beep first, so the caller knows when to speak. */
  beep?: boolean;
}

/** A closed recording file. */
export interface Recording {
  path: string;
  durationMs: number;
  bytes: number;
  /** Set when the file could not be written completely (disk error, media worker died). */
  error?: string;
}

/**
 * Pause/resume of a running recording. Paused, it records silence (as Asterisk's MixMonitor
 * mute): a compliance pause while the caller reads out a card number hides the voice, and the
 * file still lasts as long as the call. Both are idempotent and do nothing once it ended.
 */
export interface RecordingHandle {
  readonly paused: boolean;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** A leg's own recording, with what stopped it. */
export interface LegRecording extends Recording {
  reason: 'stopped' | 'max-duration' | 'hangup' | 'error';
}

/** Media quality of a leg, from our counters and RTCP (the CDR keeps it). */
export interface LegStats {
  /** RTP packets received from the far end. */
  packets: number;
  /** RTP packets sent to the far end. */
  packetsSent: number;
  /** Packets the far end sent that never arrived (RFC 3550 A.3). */
  lost: number;
  /** Interarrival jitter of what we receive (RFC 3550 6.4.1), ms. */
  jitterMs: number;
  /** Round-trip time from RTCP, once a report came back. */
  rttMs?: number;
  /** Estimated MOS (E-model, 1-4.5). */
  mos: number;
}

/**
 * A REFER the far end sent on an answered leg (RFC 3515): it asks us to call `target` (a
 * blind transfer when the far end is the transferor). The handler given to `Leg.onRefer`
 * decides by calling `accept()` (202 Accepted, then NOTIFY 100 Trying) or `reject()`; if it
 * does neither, the REFER gets 603 Decline. After accepting, `report()` tells the referrer
 * how the call to the target went (a NOTIFY with a message/sipfrag status line); a final
 * status (>= 200) ends the implicit subscription.
 */
export interface IncomingRefer {
  /** The URI to call (Refer-To without URI headers), e.g. `sip:1003@atende.local`. */
  readonly target: string;
  /** The user part when the target is a SIP URI with one (the extension or number dialled). */
  readonly targetUser: string | undefined;
  /** The host of a SIP target URI. */
  readonly targetHost: string | undefined;
  /** Referred-By as sent (RFC 3892), when present. */
  readonly referredBy: string | undefined;
  /**
   * Attended transfer (RFC 3891 Replaces in Refer-To): the dialog the referrer wants the target's
   * call to replace, tags as Atende sees it (to-tag ours). Present only to handlers registered
   * with `{ attended: true }`; other handlers never see such REFERs (501).
   */
  readonly replaces: { callId: string; toTag: string; fromTag: string } | undefined;
  /** False when the referrer asked for no NOTIFYs (Refer-Sub: false, RFC 4488): report() sends nothing. */
  readonly subscription: boolean;
  /** 202 Accepted (and NOTIFY 100 Trying). */
  accept(): void;
  /** A final refusal of the REFER itself, e.g. 404 for an unknown target, 603 Decline. */
  reject(status: number, reason?: string): void;
  /**
   * Reports the call to the target: a provisional (180) or a final status (200, 486, 480...).
   * Resolves once the NOTIFY is answered (or could not be sent): wait for it before ending the
   * referrer's leg, so the outcome reaches it before our BYE.
   */
  report(status: number, reason?: string): Promise<void>;
}

/** Decides an incoming REFER; may be async (the REFER waits for accept or reject). */
export type ReferHandler = (refer: IncomingRefer) => void | Promise<void>;

/** Options of `Leg.transfer`. */
export interface TransferOptions {
  /** Our Referred-By (RFC 3892); default: our own address in the dialog. */
  referredBy?: string;
  /** Ask for no NOTIFYs (Refer-Sub: false, RFC 4488): resolves on the 2xx to the REFER. */
  noSubscription?: boolean;
  /** Give up waiting for the final NOTIFY after this long (default 120 s): rejects with status 408. */
  timeoutMs?: number;
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
  readonly signal: EndSignal;
  /** The media endpoint's id in the media workers, once it exists. */
  readonly endpointId: string | undefined;

  ring(opts?: { earlyMedia?: boolean }): Promise<void>;
  answer(): Promise<void>;
  play(what: PlayItem | PlayItem[], opts?: PlayOptions): Promise<PlayResult>;
  collect(opts: CollectOptions): Promise<string>;
  /**
   * Sends one digit to the far end: RFC 4733 when it negotiated telephone-event, else as
   * in-band tones in its codec (the relay or a play towards it is muted for the digit).
   */
  sendDigit(digit: string, durationMs?: number): Promise<void>;
  /** Plays back what the far end sends (the echo test). */
  echo(): Promise<void>;
  /**
   * Records what the far end says (mono) and resolves when the recording stops: by
   * `stopRecording()`, after `maxMs`, or when the leg ends. Unlike every other operation it
   * does NOT reject with a HangupError when the leg ends: a voicemail left before hanging up
   * is kept, so it resolves with the file and reason 'hangup'.
   */
  record(opts: RecordOptions): Promise<LegRecording>;
  /** Stops the leg's own recording (record resolves with reason 'stopped'); nothing when none runs. */
  stopRecording(): Promise<void>;
  /**
   * Pauses the leg's own recording: silence is recorded until resumeRecording(), so the file
   * keeps the call's length (RecordingHandle). Idempotent; nothing when none runs.
   */
  pauseRecording(): Promise<void>;
  /** Resumes the leg's own recording; nothing when none runs or it is not paused. */
  resumeRecording(): Promise<void>;
  /**
   * Puts the far end on hold from our side: a re-INVITE with a=sendonly, then music from
   * `musicFolder` in a loop when given. Rejects with a ReinviteError when refused (the call
   * goes on unchanged).
   */
  hold(musicFolder?: string): Promise<void>;
  /** Takes the far end off hold: stops the music and re-INVITEs with a=sendrecv. */
  unhold(): Promise<void>;
  /** True while we hold the far end (hold() done, unhold() not yet); `state` 'held' is the far end holding us. */
  readonly holding: boolean;
  /** Current media quality (rejects with a HangupError once the leg ended: read `lastStats`). */
  stats(): Promise<LegStats>;
  /** The quality read just before the leg's media endpoint was released (after it ended). */
  readonly lastStats: LegStats | undefined;
  hangup(cause?: HangupCause): Promise<void>;
  /**
   * Asks the far end to call `targetUri` itself (REFER on this leg's dialog, RFC 3515) and
   * resolves when a NOTIFY reports a 2xx from the target. Rejects with a TransferError when the
   * REFER is refused or the NOTIFY reports 3xx-6xx, with a HangupError when the leg ends first.
   * The leg stays up: a transferred phone normally hangs up by itself afterwards.
   */
  transfer(targetUri: string, opts?: TransferOptions): Promise<void>;
  /**
   * Registers the handler for REFERs from the far end (only one; a later call replaces it).
   * Without a handler a REFER gets 603 Decline; a REFER with Replaces (attended transfer) gets
   * 501 unless the handler was registered with `attended: true`. Returns a function that removes it.
   */
  onRefer(handler: ReferHandler, opts?: { attended?: boolean }): () => void;
  /** The SIP dialog's identity once the leg has one (Call-ID and tags, ours local). */
  readonly dialogId: { callId: string; localTag: string; remoteTag: string } | undefined;
  on(listener: (event: LegEvent) => void): () => void;
}
