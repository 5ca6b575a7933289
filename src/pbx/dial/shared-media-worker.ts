/**
 * Which media worker a new call between extensions opens its media in. A relay runs within one
 * worker, so an attended transfer can bridge the two remaining parties only when the
 * consultation call shares the worker of the call it transfers: a new call of an extension that
 * is already in a call goes to that call's worker. Only for a party with a few calls, as a phone
 * juggling its lines has: a party carrying many at once (a gateway or a load generator
 * registered as an extension) would otherwise pull every call to one worker and leave the
 * others idle, so its calls spread over the workers like the rest.
 */

/** A phone's line keys: more calls at once than this is traffic, not an attendant's lines. */
export const MAX_LINES_SHARING_A_WORKER = 4;

/** An extension's calls now: how many, and the worker of its media in one of them. */
export interface PartyCalls {
  calls: number;
  /** Read only when the count qualifies (finding it may walk the calls). */
  worker(): number | undefined;
}

/**
 * The worker to share for a new call of `numbers` (the caller first: its consultation call is
 * the usual case), or undefined to let the pool pick the least loaded one.
 */
export function sharedMediaWorker(
  numbers: readonly string[],
  callsOf: (number: string) => PartyCalls,
  maxLines = MAX_LINES_SHARING_A_WORKER,
): number | undefined {
  for (const n of numbers) {
    const party = callsOf(n);
    if (party.calls === 0 || party.calls > maxLines) continue;
    const worker = party.worker();
    if (worker !== undefined) return worker;
  }
  return undefined;
}
