/**
 * Which media worker a new call between extensions opens its media in. A relay runs within one
 * worker, so an attended transfer can bridge the two remaining parties only when the
 * consultation call shares the worker of the call it transfers: a new call of an extension that
 * is already in a call goes to that call's worker. Only for a party with a few calls, as a phone
 * juggling its lines has: a party carrying many at once (a gateway or a load generator
 * registered as an extension) would otherwise pull every call to one worker and leave the
 * others idle, so its calls spread as any other.
 */

/** A phone's line keys: more calls at once than this is traffic, not an attendant's lines. */
export const MAX_LINES_SHARING_A_WORKER = 4;

/** One party of a bridged call: its extension number and the worker its media runs in. */
export interface PartyPlacement {
  number: string | undefined;
  worker: number | undefined;
}

/**
 * The worker to share for a new call of `numbers` (the caller first: its consultation call is
 * the usual case), or undefined to let the pool pick the least loaded one.
 */
export function sharedMediaWorker(
  parties: Iterable<PartyPlacement>,
  numbers: readonly string[],
  maxLines = MAX_LINES_SHARING_A_WORKER,
): number | undefined {
  const seen = new Map<string, { worker: number; calls: number }>();
  for (const { number, worker } of parties) {
    if (number === undefined || worker === undefined || !numbers.includes(number)) continue;
    const entry = seen.get(number);
    if (entry === undefined) seen.set(number, { worker, calls: 1 });
    else entry.calls += 1;
  }
  for (const n of numbers) {
    const entry = seen.get(n);
    if (entry !== undefined && entry.calls <= maxLines) return entry.worker;
  }
  return undefined;
}
