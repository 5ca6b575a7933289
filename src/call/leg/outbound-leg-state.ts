/**
 * The signalling state of an outbound leg: one INVITE of ours forked to several devices of a
 * target (we are the UAC of each fork). First 2xx wins and the other forks are cancelled; a
 * 2xx arriving after that (a race with our CANCEL, or a fork downstream) is ACKed and ended
 * with BYE (RFC 3261 13.2.2.4, 15). Pure: the leg executes the effects.
 */
import { AtendeError } from '../../core/index.js';
import type { HangupCause } from './leg-types.js';

/**
 * Ranks final failures the way a forking proxy picks the response to forward (RFC 3261
 * 16.7 step 6, simplified): 6xx beats all, then busy (486/600 are what the caller must
 * hear), then the lowest class; 503 is turned into 480 by the caller of this function.
 */
export function failurePriority(status: number): number {
  if (status >= 600) return 1000 + (status === 600 ? 50 : 0);
  if (status === 486) return 900;
  if (status === 487) return 100;
  if (status >= 400 && status < 500) return 500 - (status === 408 || status === 480 ? 50 : 0);
  return 200; // 5xx
}

/**
 * An outbound leg that never got answered: busy, no answer, refused, cancelled, failed.
 * `status` is the best final response of its forks when one decided it.
 */
export class OriginateError extends AtendeError {
  constructor(
    override readonly cause: HangupCause,
    readonly status?: number,
  ) {
    super('originate_failed', `the call was not answered (${cause}${status !== undefined ? `, ${status}` : ''})`);
  }
}

export function isOriginateError(err: unknown): err is OriginateError {
  return err instanceof OriginateError;
}

export type OutboundPhase = 'calling' | 'early' | 'answered' | 'ended';
export type OutboundForkState = 'trying' | 'early' | 'answered' | 'failed' | 'cancelling' | 'ended';

export interface OutboundSnapshot {
  readonly phase: OutboundPhase;
  readonly forks: ReadonlyMap<string, OutboundForkState>;
  readonly winner?: string;
  /** The best final failure so far (RFC 3261 16.7 ranking), reported when every fork failed. */
  readonly bestFailure?: number;
}

export type OutboundEvent =
  | { type: 'fork-provisional'; fork: string; status: number }
  | { type: 'fork-answered'; fork: string }
  | { type: 'fork-failed'; fork: string; status: number }
  /** We end the leg: CANCEL before an answer (timeout, abort, hangup), BYE after. */
  | { type: 'end'; cause: HangupCause }
  /** The far end sent BYE in the winning dialog. */
  | { type: 'remote-bye' };

export type OutboundEffect =
  /** A fork rings (first time or again, maybe with early media). */
  | { do: 'early'; fork: string }
  | { do: 'ack'; fork: string }
  | { do: 'cancel'; fork: string }
  | { do: 'bye'; fork: string; cause: HangupCause }
  /** The winner's answer: apply its session description and arm its session timer. */
  | { do: 'answered'; fork: string }
  /** The leg is over; `status` is the final failure when it never got answered. */
  | { do: 'ended'; cause: HangupCause; answered: boolean; status?: number };

export function initialOutbound(forkIds: readonly string[]): OutboundSnapshot {
  return { phase: 'calling', forks: new Map(forkIds.map((f) => [f, 'trying' as OutboundForkState])) };
}

/** The cause an application sees for a final failure status of an INVITE. */
export function causeForStatus(status: number): HangupCause {
  switch (status) {
    case 486:
    case 600:
      return 'busy';
    case 404:
    case 410:
    case 484:
    case 604:
      return 'not-found';
    case 480:
    case 503:
      // 503 is also what our transaction layer reports when the device cannot be reached.
      return 'unavailable';
    case 408:
      return 'no-answer';
    case 403:
    case 603:
      return 'rejected';
    case 487:
      return 'cancelled';
    default:
      return 'failed';
  }
}

function live(s: OutboundSnapshot): string[] {
  return [...s.forks].filter(([, st]) => st === 'trying' || st === 'early').map(([f]) => f);
}

function withFork(s: OutboundSnapshot, fork: string, st: OutboundForkState, extra: Partial<OutboundSnapshot> = {}): OutboundSnapshot {
  const forks = new Map(s.forks);
  forks.set(fork, st);
  return { ...s, ...extra, forks };
}

function cancelLive(s: OutboundSnapshot, except?: string): { forks: Map<string, OutboundForkState>; effects: OutboundEffect[] } {
  const forks = new Map(s.forks);
  const effects: OutboundEffect[] = [];
  for (const f of live(s)) {
    if (f === except) continue;
    forks.set(f, 'cancelling');
    effects.push({ do: 'cancel', fork: f });
  }
  return { forks, effects };
}

const ringing = (p: OutboundPhase): boolean => p === 'calling' || p === 'early';

export function transitionOutbound(s: OutboundSnapshot, ev: OutboundEvent): { next: OutboundSnapshot; effects: OutboundEffect[] } {
  const same = { next: s, effects: [] as OutboundEffect[] };
  switch (ev.type) {
    case 'fork-provisional': {
      const st = s.forks.get(ev.fork);
      if (!ringing(s.phase) || (st !== 'trying' && st !== 'early') || ev.status <= 100) return same;
      return { next: withFork(s, ev.fork, 'early', { phase: 'early' }), effects: [{ do: 'early', fork: ev.fork }] };
    }
    case 'fork-answered': {
      if (ringing(s.phase)) {
        const { forks, effects } = cancelLive(s, ev.fork);
        forks.set(ev.fork, 'answered');
        return {
          next: { ...s, forks, phase: 'answered', winner: ev.fork },
          effects: [{ do: 'ack', fork: ev.fork }, ...effects, { do: 'answered', fork: ev.fork }],
        };
      }
      if (ev.fork === s.winner) return same; // a retransmission: CalleeFork re-sends the ACK itself
      // Too late: a dialog we do not want. ACK it (else it retransmits) and end it.
      return { next: withFork(s, ev.fork, 'ended'), effects: [{ do: 'ack', fork: ev.fork }, { do: 'bye', fork: ev.fork, cause: 'normal' }] };
    }
    case 'fork-failed': {
      const st = s.forks.get(ev.fork);
      if (st === undefined || st === 'failed' || st === 'ended' || st === 'answered') return same;
      const better = s.bestFailure === undefined || failurePriority(ev.status) > failurePriority(s.bestFailure);
      const next = withFork(s, ev.fork, 'failed', better ? { bestFailure: ev.status } : {});
      if (!ringing(s.phase) || live(next).length > 0) return { next, effects: [] };
      const status = next.bestFailure ?? 480;
      return { next: { ...next, phase: 'ended' }, effects: [{ do: 'ended', cause: causeForStatus(status), answered: false, status }] };
    }
    case 'end': {
      if (ringing(s.phase)) {
        const { forks, effects } = cancelLive(s);
        return { next: { ...s, forks, phase: 'ended' }, effects: [...effects, { do: 'ended', cause: ev.cause, answered: false }] };
      }
      if (s.phase === 'answered' && s.winner !== undefined) {
        return { next: { ...s, phase: 'ended' }, effects: [{ do: 'bye', fork: s.winner, cause: ev.cause }, { do: 'ended', cause: ev.cause, answered: true }] };
      }
      return same;
    }
    case 'remote-bye': {
      if (s.phase !== 'answered') return same;
      return { next: { ...s, phase: 'ended' }, effects: [{ do: 'ended', cause: 'normal', answered: true }] };
    }
  }
}
