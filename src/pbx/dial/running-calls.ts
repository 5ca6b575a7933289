/**
 * The calls bridged between parties right now (one set per server), indexed by the extension
 * numbers of their parties: a new call looks up its parties' other calls in constant time
 * (sharedMediaWorker), however many calls are up, and an attended transfer finds the call a
 * Replaces names.
 */
import type { Leg, Party } from '../../call/index.js';
import type { PartyCalls } from './shared-media-worker.js';

/** One side of a bridged call: its leg and who it is when shown to a transfer target. */
export interface CallParty {
  leg: Leg;
  party: Party;
}

/** A bridged call another call's attended transfer can take a party from. */
export interface RunningCall {
  /** The two parties now bridged (the same two for the call's life). */
  parties(): readonly [CallParty, CallParty];
  /** Takes the party facing `leg` out of this call: its bridge stops and its loop ends, hanging nobody up. */
  release(leg: Leg): CallParty | undefined;
  /** Resolves once this call's bridge is down (its relay gone, so its parties can be bridged anew). */
  readonly down: Promise<void>;
}

export class RunningCalls implements Iterable<RunningCall> {
  private readonly calls = new Set<RunningCall>();
  private readonly byNumber = new Map<string, Set<RunningCall>>();

  add(call: RunningCall): void {
    this.calls.add(call);
    for (const { party } of call.parties()) {
      if (party.number === undefined) continue;
      let set = this.byNumber.get(party.number);
      if (set === undefined) {
        set = new Set();
        this.byNumber.set(party.number, set);
      }
      set.add(call);
    }
  }

  delete(call: RunningCall): void {
    if (!this.calls.delete(call)) return;
    for (const { party } of call.parties()) {
      if (party.number === undefined) continue;
      const set = this.byNumber.get(party.number);
      set?.delete(call);
      if (set?.size === 0) this.byNumber.delete(party.number);
    }
  }

  /** The calls extension `number` is a party of (empty when none). */
  of(number: string): ReadonlySet<RunningCall> {
    return this.byNumber.get(number) ?? NONE;
  }

  /** How many calls `number` is in, and (on demand) the worker of its media in the first that has some. */
  partyCalls(number: string, workerOf: (endpoint: string) => number | undefined): PartyCalls {
    const calls = this.of(number);
    return {
      calls: calls.size,
      worker: () => {
        for (const call of calls) {
          for (const { leg, party } of call.parties()) {
            const endpoint = party.number === number ? leg.endpointId : undefined;
            const worker = endpoint === undefined ? undefined : workerOf(endpoint);
            if (worker !== undefined) return worker;
          }
        }
        return undefined;
      },
    };
  }

  [Symbol.iterator](): Iterator<RunningCall> {
    return this.calls.values();
  }
}

const NONE: ReadonlySet<RunningCall> = new Set();
