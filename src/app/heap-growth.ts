/**
 * How far V8 lets the heap grow past what survived the last full collection before it collects
 * again. Its default heuristic (up to 4x when collections look cheap) let a server that had
 * held 700 calls, then 700 new ones, and again, grow by ~40 MB each time (bench/RESULTS.md):
 * the garbage of ended calls, in every thread, waited for a collection. 1.3x keeps the resident
 * size near the working set for no measurable CPU. V8 reads the flag whenever it sets the next
 * limit, so setting it at start is enough (it is process-wide: the media workers share it).
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
