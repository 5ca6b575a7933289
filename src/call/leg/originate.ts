/**
 * A new outgoing leg: INVITE to every device of a target, resolved with the leg once one
 * answers. Each device is offered the media fitting its transport (fork-media.ts); devices
 * needing different offers ring from legs of their own, raced (originate-race.ts). Busy, no
 * answer within `timeoutMs`, refusal or an abort reject with an OriginateError whose `cause`
 * says which (the forks still ringing are cancelled); nothing of the attempt outlives it
 * (media endpoint, timers, index entries).
 */
import type { EndpointKind } from '../../media/worker/index.js';
import type { ForkTarget } from '../signalling/types.js';
import type { LegDeps } from './leg-deps.js';
import type { EndSignal } from './leg-end.js';
import type { Party } from './leg-types.js';
import { forkGroups, type ForkGroup } from './fork-media.js';
import { OriginateRace } from './originate-race.js';
import { OutboundLeg } from './outbound-leg.js';
import { OriginateError } from './outbound-leg-state.js';

export { OriginateError, isOriginateError, causeForStatus } from './outbound-leg-state.js';
export { mediaKindForFork, mediaKindForForks } from './fork-media.js';

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
  signal?: EndSignal;
  /**
   * Put the new leg's media in the worker of this endpoint, or in this worker (picked by the
   * pool while the other leg's endpoint is still opening), to bridge it with that leg.
   */
  near?: string | { worker: number };
  /**
   * The endpoint kind to offer every fork; by default each fork gets the one fitting its
   * transport (mediaKindForFork: WebRTC for browsers, SDES-SRTP over TLS, else RTP). SDES keys
   * are never offered to a fork not reached over TLS, whatever is asked.
   */
  mediaKind?: EndpointKind;
  /** Sections offered verbatim after our audio (video relayed untouched from the other leg). */
  relaySections?: readonly string[];
  /** Called once when the target rings, early media applied (e.g. to bridge it early). */
  onEarly?: (leg: OutboundLeg) => void;
}

export async function originate(deps: LegDeps, target: OriginateTarget, opts: OriginateOptions): Promise<OutboundLeg> {
  if (opts.signal?.aborted) throw new OriginateError('cancelled');
  if (target.forks.length === 0) throw new OriginateError('unavailable', 480);
  const open = (group: ForkGroup, onEarly: (leg: OutboundLeg) => void): Promise<OutboundLeg> => OutboundLeg.call(deps, {
    toUri: target.toUri,
    forks: group.forks,
    from: opts.from,
    ...(opts.near !== undefined ? { near: opts.near } : {}),
    mediaKind: group.kind,
    // Relayed video is plain RTP: never beside SRTP audio, nor to a device reached over TLS.
    ...(opts.relaySections !== undefined && group.kind === 'rtp' && group.fallback !== true ? { relaySections: opts.relaySections } : {}),
    onEarly,
  });
  const race = new OriginateRace<OutboundLeg>(open, deps.logger, opts.onEarly);
  const timer = deps.clock.setTimer(opts.timeoutMs, () => race.stop('no-answer'));
  const onAbort = (): void => race.stop('cancelled');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  race.start(forkGroups(target.forks, opts.mediaKind));
  try {
    return await race.result;
  } finally {
    deps.clock.clearTimer(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}
