/**
 * Connects two legs' media in the media workers (a relay, transcoding when their codecs
 * differ) until either leg ends; then the relay is taken down and the other leg is hung up.
 * Both endpoints must live in the same worker: open the second leg `near` the first
 * (originate's `near` option).
 */
import { AtendeError } from '../../core/index.js';
import type { EndpointId } from '../../media/worker/index.js';
import { isHangupError } from './hangup-error.js';
import type { HangupCause, Leg } from './leg-types.js';

/** The part of the media worker pool a bridge uses. */
export interface MediaConnector {
  connect(a: EndpointId, b: EndpointId): Promise<{ transcoding: boolean }>;
  disconnect(endpoint: EndpointId): Promise<void>;
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
}

export interface BridgeEnd {
  endedBy: 'a' | 'b';
  cause: HangupCause;
}

/** A bridge that could not be set up (a leg without media, endpoints in different workers). */
export class BridgeError extends AtendeError {}

function connectorOf(leg: Leg): MediaConnector | undefined {
  return 'mediaConnector' in leg ? (leg as Leg & MediaBridgeable).mediaConnector : undefined;
}

function causeOf(signal: AbortSignal): HangupCause {
  const reason: unknown = signal.reason;
  return isHangupError(reason) ? reason.hangupCause : 'normal';
}

/** Which leg ended first (a when both already had), as soon as one does. */
function firstEnded(a: Leg, b: Leg): Promise<'a' | 'b'> {
  if (a.signal.aborted) return Promise.resolve('a');
  if (b.signal.aborted) return Promise.resolve('b');
  return new Promise((resolve) => {
    const onA = (): void => done('a');
    const onB = (): void => done('b');
    const done = (which: 'a' | 'b'): void => {
      a.signal.removeEventListener('abort', onA);
      b.signal.removeEventListener('abort', onB);
      resolve(which);
    };
    a.signal.addEventListener('abort', onA, { once: true });
    b.signal.addEventListener('abort', onB, { once: true });
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
  if (!a.signal.aborted && !b.signal.aborted) {
    const ea = a.endpointId;
    const eb = b.endpointId;
    if (media === undefined) throw new BridgeError('no_media_pool', 'neither leg knows its media workers: pass opts.media');
    if (ea === undefined || eb === undefined) throw new BridgeError('no_media', `leg ${ea === undefined ? a.id : b.id} has no media endpoint yet`);
    try {
      await media.connect(ea, eb);
      connected = ea;
    } catch (err) {
      // A leg that ended meanwhile (its endpoint destroyed) ends the bridge, not an error.
      if (!a.signal.aborted && !b.signal.aborted) throw new BridgeError('connect_failed', `cannot relay ${ea} and ${eb}`, { cause: err });
    }
  }
  const endedBy = await firstEnded(a, b);
  const gone = endedBy === 'a' ? a : b;
  const other = endedBy === 'a' ? b : a;
  const cause = causeOf(gone.signal);
  if (connected !== undefined && media !== undefined) {
    // The survivor's endpoint lives on (it may be bridged again or hear a prompt).
    const survivor = other.endpointId;
    if (survivor !== undefined) await media.disconnect(survivor).catch(() => undefined);
  }
  if (hangupOther && !other.signal.aborted) await other.hangup('normal');
  return { endedBy, cause };
}
