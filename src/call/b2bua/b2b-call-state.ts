/**
 * The signalling state of one B2BUA call: an inbound leg (the caller, we are its UAS) and one
 * or more outbound forks (the callee's registered devices, we are their UAC). First answer
 * wins; the other forks are cancelled (RFC 3261 16.7 behaviour of a forking proxy, done by a
 * B2BUA here so the legs share nothing). Pure: effects are executed by the runtime.
 */

export type CallState = 'routing' | 'ringing' | 'answering' | 'confirmed' | 'ended';
export type ForkState = 'trying' | 'early' | 'answered' | 'failed' | 'cancelling' | 'ended';
export type Side = 'caller' | 'callee';

export interface CallSnapshot {
  readonly state: CallState;
  readonly forks: ReadonlyMap<string, ForkState>;
  /** The fork whose 2xx won. */
  readonly winner?: string;
  /** The best final failure seen so far, answered to the caller when every fork failed. */
  readonly bestFailure?: number;
}

export type CallEvent =
  | { type: 'fork-provisional'; fork: string; status: number }
  | { type: 'fork-answered'; fork: string }
  | { type: 'fork-failed'; fork: string; status: number }
  | { type: 'caller-cancelled' }
  | { type: 'ring-timeout' }
  | { type: 'caller-acked' }
  | { type: 'caller-ack-timeout' }
  | { type: 'bye'; from: Side }
  | { type: 'shutdown' }
  /** We refuse the call ourselves before it is answered: 422 (session interval), 5xx (no PRACK). */
  | { type: 'refuse'; status: number }
  /** A leg's session timer expired or its refresh found the dialog gone (RFC 4028 10). */
  | { type: 'session-expired' };

export type CallEffect =
  | { do: 'relay-provisional'; fork: string; status: number }
  | { do: 'answer-caller'; fork: string }
  | { do: 'ack-fork'; fork: string; withCallerAck: boolean }
  | { do: 'cancel-fork'; fork: string }
  | { do: 'bye-fork'; fork: string }
  | { do: 'reject-caller'; status: number }
  | { do: 'bye-caller' }
  | { do: 'ended'; cause: EndCause };

export type EndCause =
  | 'normal-caller'
  | 'normal-callee'
  | 'cancelled'
  | 'no-answer'
  | 'rejected'
  | 'ack-timeout'
  | 'session-expired'
  | 'shutdown';

export function initialCall(forkIds: readonly string[]): CallSnapshot {
  return { state: 'routing', forks: new Map(forkIds.map((f) => [f, 'trying' as ForkState])) };
}

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

function liveForks(s: CallSnapshot): string[] {
  return [...s.forks].filter(([, st]) => st === 'trying' || st === 'early').map(([f]) => f);
}

function withFork(s: CallSnapshot, fork: string, st: ForkState, extra: Partial<CallSnapshot> = {}): CallSnapshot {
  const forks = new Map(s.forks);
  forks.set(fork, st);
  return { ...s, ...extra, forks };
}

function cancelAll(s: CallSnapshot, except?: string): { forks: Map<string, ForkState>; effects: CallEffect[] } {
  const forks = new Map(s.forks);
  const effects: CallEffect[] = [];
  for (const f of liveForks(s)) {
    if (f === except) continue;
    forks.set(f, 'cancelling');
    effects.push({ do: 'cancel-fork', fork: f });
  }
  return { forks, effects };
}

/** The one transition function of a B2BUA call. */
export function transitionCall(s: CallSnapshot, ev: CallEvent): { next: CallSnapshot; effects: CallEffect[] } {
  const same = { next: s, effects: [] as CallEffect[] };
  if (s.state === 'ended') {
    // A 2xx racing our CANCEL or arriving after the end still creates a dialog: ACK it and BYE it.
    if (ev.type === 'fork-answered') {
      return { next: withFork(s, ev.fork, 'ended'), effects: [{ do: 'ack-fork', fork: ev.fork, withCallerAck: false }, { do: 'bye-fork', fork: ev.fork }] };
    }
    return same;
  }
  switch (ev.type) {
    case 'fork-provisional': {
      const st = s.forks.get(ev.fork);
      if ((st !== 'trying' && st !== 'early') || (s.state !== 'routing' && s.state !== 'ringing')) return same;
      const next = withFork(s, ev.fork, 'early', { state: 'ringing' });
      return { next, effects: ev.status > 100 ? [{ do: 'relay-provisional', fork: ev.fork, status: ev.status }] : [] };
    }
    case 'fork-answered': {
      if (s.state === 'routing' || s.state === 'ringing') {
        const { forks, effects } = cancelAll(s, ev.fork);
        forks.set(ev.fork, 'answered');
        return { next: { ...s, forks, state: 'answering', winner: ev.fork }, effects: [...effects, { do: 'answer-caller', fork: ev.fork }] };
      }
      if (ev.fork === s.winner) return same; // a retransmitted 2xx of the winner
      return { next: withFork(s, ev.fork, 'ended'), effects: [{ do: 'ack-fork', fork: ev.fork, withCallerAck: false }, { do: 'bye-fork', fork: ev.fork }] };
    }
    case 'fork-failed': {
      const st = s.forks.get(ev.fork);
      if (st === undefined || st === 'failed' || st === 'ended' || st === 'answered') return same;
      const better = s.bestFailure === undefined || failurePriority(ev.status) > failurePriority(s.bestFailure);
      const next = withFork(s, ev.fork, 'failed', better ? { bestFailure: ev.status } : {});
      if (s.state !== 'routing' && s.state !== 'ringing') return { next, effects: [] };
      if (liveForks(next).length > 0 || [...next.forks.values()].includes('cancelling')) return { next, effects: [] };
      const status = next.bestFailure === 503 || next.bestFailure === undefined ? 480 : next.bestFailure;
      return { next: { ...next, state: 'ended' }, effects: [{ do: 'reject-caller', status }, { do: 'ended', cause: 'rejected' }] };
    }
    case 'caller-cancelled':
    case 'ring-timeout':
    case 'shutdown': {
      if (s.state === 'routing' || s.state === 'ringing') {
        const { forks, effects } = cancelAll(s);
        const status = ev.type === 'caller-cancelled' ? 487 : ev.type === 'ring-timeout' ? 480 : 503;
        const cause: EndCause = ev.type === 'caller-cancelled' ? 'cancelled' : ev.type === 'ring-timeout' ? 'no-answer' : 'shutdown';
        return { next: { ...s, forks, state: 'ended' }, effects: [...effects, { do: 'reject-caller', status }, { do: 'ended', cause }] };
      }
      if (ev.type === 'shutdown' && s.winner !== undefined) {
        return { next: { ...s, state: 'ended' }, effects: [{ do: 'bye-caller' }, { do: 'bye-fork', fork: s.winner }, { do: 'ended', cause: 'shutdown' }] };
      }
      return same;
    }
    case 'refuse': {
      if (s.state === 'routing' || s.state === 'ringing') {
        const { forks, effects } = cancelAll(s);
        return { next: { ...s, forks, state: 'ended' }, effects: [...effects, { do: 'reject-caller', status: ev.status }, { do: 'ended', cause: 'rejected' }] };
      }
      if (s.state === 'answering' && s.winner !== undefined) {
        // Our 2xx to the caller was still held back (waiting for a PRACK): the callee's leg is up.
        return {
          next: { ...s, state: 'ended' },
          effects: [{ do: 'ack-fork', fork: s.winner, withCallerAck: false }, { do: 'bye-fork', fork: s.winner }, { do: 'reject-caller', status: ev.status }, { do: 'ended', cause: 'rejected' }],
        };
      }
      return same;
    }
    case 'session-expired': {
      if (s.winner === undefined || (s.state !== 'answering' && s.state !== 'confirmed')) return same;
      const effects: CallEffect[] = [];
      if (s.state === 'answering') effects.push({ do: 'ack-fork', fork: s.winner, withCallerAck: false });
      effects.push({ do: 'bye-fork', fork: s.winner }, { do: 'bye-caller' }, { do: 'ended', cause: 'session-expired' });
      return { next: { ...s, state: 'ended' }, effects };
    }
    case 'caller-acked': {
      if (s.state !== 'answering' || s.winner === undefined) return same;
      return { next: { ...s, state: 'confirmed' }, effects: [{ do: 'ack-fork', fork: s.winner, withCallerAck: true }] };
    }
    case 'caller-ack-timeout': {
      if (s.state !== 'answering' || s.winner === undefined) return same;
      // RFC 3261 13.3.1.4: no ACK for our 2xx: the UAS ends the session with BYE.
      return {
        next: { ...s, state: 'ended' },
        effects: [{ do: 'ack-fork', fork: s.winner, withCallerAck: false }, { do: 'bye-fork', fork: s.winner }, { do: 'bye-caller' }, { do: 'ended', cause: 'ack-timeout' }],
      };
    }
    case 'bye': {
      if (s.winner === undefined) {
        // BYE from the caller before the final response (RFC 3261 15: allowed on an early dialog only
        // for the UAC side) is treated like a CANCEL.
        if (ev.from === 'caller') return transitionCall(s, { type: 'caller-cancelled' });
        return same;
      }
      const effects: CallEffect[] = [];
      if (s.state === 'answering') effects.push({ do: 'ack-fork', fork: s.winner, withCallerAck: false });
      if (ev.from === 'caller') effects.push({ do: 'bye-fork', fork: s.winner });
      else effects.push({ do: 'bye-caller' });
      effects.push({ do: 'ended', cause: ev.from === 'caller' ? 'normal-caller' : 'normal-callee' });
      return { next: { ...s, state: 'ended' }, effects };
    }
  }
}
