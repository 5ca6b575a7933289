/**
 * A new outgoing leg: INVITE to every device of a target, resolved with the leg once one
 * answers. Busy, no answer within `timeoutMs`, refusal or an abort reject with an
 * OriginateError whose `cause` says which (the forks still ringing are cancelled); nothing
 * of the attempt outlives it (media endpoint, timers, index entries).
 */
import type { EndpointKind } from '../../media/worker/index.js';
import type { ForkTarget } from '../signalling/types.js';
import type { LegDeps } from './leg-deps.js';
import type { Party } from './leg-types.js';
import { OutboundLeg } from './outbound-leg.js';
import { OriginateError } from './outbound-leg-state.js';

export { OriginateError, isOriginateError, causeForStatus } from './outbound-leg-state.js';

export interface OriginateTarget {
  /** The called address written in To, e.g. `sip:1002@atende.local`. */
  toUri: string;
  /** The devices to ring at once (the target's registered contacts, or a trunk). */
  forks: ForkTarget[];
}

export interface OriginateOptions {
  from: Party;
  /** Ring for at most this long, then cancel: cause 'no-answer'. */
  timeoutMs: number;
  /** Aborting cancels the attempt: cause 'cancelled'. Ignored once answered. */
  signal?: AbortSignal;
  /** Put the new leg's media in the worker of this endpoint (to bridge it with that leg). */
  near?: string;
  /** The endpoint kind to offer (default: WebRTC when every fork is a WebSocket client, else RTP). */
  mediaKind?: EndpointKind;
  /** Sections offered verbatim after our audio (video relayed untouched from the other leg). */
  relaySections?: readonly string[];
  /** Called once when the target rings, early media applied (e.g. to bridge it early). */
  onEarly?: (leg: OutboundLeg) => void;
}

/**
 * Browsers reach us over SIP on WebSocket and speak only WebRTC; other devices get plain RTP.
 * An extension with both kinds of devices gets plain RTP (its browser fork then refuses with 488).
 */
export function mediaKindForForks(forks: readonly ForkTarget[]): EndpointKind {
  const browsers = forks.filter((f) => f.target.protocol === 'ws' || f.target.protocol === 'wss').length;
  return browsers > 0 && browsers === forks.length ? 'webrtc' : 'rtp';
}

export async function originate(deps: LegDeps, target: OriginateTarget, opts: OriginateOptions): Promise<OutboundLeg> {
  if (opts.signal?.aborted) throw new OriginateError('cancelled');
  if (target.forks.length === 0) throw new OriginateError('unavailable', 480);
  let leg: OutboundLeg;
  try {
    leg = await OutboundLeg.call(deps, {
      toUri: target.toUri,
      forks: target.forks,
      from: opts.from,
      ...(opts.near !== undefined ? { near: opts.near } : {}),
      mediaKind: opts.mediaKind ?? mediaKindForForks(target.forks),
      ...(opts.relaySections !== undefined ? { relaySections: opts.relaySections } : {}),
      ...(opts.onEarly !== undefined ? { onEarly: opts.onEarly } : {}),
    });
  } catch (err) {
    // No media endpoint (pool closed, no port, `near` gone): nothing was sent.
    deps.logger.warn({ err, to: target.toUri }, 'no media endpoint for an outbound leg');
    throw new OriginateError('failed');
  }
  const timer = deps.clock.setTimer(opts.timeoutMs, () => void leg.hangup('no-answer'));
  const onAbort = (): void => void leg.hangup('cancelled');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // An abort that came while the endpoint was opening.
  if (opts.signal?.aborted) onAbort();
  try {
    await leg.whenAnswered();
    return leg;
  } catch (err) {
    // The caller gets the error once the endpoint is released: nothing of the attempt is left.
    await leg.settled();
    throw err;
  } finally {
    deps.clock.clearTimer(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
