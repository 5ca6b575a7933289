/**
 * Connects two legs' media in the media workers (a relay, transcoding when their codecs
 * differ) until either leg ends; then the relay is taken down and the other leg is hung up.
 * Both endpoints must live in the same worker: open the second leg `near` the first
 * (originate's `near` option). With `record`, the call is recorded from the moment the relay
 * is up until the bridge ends, party a on the left channel and b on the right; `record.onStart`
 * gets the recording's pause/resume handle.
 */
import { AtendeError } from '../../core/index.js';
import type { EndpointId } from '../../media/worker/index.js';
import { isHangupError } from './hangup-error.js';
import type { EndSignal } from './leg-end.js';
import type { HangupCause, Leg, Recording, RecordingHandle } from './leg-types.js';
import { RunningRecording, type RecorderPort } from './running-recording.js';

/** The part of the media worker pool a bridge uses (the recorder part only for `record`). */
export interface MediaConnector extends Partial<RecorderPort> {
  connect(a: EndpointId, b: EndpointId): Promise<{ transcoding: boolean }>;
  disconnect(endpoint: EndpointId): Promise<void>;
}

/** How a bridged call is recorded. */
export interface BridgeRecordOptions {
  /** The WAV file (its folder is created if missing). */
  path: string;
  /** 'stereo' (default): a left, b right; 'mixed': both summed, mono. */
  layout?: 'stereo' | 'mixed';
  /**
   * Called once the recording runs, with its pause/resume (silence while paused, the file keeps
   * the call's length). To start paused, pause here: at most the command's round trip (~1 ms)
   * of the call is recorded before.
   */
  onStart?: (recording: RecordingHandle) => void;
}

/** A leg that can tell which media workers hold its endpoint (OutboundLeg does). */
export interface MediaBridgeable {
  readonly mediaConnector: MediaConnector;
}

export interface BridgeOptions {
  /** Hang up the other leg with 'normal' when one ends (default true). */
  hangupOther?: boolean;
  /** The media workers; needed only when neither leg is MediaBridgeable. */
  media?: MediaConnector;
  record?: BridgeRecordOptions;
  /**
   * Aborting it takes the relay down and resolves with endedBy 'stopped', both legs still up
   * (a transfer re-bridges one of them elsewhere).
   */
  stop?: EndSignal;
}

export interface BridgeEnd {
  /** Which leg ended first, or 'stopped' when `stop` was aborted first (cause 'normal'). */
  endedBy: 'a' | 'b' | 'stopped';
  cause: HangupCause;
  /** The closed recording file, when `record` was asked and the relay came up. */
  recording?: Recording;
}

/** Names recordings uniquely within this process (the pool refuses a duplicate id). */
let recordings = 0;

function recorderOf(media: MediaConnector): RecorderPort | undefined {
  const { record, stopRecord, on, pauseRecord, resumeRecord } = media;
  if (record === undefined || stopRecord === undefined || on === undefined) return undefined;
  return {
    record: record.bind(media), stopRecord: stopRecord.bind(media), on: on.bind(media),
    ...(pauseRecord !== undefined ? { pauseRecord: pauseRecord.bind(media) } : {}),
    ...(resumeRecord !== undefined ? { resumeRecord: resumeRecord.bind(media) } : {}),
  };
}

/** A bridge that could not be set up (a leg without media, endpoints in different workers). */
export class BridgeError extends AtendeError {}

function connectorOf(leg: Leg): MediaConnector | undefined {
  return 'mediaConnector' in leg ? (leg as Leg & MediaBridgeable).mediaConnector : undefined;
}

function causeOf(signal: EndSignal): HangupCause {
  const reason: unknown = signal.reason;
  return isHangupError(reason) ? reason.hangupCause : 'normal';
}

/** Which leg ended first (a when both already had), or the stop signal, as soon as one does. */
function firstEnded(a: Leg, b: Leg, stop: EndSignal | undefined): Promise<'a' | 'b' | 'stopped'> {
  // A stop asked for while the relay was still being set up wins over a leg that ended since:
  // the application stopped the bridge to do something with the legs (a transfer whose
  // transferor hangs up right after the 202), and a bridge ended by a leg would hang up the other.
  if (stop?.aborted === true) return Promise.resolve('stopped');
  if (a.signal.aborted) return Promise.resolve('a');
  if (b.signal.aborted) return Promise.resolve('b');
  return new Promise((resolve) => {
    const onA = (): void => done('a');
    const onB = (): void => done('b');
    const onStop = (): void => done('stopped');
    const done = (which: 'a' | 'b' | 'stopped'): void => {
      a.signal.removeEventListener('abort', onA);
      b.signal.removeEventListener('abort', onB);
      stop?.removeEventListener('abort', onStop);
      resolve(which);
    };
    a.signal.addEventListener('abort', onA, { once: true });
    b.signal.addEventListener('abort', onB, { once: true });
    stop?.addEventListener('abort', onStop, { once: true });
  });
}

/**
 * Relays media between `a` and `b` and resolves when either leg ends, with which one and why.
 * Rejects with a BridgeError when the relay cannot be set up (both legs stay up then).
 */
export async function bridge(a: Leg, b: Leg, opts: BridgeOptions = {}): Promise<BridgeEnd> {
  const hangupOther = opts.hangupOther ?? true;
  const media = opts.media ?? connectorOf(a) ?? connectorOf(b);
  let connected: EndpointId | undefined;
  let recording: RunningRecording | undefined;
  if (!a.signal.aborted && !b.signal.aborted) {
    const ea = a.endpointId;
    const eb = b.endpointId;
    if (media === undefined) throw new BridgeError('no_media_pool', 'neither leg knows its media workers: pass opts.media');
    if (ea === undefined || eb === undefined) throw new BridgeError('no_media', `leg ${ea === undefined ? a.id : b.id} has no media endpoint yet`);
    const recorder = opts.record !== undefined ? recorderOf(media) : undefined;
    if (opts.record !== undefined && recorder === undefined) throw new BridgeError('no_recorder', 'these media workers cannot record: pass opts.media with record/stopRecord/on');
    try {
      await media.connect(ea, eb);
      connected = ea;
    } catch (err) {
      // A leg that ended meanwhile (its endpoint destroyed) ends the bridge, not an error.
      if (!a.signal.aborted && !b.signal.aborted) throw new BridgeError('connect_failed', `cannot relay ${ea} and ${eb}`, { cause: err });
    }
    if (connected !== undefined && opts.record !== undefined && recorder !== undefined) {
      try {
        recording = await RunningRecording.start(recorder, {
          recId: `bridge.${ea}.${eb}.${++recordings}`,
          path: opts.record.path,
          endpoints: [ea, eb],
          ...(opts.record.layout !== undefined ? { layout: opts.record.layout } : {}),
        });
      } catch (err) {
        if (!a.signal.aborted && !b.signal.aborted) {
          // A call that must be recorded and cannot be is the application's decision: the legs stay up, unbridged.
          await media.disconnect(ea).catch(() => undefined);
          throw new BridgeError('record_failed', `cannot record ${ea} and ${eb} to ${opts.record.path}`, { cause: err });
        }
      }
      try {
        if (recording !== undefined) opts.record.onStart?.(recording.handle);
      } catch {
        // The application's callback failing must not leave the relay and the recording orphaned.
      }
    }
  }
  const endedBy = await firstEnded(a, b, opts.stop);
  if (endedBy === 'stopped') {
    const file = recording !== undefined ? await recording.stop() : undefined;
    if (connected !== undefined && media !== undefined) await media.disconnect(connected).catch(() => undefined);
    return { endedBy, cause: 'normal', ...(file !== undefined ? { recording: file } : {}) };
  }
  const gone = endedBy === 'a' ? a : b;
  const other = endedBy === 'a' ? b : a;
  const cause = causeOf(gone.signal);
  // Stopped before the relay is taken down, so the file ends where the call did.
  const file = recording !== undefined ? await recording.stop() : undefined;
  const survives = !hangupOther || other.signal.aborted;
  if (connected !== undefined && media !== undefined && !hangupOther) {
    // The survivor's endpoint lives on (it may be bridged again or hear a prompt). One that is
    // hung up next loses its relay when its endpoint is destroyed: no extra round trip.
    const survivor = other.endpointId;
    if (survivor !== undefined) await media.disconnect(survivor).catch(() => undefined);
  }
  if (!survives) await other.hangup('normal');
  return { endedBy, cause, ...(file !== undefined ? { recording: file } : {}) };
}
