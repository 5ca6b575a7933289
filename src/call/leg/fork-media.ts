/**
 * Which media each device of an outgoing call is offered, decided from how its signalling
 * travels: browsers (SIP over WebSocket) get WebRTC; a device reached over TLS (as a sips:
 * contact always is) gets SDES-SRTP (RFC 4568), whose keys ride in the SDP and so may only ever
 * cross an encrypted hop; everything else gets plain RTP. A device that refuses the SRTP offer
 * (488/415) is called once more with plain RTP, as PBXs with "SRTP optional" do. Pure.
 */
import type { EndpointKind } from '../../media/worker/index.js';
import { addressFamilyOf } from '../../sip/transport/index.js';
import type { ForkTarget } from '../signalling/types.js';
import { defaultMediaFamily, type AddressFamily, type MediaAddresses } from '../media/media-family.js';
import { failurePriority, OriginateError } from './outbound-leg-state.js';

function isBrowser(fork: ForkTarget): boolean {
  return fork.target.protocol === 'ws' || fork.target.protocol === 'wss';
}

/**
 * The endpoint kind offered to one device. SDES-SRTP only when our hop to it is TLS: a sips:
 * contact is reached over TLS (RFC 3261 26.2.2; the registrar's target says 'tls'), while one
 * behind an edge proxy reached over UDP/TCP (its Path) gets plain RTP, since the keys would
 * cross that hop in the clear. `requested` (an application's explicit choice) applies to every
 * fork except that an 'srtp' request becomes 'rtp' for a fork not reached over TLS.
 */
export function mediaKindForFork(fork: ForkTarget, requested?: EndpointKind): EndpointKind {
  const tls = fork.target.protocol === 'tls';
  if (requested !== undefined) return requested === 'srtp' && !tls ? 'rtp' : requested;
  if (isBrowser(fork)) return 'webrtc';
  return tls ? 'srtp' : 'rtp';
}

/**
 * The one kind every fork of a target shares, for decisions about the whole call (e.g. relaying
 * video only between plain-RTP phones): 'webrtc' when every fork is a browser, 'srtp' when every
 * fork is reached over TLS, 'rtp' otherwise (each fork still gets its own offer: forkGroups).
 */
export function mediaKindForForks(forks: readonly ForkTarget[]): EndpointKind {
  if (forks.length === 0) return 'rtp';
  const kinds = new Set(forks.map((f) => mediaKindForFork(f)));
  const only = kinds.size === 1 ? [...kinds][0] : undefined;
  return only ?? 'rtp';
}

/**
 * The kind one leg offers all its forks: as asked (default 'rtp'), except SDES-SRTP when one
 * of them is not reached over TLS (the same offer, keys included, goes to every fork).
 */
export function legMediaKind(forks: readonly ForkTarget[], requested: EndpointKind = 'rtp'): EndpointKind {
  return requested === 'srtp' && forks.some((f) => mediaKindForFork(f, 'srtp') !== 'srtp') ? 'rtp' : requested;
}

/**
 * The forks one endpoint can serve: those whose address is of the first device's family (or a
 * host name, of no known family), and that family. A device of the other family is left to a
 * leg of its own (forkGroups splits by family).
 */
export function forksOfOneFamily(addresses: MediaAddresses, forks: readonly ForkTarget[]): { family: AddressFamily; forks: ForkTarget[] } {
  const known = forks.map((f) => addressFamilyOf(f.target.address));
  const family = known.find((k) => k !== undefined) ?? defaultMediaFamily(addresses);
  return { family, forks: forks.filter((_, i) => known[i] === undefined || known[i] === family) };
}

/** Forks offered the same media from one endpoint (one OutboundLeg). */
export interface ForkGroup {
  kind: EndpointKind;
  forks: ForkTarget[];
  /** A plain-RTP retry of a device that refused SRTP: not retried again. */
  fallback?: boolean;
}

/**
 * The forks split by the offer each needs. An SRTP fork is a group of its own, so that a refusal
 * of SRTP by one device retries that device alone; browsers share one WebRTC group and plain
 * devices one RTP group (a single endpoint, as before), in the order of their first fork. IPv4
 * and IPv6 devices never share a group: an endpoint and its SDP address are of one family.
 */
export function forkGroups(forks: readonly ForkTarget[], requested?: EndpointKind): ForkGroup[] {
  const groups: ForkGroup[] = [];
  const shared = new Map<string, ForkGroup>();
  for (const fork of forks) {
    const kind = mediaKindForFork(fork, requested);
    if (kind === 'srtp') {
      groups.push({ kind, forks: [fork] });
      continue;
    }
    const key = `${kind}/${addressFamilyOf(fork.target.address) ?? ''}`;
    let group = shared.get(key);
    if (group === undefined) {
      group = { kind, forks: [] };
      shared.set(key, group);
      groups.push(group);
    }
    group.forks.push(fork);
  }
  return groups;
}

/**
 * The plain-RTP retry of a group that failed, or undefined: only an SRTP offer refused as such
 * (488 Not Acceptable Here, 415 Unsupported Media Type; also our own 488 for an answer that
 * did not take the SRTP offer), and only once.
 */
export function plainRtpRetry(group: ForkGroup, status: number | undefined): ForkGroup | undefined {
  if (group.kind !== 'srtp' || group.fallback === true) return undefined;
  if (status !== 488 && status !== 415) return undefined;
  return { kind: 'rtp', forks: group.forks, fallback: true };
}

/**
 * The failure reported for a target whose every group failed: the best final response as a
 * forking proxy would pick it (RFC 3261 16.7), e.g. busy on one phone beats a refusal on another.
 */
export function combinedFailure(failures: readonly OriginateError[]): OriginateError {
  let best: OriginateError | undefined;
  for (const f of failures) {
    if (best === undefined) best = f;
    else if (f.status !== undefined && (best.status === undefined || failurePriority(f.status) > failurePriority(best.status))) best = f;
  }
  return best ?? new OriginateError('unavailable', 480);
}
